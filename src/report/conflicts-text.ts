/**
 * Delta's conflicts as the operator reads them, in delta's summary (this run) and in `migrate
 * status` (all recorded): which destination rows delta replaced, deleted or kept although it had
 * not written them, by document and key, and where the full record is.
 */
import type { ConflictEntry } from '../steps/delta/conflict-log.js';
import { keyText } from './key-text.js';

const LISTED = 10;

export function conflictLines(
  byDocument: ReadonlyMap<string, readonly ConflictEntry[]>,
  fileOf: (document: string) => string,
): string[] {
  const lines: string[] = [];
  for (const [document, entries] of byDocument) {
    if (entries.length === 0) continue;
    const counts = new Map<string, number>();
    for (const e of entries) counts.set(e.action, (counts.get(e.action) ?? 0) + 1);
    const what = [...counts].map(([action, n]) => `${action} ${n}`).join(', ');
    const keys = entries
      .slice(0, LISTED)
      .map((e) => keyText(e.key))
      .join(' ');
    const more = entries.length > LISTED ? ` ... and ${entries.length - LISTED} more` : '';
    lines.push(
      `${document}: ${what} destination rows delta had not written (keys ${keys}${more}); see ${fileOf(document)}`,
    );
  }
  return lines;
}

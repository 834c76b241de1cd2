/**
 * Destination rows delta replaced or deleted although it had not written them: a row someone
 * made in the new store (a tester's order) under a key the old store then used as well. Each is
 * recorded in <rejected_dir>/delta-conflicts/<document>.jsonl, appended and synced before the
 * batch commits (a retried batch may repeat a line, never lose one), so the delta summary, the
 * log and `migrate status` can name them after the fact.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Value } from '../../handlers/contract.js';
import { encodeValues, rejectedFileName } from '../data/rejected-log.js';

/** What delta did with the destination's row: replaced or deleted it (overwrite), or left it (keep). */
export type ConflictAction = 'replaced' | 'deleted' | 'kept';

export interface ConflictEntry {
  document: string;
  table: string;
  /** The destination key columns and the row's key in them. */
  keyColumns: string[];
  key: Array<string | null | { hex: string }>;
  action: ConflictAction;
  /** Why the row counts as not written by delta. */
  reason: string;
  at: string;
}

export class ConflictLog {
  constructor(readonly rejectedDir: string) {}

  get dir(): string {
    return join(this.rejectedDir, 'delta-conflicts');
  }

  pathOf(document: string): string {
    return join(this.dir, rejectedFileName(document));
  }

  append(entries: readonly ConflictEntry[]): void {
    if (entries.length === 0) return;
    mkdirSync(this.dir, { recursive: true });
    const byDocument = new Map<string, ConflictEntry[]>();
    for (const e of entries) byDocument.set(e.document, [...(byDocument.get(e.document) ?? []), e]);
    for (const [document, list] of byDocument) {
      const fd = openSync(this.pathOf(document), 'a');
      try {
        writeSync(fd, list.map((e) => `${JSON.stringify(e)}\n`).join(''));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
  }

  /** Every entry recorded for `document`, oldest first; none when there is no file. */
  read(document: string): ConflictEntry[] {
    const file = this.pathOf(document);
    if (!existsSync(file)) return [];
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as ConflictEntry);
  }
}

export function conflictEntry(
  document: string,
  table: string,
  keyColumns: readonly string[],
  key: readonly Value[],
  action: ConflictAction,
  reason: string,
  at: string,
): ConflictEntry {
  return { document, table, keyColumns: [...keyColumns], key: encodeValues(key), action, reason, at };
}

/**
 * A deep check that found a document equal on both sides records so (with the time the check
 * began) for `migrate cutover`, which then only deep-compares the keys delta applied since:
 * src/progress/changed-keys.ts. The only write a check makes, into a table of the tool's own;
 * a destination that refuses it costs the cut-over a longer check, never a wrong one.
 */
import type { Database } from '../../db/database.js';
import { ChangedKeys } from '../../progress/changed-keys.js';
import type { CheckReport } from '../../report/check-report.js';

/** Starts the record: the destination's time now, or undefined when its tables cannot be made. */
export async function beginVerifiedRecord(
  db: Database,
  progressTable: string,
): Promise<{ keys: ChangedKeys; began: string } | undefined> {
  const keys = new ChangedKeys(db, progressTable);
  try {
    await keys.ensureTables();
    return { keys, began: await keys.now() };
  } catch {
    return undefined;
  }
}

/** Marks every document the deep check found equal, row by row, as verified; returns them. */
export async function recordVerified(
  record: { keys: ChangedKeys; began: string },
  report: CheckReport,
): Promise<string[]> {
  if (report.mode !== 'deep') return [];
  const equal = report.documents.filter((d) => d.status === 'ok' && d.method !== 'count' && d.exact);
  for (const document of equal) await record.keys.markVerified(document.document, record.began);
  return equal.map((d) => d.document);
}

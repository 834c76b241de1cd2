/**
 * When the progress store last changed for some documents: the date a finished copy is
 * reported with ("every document copied on ..."). Read apart from the store's own queries,
 * which never need the time.
 */
import type { Database } from '../db/database.js';
import { quoteIdentifier } from '../db/identifiers.js';

/** Null when none of the documents has a progress row. The table must exist. */
export async function lastProgressUpdate(
  db: Database,
  table: string,
  documents: readonly string[],
): Promise<Date | null> {
  if (documents.length === 0) return null;
  const [row] = await db.query<{ at: Date | string | null }>(
    `SELECT MAX(updated_at) AS at FROM ${quoteIdentifier(table)} WHERE document IN (${documents.map(() => '?').join(', ')})`,
    [...documents],
  );
  if (!row?.at) return null;
  return row.at instanceof Date ? row.at : new Date(`${String(row.at).replace(' ', 'T')}Z`);
}

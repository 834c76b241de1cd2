/**
 * The progress table as a whole: how many rows it holds, and dropping it once the migration is
 * signed off. Until then it is what `status`, `check` and a resumed `data` read, so the tool
 * never drops it on its own.
 */

import type { Database } from '../db/database.js';
import { idMapTableName } from '../db/id-map-store.js';
import { quoteIdentifier } from '../db/identifiers.js';
import { tableExists } from '../db/table-exists.js';
import { changedKeysTable, verifiedTable } from './changed-keys.js';
import { deferredIndexTableName } from './deferred-index-store.js';

/** Rows in the table; null when it does not exist. */
export async function progressTableRows(db: Database, table: string): Promise<number | null> {
  if (!(await tableExists(db, db.schema, table))) return null;
  const [row] = await db.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${quoteIdentifier(table)}`);
  return Number(row?.n ?? 0);
}

/**
 * Drops the progress table and the tables beside it that mean nothing without it: the cut-over's
 * (changed-keys.ts) and the id maps (what `--reset` would need to tell the tool's rows apart).
 */
export async function dropProgressTable(db: Database, table: string): Promise<void> {
  await db.execute(`DROP TABLE IF EXISTS ${quoteIdentifier(table)}`);
  await db.execute(`DROP TABLE IF EXISTS ${quoteIdentifier(changedKeysTable(table))}`);
  await db.execute(`DROP TABLE IF EXISTS ${quoteIdentifier(verifiedTable(table))}`);
  await db.execute(`DROP TABLE IF EXISTS ${quoteIdentifier(idMapTableName(table))}`);
  // Empty by now: cleanup refuses to drop while it records an index still to be built.
  await db.execute(`DROP TABLE IF EXISTS ${quoteIdentifier(deferredIndexTableName(table))}`);
}

/**
 * When any part last changed (ISO 8601, UTC), the latest `updated_at`; null when none has, or
 * the table is an older one without the column (the rest of the status still holds).
 */
export async function progressLastUpdate(db: Database, table: string): Promise<string | null> {
  try {
    const [row] = await db.query<{ at: string | null }>(
      `SELECT CAST(MAX(updated_at) AS CHAR) AS at FROM ${quoteIdentifier(table)}`,
    );
    return row?.at ? `${row.at.replace(' ', 'T')}Z` : null;
  } catch {
    return null;
  }
}

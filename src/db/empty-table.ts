/** Empties a destination table for `--reset` (the session has foreign_key_checks = 0, so referenced tables too). */
import type { Database } from './database.js';
import { qualifiedName } from './identifiers.js';

export async function emptyTable(db: Database, table: string): Promise<void> {
  await db.execute(`TRUNCATE TABLE ${qualifiedName(db.schema, table)}`);
}

/**
 * Deletes every row of a table with a bulk statement's time limit (a keyless copy that starts
 * over). DELETE rather than TRUNCATE: a plain statement, no DDL and no implicit commit.
 */
export async function deleteAllRows(db: Database, table: string): Promise<void> {
  await db.bulk.execute(`DELETE FROM ${qualifiedName(db.schema, table)}`);
}

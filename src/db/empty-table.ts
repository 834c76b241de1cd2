/** Empties a destination table for `--reset` (the session has foreign_key_checks = 0, so referenced tables too). */
import type { Database } from './database.js';
import { qualifiedName } from './identifiers.js';

export async function emptyTable(db: Database, table: string): Promise<void> {
  await db.execute(`TRUNCATE TABLE ${qualifiedName(db.schema, table)}`);
}

/**
 * Whole-table counts that may scan millions of rows (the volume check, `migrate check`): run
 * under bulk_read_timeout rather than query_timeout, so a big table is not cut off mid-count.
 */
import type { Database } from './database.js';
import { qualifiedName } from './identifiers.js';

export async function countRowsBulk(db: Database, table: string): Promise<number> {
  const [row] = await db.bulk.query<{ n: string }>(
    `SELECT COUNT(*) AS n FROM ${qualifiedName(db.schema, table)}`,
  );
  return Number(row?.n ?? 0);
}

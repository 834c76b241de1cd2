/**
 * Whether a table exists, from information_schema: asked before reading a table the tool may not
 * have made yet (its progress, id-map and deferred-index tables, a change log), so a read-only
 * command never creates one.
 */
import type { Queryable } from './database.js';

export async function tableExists(db: Queryable, schema: string, table: string): Promise<boolean> {
  const rows = await db.query(
    'SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?',
    [schema, table],
  );
  return rows.length > 0;
}

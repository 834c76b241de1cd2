/**
 * A website's default store group and a group's default store view: ids of rows merged in the
 * same run, so the merge writes them as 0 and they are set here once every id is known.
 */
import type { Queryable } from './database.js';
import { qualifiedName } from './identifiers.js';

/** (id, default id) pairs of a 1.9 table, e.g. core_website's (website_id, default_group_id). */
export async function readDefaults(
  db: Queryable,
  schema: string,
  table: string,
  idColumn: string,
  defaultColumn: string,
): Promise<Array<{ id: string; defaultId: string }>> {
  const rows = await db.query<{ id: string; default_id: string }>(
    `SELECT ${idColumn} AS id, ${defaultColumn} AS default_id FROM ${qualifiedName(schema, table)} ORDER BY ${idColumn}`,
  );
  return rows.map((r) => ({ id: String(r.id), defaultId: String(r.default_id) }));
}

/** Sets `defaultColumn` of one 2.4 row. */
export async function writeDefault(
  tx: Queryable,
  schema: string,
  table: string,
  idColumn: string,
  defaultColumn: string,
  id: string,
  defaultId: string,
): Promise<number> {
  const result = await tx.execute(
    `UPDATE ${qualifiedName(schema, table)} SET ${defaultColumn} = ? WHERE ${idColumn} = ? AND ${defaultColumn} <> ?`,
    [defaultId, id, defaultId],
  );
  return result.affectedRows;
}

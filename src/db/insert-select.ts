/**
 * The direct copy: `INSERT ... SELECT` on the destination's server, chunk by key range, so the
 * rows never leave the database (src/steps/data/copy-part.ts). The select list is the plan's,
 * over the source table aliased {@link SOURCE_ALIAS}.
 */
import type { Value } from '../handlers/contract.js';
import type { Queryable } from './database.js';
import { columnList, qualifiedName } from './identifiers.js';
import { allOf, keyAfter, keyAtMost, orderBy } from './keyset.js';

/** The alias of the source table the select list is written over. */
export const SOURCE_ALIAS = 'src';

export interface DirectCopyTables {
  source: { schema: string; table: string; key: readonly string[] };
  destination: { schema: string; table: string; columns: readonly string[] };
  /** SQL expressions over {@link SOURCE_ALIAS}, one a destination column, in order. */
  select: readonly string[];
}

/** Keys after `after` up to `atMost` (either absent: unbounded). */
function range(key: readonly string[], after: readonly Value[] | null, atMost: readonly Value[] | null) {
  return allOf([
    after ? keyAfter(key, after, SOURCE_ALIAS) : undefined,
    atMost ? keyAtMost(key, atMost, SOURCE_ALIAS) : undefined,
  ]);
}

/**
 * The key of the `rows`-th row after `after` (within `atMost`): the upper end of a chunk of that
 * many rows; undefined when fewer rows are left.
 */
export async function chunkUpperKey(
  source: Queryable,
  tables: DirectCopyTables,
  after: readonly Value[] | null,
  atMost: readonly Value[] | null,
  rows: number,
): Promise<Value[] | undefined> {
  const { schema, table, key } = tables.source;
  const where = range(key, after, atMost);
  const [boundary] = await source.queryArrays(
    `SELECT ${columnList(key, SOURCE_ALIAS)} FROM ${qualifiedName(schema, table)} AS ${SOURCE_ALIAS} WHERE ${where.sql} ORDER BY ${orderBy(key, SOURCE_ALIAS)} LIMIT 1 OFFSET ${rows - 1}`,
    where.bindings,
  );
  return boundary;
}

/** Copies the source rows with keys after `after` up to `atMost` in the caller's transaction; returns the rows written. */
export async function insertSelectRange(
  tx: Queryable,
  tables: DirectCopyTables,
  after: readonly Value[] | null,
  atMost: readonly Value[] | null,
): Promise<number> {
  const { source, destination } = tables;
  const where = range(source.key, after, atMost);
  const result = await tx.execute(
    `INSERT INTO ${qualifiedName(destination.schema, destination.table)} (${columnList(destination.columns)}) SELECT ${tables.select.join(', ')} FROM ${qualifiedName(source.schema, source.table)} AS ${SOURCE_ALIAS} WHERE ${where.sql}`,
    where.bindings,
  );
  return result.affectedRows;
}

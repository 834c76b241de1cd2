/**
 * Keyset-paged reads the engine's steps use: one chunk of a table after a key, and one chunk
 * of a computed select (a derived table) after a key. Values come back exact (strings and
 * Buffers, see database.ts), never through a JS Number or Date.
 */
import type { Value } from '../handlers/contract.js';
import type { Queryable } from './database.js';
import { columnList, qualifiedName, quoteIdentifier } from './identifiers.js';
import { allOf, keyAfter, orderBy } from './keyset.js';
import { readColumns } from './select-list.js';

/** Up to `limit` rows of `table` with key greater than `after`, in key order, `columns` in order. */
export function readTableChunk(
  db: Queryable,
  schema: string,
  table: { name: string; columns: readonly string[]; types: readonly string[]; key: readonly string[] },
  after: readonly Value[] | null,
  limit: number,
): Promise<Value[][]> {
  const where = allOf([after ? keyAfter(table.key, after) : undefined]);
  return db.queryArrays(
    `SELECT ${readColumns(table.columns, table.types)} FROM ${qualifiedName(schema, table.name)} WHERE ${where.sql} ORDER BY ${orderBy(table.key)} LIMIT ${limit}`,
    where.bindings,
  );
}

const COMPUTED = 'computed';

/** The column names a select returns, in order, read without fetching a row. */
export async function selectColumns(db: Queryable, select: string): Promise<string[]> {
  const rows = await db.query<Record<string, unknown>>(`SELECT * FROM (${select}) AS ${COMPUTED} LIMIT 1`);
  if (rows[0]) return Object.keys(rows[0]);
  const [explained] = await db.query<Record<string, unknown>>(
    `SELECT * FROM (SELECT * FROM (${select}) AS ${COMPUTED} LIMIT 0) AS probe RIGHT JOIN (SELECT 1 AS store_migrate_probe) AS d ON FALSE`,
  );
  return Object.keys(explained ?? {}).filter((name) => name !== 'store_migrate_probe');
}

/** Up to `limit` rows of the select with `key` greater than `after`, in key order. */
export function readSelectChunk(
  db: Queryable,
  select: string,
  columns: readonly string[],
  key: string,
  after: Value | null,
  limit: number,
): Promise<Value[][]> {
  const where = after === null ? 'TRUE' : `${quoteIdentifier(COMPUTED)}.${quoteIdentifier(key)} > ?`;
  return db.queryArrays(
    `SELECT ${columnList(columns, COMPUTED)} FROM (${select}) AS ${COMPUTED} WHERE ${where} ORDER BY ${quoteIdentifier(COMPUTED)}.${quoteIdentifier(key)} LIMIT ${limit}`,
    after === null ? [] : [after],
  );
}

const VALUES_PER_STATEMENT = 500;

/**
 * The rows of the select whose `column` holds one of `values`, a bounded list a statement:
 * delta re-reads what a batch of changes touched this way (the server pushes the condition
 * into the derived table, so an indexed column is read by its index).
 */
export async function readSelectRowsIn(
  db: Queryable,
  select: string,
  columns: readonly string[],
  column: string,
  values: readonly Value[],
): Promise<Value[][]> {
  const rows: Value[][] = [];
  for (let i = 0; i < values.length; i += VALUES_PER_STATEMENT) {
    const slice = values.slice(i, i + VALUES_PER_STATEMENT);
    rows.push(
      ...(await db.queryArrays(
        `SELECT ${columnList(columns, COMPUTED)} FROM (${select}) AS ${COMPUTED} WHERE ${quoteIdentifier(COMPUTED)}.${quoteIdentifier(column)} IN (${slice.map(() => '?').join(', ')})`,
        [...slice],
      )),
    );
  }
  return rows;
}

/** How many rows the select returns: what the computed document must hold. */
export async function countSelect(db: Queryable, select: string): Promise<number> {
  const [row] = await db.query<{ n: string }>(`SELECT COUNT(*) AS n FROM (${select}) AS ${COMPUTED}`);
  return Number(row?.n ?? 0);
}

/** Rows in a destination table. */
export async function countTable(db: Queryable, schema: string, table: string): Promise<number> {
  const [row] = await db.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${qualifiedName(schema, table)}`);
  return Number(row?.n ?? 0);
}

/** Up to `limit` keys of `table` greater than `after`, in key order, as the server returns them. */
export function readKeysAfter(
  db: Queryable,
  schema: string,
  table: string,
  key: readonly string[],
  after: readonly Value[] | null,
  limit: number,
): Promise<Value[][]> {
  const where = allOf([after ? keyAfter(key, after) : undefined]);
  return db.queryArrays(
    `SELECT ${key.map(quoteIdentifier).join(', ')} FROM ${qualifiedName(schema, table)} WHERE ${where.sql} ORDER BY ${orderBy(key)} LIMIT ${limit}`,
    where.bindings,
  );
}

/** The key of the `n`th row of `table` in key order (1-based); undefined when it has fewer rows. */
export async function keyAtRow(
  db: Queryable,
  schema: string,
  table: string,
  key: readonly string[],
  n: number,
): Promise<Value[] | undefined> {
  const [row] = await db.queryArrays(
    `SELECT ${columnList(key)} FROM ${qualifiedName(schema, table)} ORDER BY ${orderBy(key)} LIMIT 1 OFFSET ${Math.max(0, n - 1)}`,
  );
  return row;
}

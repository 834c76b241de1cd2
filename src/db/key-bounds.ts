/**
 * Where a table's keys lie, for splitting a document into parts (src/steps/data/split-ranges.ts):
 * the lowest and highest value of a one-column key, and the key at a row offset. Both are bulk
 * reads (an offset scan takes time in proportion to the offset).
 */
import type { Value } from '../handlers/contract.js';
import type { Database } from './database.js';
import { columnList, qualifiedName, quoteIdentifier } from './identifiers.js';
import { orderBy } from './keyset.js';

/** MIN and MAX of one column, as the server prints them (null for an empty table). */
export async function columnBounds(db: Database, table: string, column: string): Promise<[Value, Value]> {
  const name = quoteIdentifier(column);
  const [row] = await db.bulk.queryArrays(
    `SELECT MIN(${name}), MAX(${name}) FROM ${qualifiedName(db.schema, table)}`,
  );
  return [row?.[0] ?? null, row?.[1] ?? null];
}

/** The key of the row at `offset` in key order; undefined past the end. */
export async function keyAtOffset(
  db: Database,
  table: string,
  key: readonly string[],
  offset: number,
): Promise<Value[] | undefined> {
  const [row] = await db.bulk.queryArrays(
    `SELECT ${columnList(key)} FROM ${qualifiedName(db.schema, table)} ORDER BY ${orderBy(key)} LIMIT 1 OFFSET ${offset}`,
  );
  return row;
}

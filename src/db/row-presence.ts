/**
 * Which keys a table already holds, and whether the row under a key holds exactly given values:
 * what delta asks before it replaces a destination row, to tell a row it wrote from one someone
 * else wrote in the new store. Values are compared by the server (`<=>`, NULL-safe), so text the
 * tool would write compares equal to the typed value stored ('5' and 5.0000 alike).
 */

import type { Value } from '../handlers/contract.js';
import type { Queryable } from './database.js';
import { qualifiedName, quoteIdentifier } from './identifiers.js';

export async function presentKeys(
  db: Queryable,
  schema: string,
  table: string,
  keyColumns: readonly string[],
  keys: readonly Value[][],
): Promise<Value[][]> {
  if (keys.length === 0) return [];
  const tuple = `(${keyColumns.map(() => '?').join(', ')})`;
  return db.queryArrays(
    `SELECT ${keyColumns.map(quoteIdentifier).join(', ')} FROM ${qualifiedName(schema, table)}
      WHERE (${keyColumns.map(quoteIdentifier).join(', ')}) IN (${keys.map(() => tuple).join(', ')})`,
    keys.flat(),
  );
}

/** True when the row under `key` holds `values` in `columns` (read in the caller's transaction). */
export async function rowHolds(
  db: Queryable,
  schema: string,
  table: string,
  keyColumns: readonly string[],
  key: readonly Value[],
  columns: readonly string[],
  values: readonly Value[],
): Promise<boolean> {
  const where = [
    ...keyColumns.map((c) => `${quoteIdentifier(c)} = ?`),
    ...columns.map((c) => `${quoteIdentifier(c)} <=> ?`),
  ].join(' AND ');
  const rows = await db.queryArrays(`SELECT 1 FROM ${qualifiedName(schema, table)} WHERE ${where}`, [
    ...key,
    ...values,
  ]);
  return rows.length > 0;
}

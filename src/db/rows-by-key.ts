/**
 * Reads the current rows for a list of keys (`WHERE (k1, k2) IN ((?, ?), ...)`), a bounded
 * number of keys a statement. `--retry-rejected` re-reads rejected rows by their source key
 * this way, so what it writes is the row as the shop has it now.
 */
import type { Value } from '../handlers/contract.js';
import type { Queryable } from './database.js';
import { qualifiedName, quoteIdentifier } from './identifiers.js';
import { readColumns } from './select-list.js';

const KEYS_PER_STATEMENT = 500;

export interface RowsByKeyQuery {
  schema: string;
  table: string;
  /** Columns read, in the order rows come back. */
  columns: readonly string[];
  /** Their data types (information_schema DATA_TYPE), for the select list. */
  types: readonly string[];
  /** Key columns; every key holds one value for each. */
  key: readonly string[];
}

/** The rows whose key is among `keys` (rows of keys the table no longer has are simply absent). */
export async function readRowsByKey(
  db: Queryable,
  query: RowsByKeyQuery,
  keys: readonly Value[][],
): Promise<Value[][]> {
  const rows: Value[][] = [];
  const table = qualifiedName(query.schema, query.table);
  const columns = query.key.map(quoteIdentifier);
  const tuple = columns.length === 1 ? '?' : `(${columns.map(() => '?').join(', ')})`;
  const target = columns.length === 1 ? columns[0] : `(${columns.join(', ')})`;
  for (let i = 0; i < keys.length; i += KEYS_PER_STATEMENT) {
    const slice = keys.slice(i, i + KEYS_PER_STATEMENT);
    rows.push(
      ...(await db.queryArrays(
        `SELECT ${readColumns(query.columns, query.types)} FROM ${table} WHERE ${target} IN (${slice.map(() => tuple).join(', ')})`,
        slice.flat(),
      )),
    );
  }
  return rows;
}

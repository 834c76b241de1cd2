/**
 * Reads a whole settings table (core_config_data-style: scope, scope id, path, value). A
 * store's configuration is thousands of rows, not millions, and the settings plan needs both
 * sides complete to know what the destination has that the source lacks, so it is read at once.
 */
import type { Value } from '../handlers/contract.js';
import type { Queryable } from './database.js';
import { qualifiedName, quoteIdentifier } from './identifiers.js';

/**
 * The four `columns` (scope, scope id, path, value) of every row, ordered by the first three.
 * `lock` takes the rows FOR UPDATE (inside the transaction that applies the plan).
 */
export function readSettingsTable(
  db: Pick<Queryable, 'queryArrays'>,
  schema: string,
  table: string,
  columns: readonly [string, string, string, string],
  lock: boolean,
): Promise<Value[][]> {
  const names = columns.map(quoteIdentifier);
  return db.queryArrays(
    `SELECT ${names.join(', ')} FROM ${qualifiedName(schema, table)} ORDER BY ${names.slice(0, 3).join(', ')}${lock ? ' FOR UPDATE' : ''}`,
  );
}

/**
 * Reads a whole settings table. A store's configuration is thousands of rows, not millions,
 * and the plan needs both sides complete to know what the destination has that the source
 * lacks, so it is read at once rather than paged.
 */
import type { Queryable } from '../../db/database.js';
import { qualifiedName, quoteIdentifier } from '../../db/identifiers.js';
import type { Value } from '../../handlers/contract.js';
import type { SettingsColumns } from '../../mappings/settings-map.js';
import type { SettingRow } from './plan.js';

/**
 * All rows of `schema`.`table`, ordered by the natural key. `lock` takes the rows FOR UPDATE
 * (inside the destination transaction that applies the plan).
 */
export async function readSettingRows(
  db: Pick<Queryable, 'queryArrays'>,
  schema: string,
  table: string,
  columns: SettingsColumns,
  lock = false,
): Promise<SettingRow[]> {
  const names = [columns.scope, columns.scopeId, columns.path, columns.value].map(quoteIdentifier);
  const rows = await db.queryArrays(
    `SELECT ${names.join(', ')} FROM ${qualifiedName(schema, table)} ORDER BY ${names.slice(0, 3).join(', ')}${lock ? ' FOR UPDATE' : ''}`,
  );
  return rows.map(([scope, scopeId, path, value]) => ({
    scope: text(scope ?? null),
    scopeId: text(scopeId ?? null),
    path: text(path ?? null),
    value: value ?? null,
  }));
}

function text(value: Value): string {
  if (value === null) return '';
  return Buffer.isBuffer(value) ? value.toString('utf8') : value;
}

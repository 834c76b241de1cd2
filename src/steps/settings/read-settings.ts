/** A whole settings table as the plan's rows (src/db/settings-table.ts reads it). */
import type { Queryable } from '../../db/database.js';
import { readSettingsTable } from '../../db/settings-table.js';
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
  const rows = await readSettingsTable(
    db,
    schema,
    table,
    [columns.scope, columns.scopeId, columns.path, columns.value],
    lock,
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

/**
 * Whether a source table is a change log delta tracking created: it carries the tool's
 * COMMENT and the shape installTracking gives every change log (id, key_0..key_n, op,
 * changed_at; primary key id). The delta-log prefix alone proves nothing: a shop may have
 * tables of its own that start with it (`audit_manual` with prefix `audit_`), and those are
 * documents like any other, never hidden.
 */
import type { TableInfo } from '../../db/schema.js';
import { CHANGE_LOG_COMMENT } from './change-log-names.js';
import { keyColumn } from './tracking.js';

export function isChangeLogTable(table: TableInfo): boolean {
  if (table.comment !== CHANGE_LOG_COMMENT) return false;
  const names = table.columns.map((c) => c.name);
  const keys = names.length - 3;
  if (keys < 1 || names[0] !== 'id' || names.at(-2) !== 'op' || names.at(-1) !== 'changed_at') return false;
  for (let i = 0; i < keys; i++) if (names[i + 1] !== keyColumn(i)) return false;
  return table.primaryKey.length === 1 && table.primaryKey[0] === 'id';
}

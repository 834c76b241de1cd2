/**
 * The handlers of a profile step that fills a table from its own select (no map plan), keyed by
 * the column they transform: one row through them, and a chunk's id lookups, read straight from
 * the rows where a handler looks up its own column's value (`needs.idsFrom: 'value'`, as mapId
 * does), else learnt by one recording pass (src/engine/id-map.ts does the same for plans).
 */
import type { Queryable } from '../../db/database.js';
import type { IdMapStore } from '../../db/id-map-store.js';
import { type IdSource, lookupsAt, recordedLookups } from '../../engine/id-map.js';
import {
  type FieldHandler,
  HandlerRejection,
  type IdLookups,
  type Row,
  type Value,
} from '../../handlers/contract.js';

export type ColumnHandlers = Readonly<Record<string, FieldHandler>>;

export type HandledRow = { ok: true; values: Value[]; row: Row } | { ok: false; reason: string };

/** One row (values in `columns` order) through the handlers; a refusal names the column. */
export function applyColumnHandlers(
  document: string,
  columns: readonly string[],
  values: readonly Value[],
  handlers: ColumnHandlers | undefined,
  lookups: IdLookups | undefined,
): HandledRow {
  const row: Row = {};
  columns.forEach((c, i) => {
    row[c] = values[i] ?? null;
  });
  let field = '';
  try {
    for (const [column, handler] of Object.entries(handlers ?? {})) {
      field = column;
      if (column in row) row[column] = handler.transform(row[column] ?? null, row, lookups);
    }
  } catch (error) {
    const reason = error instanceof HandlerRejection ? error.message : `handler failed: ${String(error)}`;
    return { ok: false, reason: `${document}.${field}: ${reason}` };
  }
  return { ok: true, values: columns.map((c) => row[c] ?? null), row };
}

/** The lookups a chunk of rows needs (one query per map); undefined when no handler needs any. */
export function columnHandlerLookups(
  store: IdMapStore,
  document: string,
  columns: readonly string[],
  handlers: ColumnHandlers | undefined,
  rows: readonly (readonly Value[])[],
  tx?: Queryable,
): Promise<IdLookups> | undefined {
  const entries = Object.entries(handlers ?? {});
  if (!entries.some(([, h]) => h.needs?.idMaps.length)) return undefined;
  const sources = idSourcesOf(columns, entries);
  if (sources) return lookupsAt(store, sources, rows, tx);
  return recordedLookups(
    store,
    rows,
    (values, recorder) => applyColumnHandlers(document, columns, values, handlers, recorder),
    tx,
  );
}

/** Where each id-needing handler's ids are, when every one reads its own untouched column. */
function idSourcesOf(columns: readonly string[], entries: [string, FieldHandler][]): IdSource[] | null {
  const sources: IdSource[] = [];
  const changed = new Set<string>();
  for (const [column, handler] of entries) {
    const needs = handler.needs;
    if (needs?.idMaps.length) {
      const index = columns.indexOf(column);
      if (needs.idsFrom !== 'value' || changed.has(column) || index < 0) return null;
      for (const map of needs.idMaps) sources.push({ map, index });
    }
    changed.add(column);
  }
  return sources;
}

/**
 * Id maps by natural key: which destination id each source id became. A map is named after
 * the merged destination document that fills it (src/engine/merge-step.ts) and kept in the
 * destination's id map table (src/db/id-map-store.ts), so a resumed run, a delta run and a
 * retry use the same ids. Handlers read it through {@link IdLookups}, loaded here once per chunk.
 */
import type { Queryable } from '../db/database.js';
import type { IdMapStore } from '../db/id-map-store.js';
import { HandlerRejection, type IdLookups, type Value } from '../handlers/contract.js';
import type { DocumentPlan } from '../mappings/plan.js';
import { transformRow } from '../steps/data/transform-row.js';

/** The id maps a plan's handlers declare they need; empty for a plan of pure handlers. */
export function idMapsNeeded(plan: DocumentPlan): string[] {
  const maps = new Set<string>();
  for (const bound of [...plan.sourceHandlers, ...plan.destinationHandlers]) {
    for (const map of bound.handler.needs?.idMaps ?? []) maps.add(map);
  }
  return [...maps];
}

/** A source column whose values a map is asked for, unchanged on their way to the handler. */
export interface IdSource {
  map: string;
  /** Index in `plan.sourceColumns`. */
  index: number;
}

const sourcesByPlan = new WeakMap<DocumentPlan, readonly IdSource[] | null>();

/**
 * Where the ids a plan's handlers ask for are in a source row, when every handler that needs
 * id maps looks up its own field's value (`needs.idsFrom: 'value'`, as mapId does) and that
 * value arrives from a source column no earlier handler changed. Null otherwise: the ids can
 * then only be learnt by running the chain (see chunkLookups). Computed once per plan.
 */
export function idSources(plan: DocumentPlan): readonly IdSource[] | null {
  const known = sourcesByPlan.get(plan);
  if (known !== undefined) return known;
  const found = findIdSources(plan);
  sourcesByPlan.set(plan, found);
  return found;
}

function findIdSources(plan: DocumentPlan): IdSource[] | null {
  const sources: IdSource[] = [];
  const changedBySource = new Set<string>();
  for (const bound of plan.sourceHandlers) {
    const needs = bound.handler.needs;
    if (needs) {
      const index = plan.sourceColumns.indexOf(bound.field);
      if (needs.idsFrom !== 'value' || changedBySource.has(bound.field) || index < 0) return null;
      for (const map of needs.idMaps) sources.push({ map, index });
    }
    changedBySource.add(bound.field);
  }
  const changedByDestination = new Set<string>();
  for (const bound of plan.destinationHandlers) {
    const needs = bound.handler.needs;
    if (needs) {
      if (needs.idsFrom !== 'value' || changedByDestination.has(bound.field)) return null;
      const column = plan.columns.find((c) => c.destination === bound.field);
      if (!column) return null;
      // A column filled with NULL asks for no id; one whose source a handler changed cannot be read here.
      if (column.source !== null) {
        const index = plan.sourceColumns.indexOf(column.source);
        if (changedBySource.has(column.source) || index < 0) return null;
        for (const map of needs.idMaps) sources.push({ map, index });
      }
    }
    changedByDestination.add(bound.field);
  }
  return sources;
}

/**
 * The lookups a chunk of source rows (in `plan.sourceColumns` order) needs, with one query per
 * map. The ids asked for are read from the rows where the handlers say they are (idSources),
 * so the chain runs once, in the caller. A plan with a handler that does not say where its ids
 * are (a user's module) is run through the handlers once with a recording lookup first.
 * Undefined when the plan needs no id map.
 */
export async function chunkLookups(
  store: IdMapStore,
  plan: DocumentPlan,
  rows: readonly (readonly Value[])[],
  tx?: Queryable,
): Promise<IdLookups | undefined> {
  if (idMapsNeeded(plan).length === 0) return undefined;
  const sources = idSources(plan);
  if (sources) return lookupsAt(store, sources, rows, tx);
  return recordedLookups(store, rows, (row, recorder) => transformRow(plan, row, recorder), tx);
}

/** The lookups for the ids found in the rows at `sources` (one query per map). */
export function lookupsAt(
  store: IdMapStore,
  sources: readonly IdSource[],
  rows: readonly (readonly Value[])[],
  tx?: Queryable,
): Promise<IdLookups> {
  const asked = new Map<string, Set<string>>(sources.map((s) => [s.map, new Set()]));
  for (const row of rows) {
    for (const { map, index } of sources) {
      const value = row[index] ?? null;
      if (value !== null) asked.get(map)?.add(Buffer.isBuffer(value) ? value.toString('utf8') : value);
    }
  }
  return loadLookups(store, asked, tx);
}

/**
 * The lookups a chain needs whose handlers do not say where their ids are: each row runs through
 * `transform` once with a recording lookup, then the ids it asked for are loaded (one query per
 * map). Handler refusals in the recording run are ignored: the real run meets them again.
 */
export async function recordedLookups(
  store: IdMapStore,
  rows: readonly (readonly Value[])[],
  transform: (row: readonly Value[], recorder: IdLookups) => unknown,
  tx?: Queryable,
): Promise<IdLookups> {
  const asked = new Map<string, Set<string>>();
  const recorder: IdLookups = {
    id(map, sourceId) {
      const ids = asked.get(map) ?? new Set<string>();
      asked.set(map, ids);
      ids.add(sourceId);
      // A stand-in answer, so the row's later handlers run and record their ids too: answering
      // "unknown" made mapId reject the row at its first id, and a second id-mapping field of
      // the same row was never loaded.
      return sourceId;
    },
  };
  for (const row of rows) {
    try {
      transform(row, recorder);
    } catch (error) {
      if (!(error instanceof HandlerRejection)) throw error;
    }
  }
  return loadLookups(store, asked, tx);
}

/** Lookups answering from the entries of the given source ids, one query per map. */
export async function loadLookups(
  store: IdMapStore,
  asked: ReadonlyMap<string, ReadonlySet<string>>,
  tx?: Queryable,
): Promise<IdLookups> {
  const answers = new Map<string, Map<string, string>>();
  for (const [map, ids] of asked) {
    const entries = await store.lookup(map, [...ids], tx);
    answers.set(map, new Map(entries.map((e) => [e.sourceId, e.destinationId])));
  }
  return { id: (map, sourceId) => answers.get(map)?.get(sourceId) };
}

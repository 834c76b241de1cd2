/**
 * Id maps by natural key: which destination id each source id became. A map is named after
 * the merged destination document that fills it (src/engine/merge-step.ts) and kept in the
 * destination's id map table (src/db/id-map-store.ts), so a resumed run, a delta run and a
 * retry use the same ids. Handlers read it through {@link IdLookups}, loaded here once per chunk.
 */
import type { Queryable } from '../db/database.js';
import type { IdMapStore } from '../db/id-map-store.js';
import type { IdLookups, Value } from '../handlers/contract.js';
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

/**
 * The lookups a chunk of source rows (in `plan.sourceColumns` order) needs, with one query per
 * map. The ids asked for are found by running the chunk through the handlers once with a
 * recording lookup (whatever the handler's input is: its own field, another field, a value a
 * source handler made), then loaded together. Undefined when the plan needs no id map.
 */
export async function chunkLookups(
  store: IdMapStore,
  plan: DocumentPlan,
  rows: readonly (readonly Value[])[],
  tx?: Queryable,
): Promise<IdLookups | undefined> {
  const maps = idMapsNeeded(plan);
  if (maps.length === 0) return undefined;
  const asked = new Map<string, Set<string>>(maps.map((m) => [m, new Set()]));
  const recorder: IdLookups = {
    id(map, sourceId) {
      const ids = asked.get(map) ?? new Set<string>();
      asked.set(map, ids);
      ids.add(sourceId);
      // A stand-in answer, so the row's later handlers run and record their ids too: answering
      // "unknown" made mapId reject the row at its first id, and a second mapId field of the
      // same row (a store's website_id and group_id) was never loaded.
      return sourceId;
    },
  };
  for (const row of rows) transformRow(plan, row, recorder);
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

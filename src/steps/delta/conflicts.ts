/**
 * Before a delta batch replaces destination rows, the keys whose first change in the batch is an
 * insert on the old store are looked up in the destination: a row already there under such a
 * key, holding other values than the ones delta is about to write, was not written by delta. The
 * classic case is a tester's order in the new store whose id the old shop then used too. With
 * the `overwrite` policy (the default, and the behaviour before this check) delta replaces or
 * deletes it and records that it did; with `keep` it leaves the destination's row alone and
 * records the conflict, so the key differs between the stores until someone decides.
 *
 * A row the bulk copy took between the old store's insert and a later update of it is reported
 * too (the copy wrote the earlier version); an edit made in the new store to a row the old store
 * then updated is not detected.
 */

import type { Queryable } from '../../db/database.js';
import { presentKeys, rowHolds } from '../../db/row-presence.js';
import type { Value } from '../../handlers/contract.js';
import { encodeKey } from '../../progress/key-codec.js';
import { type ConflictEntry, conflictEntry } from './conflict-log.js';

export type ConflictPolicy = 'overwrite' | 'keep';

export interface ConflictInput {
  document: string;
  schema: string;
  table: string;
  destinationKey: readonly string[];
  /** Keys the old store inserted (first change in the batch), in destination key order. */
  inserted: readonly Value[][];
  /** The rows delta is about to write, in `columns` order, by encoded key. */
  incoming: ReadonlyMap<string, readonly Value[]>;
  columns: readonly string[];
  policy: ConflictPolicy;
  at: string;
}

export interface Conflicts {
  entries: ConflictEntry[];
  /** Encoded keys delta must leave alone (policy keep). */
  kept: Set<string>;
}

const REASON =
  'the old store inserted this key after tracking began, and the destination already held a different row under it';

export async function findConflicts(tx: Queryable, input: ConflictInput): Promise<Conflicts> {
  const entries: ConflictEntry[] = [];
  const kept = new Set<string>();
  const present = await presentKeys(tx, input.schema, input.table, input.destinationKey, input.inserted);
  for (const key of present) {
    const encoded = encodeKey(key);
    const row = input.incoming.get(encoded);
    const same =
      row !== undefined &&
      (await rowHolds(tx, input.schema, input.table, input.destinationKey, key, input.columns, row));
    if (same) continue;
    const action = input.policy === 'keep' ? 'kept' : row === undefined ? 'deleted' : 'replaced';
    if (action === 'kept') kept.add(encoded);
    entries.push(
      conflictEntry(input.document, input.table, input.destinationKey, key, action, REASON, input.at),
    );
  }
  return { entries, kept };
}

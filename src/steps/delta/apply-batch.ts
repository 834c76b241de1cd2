/**
 * One delta batch for one tracked document (invariant 7):
 *   1. read change-log rows in id order, up to `batchSize` (the watermark is the last id read);
 *   2. keep the last operation per key;
 *   3. re-read the current source rows of those keys (a key whose row is gone is a delete);
 *   4. in one destination transaction, delete the destination rows of those keys and insert the
 *      re-read rows, transformed with the same plan and id lookups as the bulk copy (the chunk
 *      sink, src/engine/chunk-sink.ts);
 *   5. then delete exactly the change-log rows read, never more.
 * A change that lands during 3-5 gets a change-log row that was not read, so it stays and is
 * applied by a later batch; a crash between 4 and 5 re-applies the batch, which is idempotent.
 * Deleting the exact ids (not "id <= watermark") also keeps a change whose transaction had
 * taken a lower id but not yet committed when the batch was read.
 */
import { deleteChangeLogIds, readChangeLogBatch } from '../../db/change-log-rows.js';
import type { Database, Queryable } from '../../db/database.js';
import { deleteRowsByKey } from '../../db/delete-by-key.js';
import type { IdMapStore } from '../../db/id-map-store.js';
import { loadDataSafe, writeRows } from '../../db/row-writer.js';
import { readRowsByKey } from '../../db/rows-by-key.js';
import { ChunkSink } from '../../engine/chunk-sink.js';
import { ExitCode, MigrateError } from '../../errors.js';
import type { Value } from '../../handlers/contract.js';
import type { ChangedKeys } from '../../progress/changed-keys.js';
import { encodeKey } from '../../progress/key-codec.js';
import type { RejectedLog } from '../data/rejected-log.js';
import type { ConflictLog } from './conflict-log.js';
import { type ConflictPolicy, type Conflicts, findConflicts } from './conflicts.js';
import type { TrackedDocument } from './tracked-documents.js';
import { keyColumn, type TrackingGap } from './tracking.js';

export interface DeltaContext {
  /** Read-only source pool: current rows. */
  source: Database;
  /** Writable source connection: change-log reads and deletes (the only writes to the source). */
  tracker: Database;
  destination: Database;
  rejected: RejectedLog;
  maxAllowedPacket: number;
  useLoadData: boolean;
  batchSize: number;
  /** Test seam: runs after the source rows were re-read and before anything is written. */
  afterReread?: (document: string) => Promise<void>;
  /**
   * Where destination rows delta did not write are recorded (conflicts.ts); without it they are
   * not looked for. `conflictPolicy` says whether delta overwrites them (default) or keeps them.
   */
  conflicts?: ConflictLog;
  conflictPolicy?: ConflictPolicy;
  /** The id map table, for handlers that declare `needs` (src/engine/id-map.ts): lookups loaded per batch. */
  idMaps?: IdMapStore;
  /**
   * Where the keys of every batch are recorded, in the batch's transaction, for the cut-over's
   * verify (src/progress/changed-keys.ts); without it they are not recorded.
   */
  changedKeys?: ChangedKeys;
}

export interface BatchResult {
  /** Change-log rows consumed. */
  changes: number;
  upserted: number;
  deleted: number;
  rejected: number;
  /** Destination rows delta had not written that it replaced, deleted or (policy keep) left. */
  conflicts: number;
}

export async function applyBatch(ctx: DeltaContext, doc: TrackedDocument): Promise<BatchResult> {
  const { plan, key, destinationKey, names } = doc;
  const changeLog = {
    schema: ctx.tracker.schema,
    table: names.changeLog,
    keyColumns: key.map((_, i) => keyColumn(i)),
  };
  const log = await readChangeLogBatch(ctx.tracker, changeLog, ctx.batchSize).catch((error: unknown) => {
    if ((error as { errno?: number }).errno === 1146)
      throw changeLogMissing([{ document: plan.document, missing: [`change log ${names.changeLog} gone`] }]);
    throw error;
  });
  if (log.length === 0) return { changes: 0, upserted: 0, deleted: 0, rejected: 0, conflicts: 0 };

  const latest = new Map<string, { key: Value[]; op: string }>();
  for (const entry of log) latest.set(encodeKey(entry.key), { key: entry.key, op: entry.op });
  const keys = [...latest.values()];
  const firstOp = new Map<string, string>();
  for (const entry of log)
    if (!firstOp.has(encodeKey(entry.key))) firstOp.set(encodeKey(entry.key), entry.op);

  const current = await readCurrentRows(
    ctx,
    doc,
    keys.filter((k) => k.op !== 'D').map((k) => k.key),
  );
  await ctx.afterReread?.(plan.document);

  const columns = plan.columns.map((c) => c.destination);
  let conflictCount = 0;
  const counts = await new ChunkSink({
    destination: ctx.destination,
    rejected: ctx.rejected,
    ...(ctx.idMaps && { idMaps: ctx.idMaps }),
  }).commit({
    document: plan.document,
    plan,
    table: plan.destinationTable,
    columns,
    rows: current,
    write: async (tx, values) => {
      const conflicts = await batchConflicts(ctx, tx, doc, keys, firstOp, values, columns);
      const kept = conflicts.kept;
      const replaced = kept.size ? keys.filter((k) => !kept.has(encodeKey(k.key))) : keys;
      const written = kept.size
        ? values.filter((row) => !kept.has(encodeKey(keyOf(row, columns, destinationKey))))
        : values;
      ctx.conflicts?.append(conflicts.entries);
      conflictCount = conflicts.entries.length;
      await deleteRowsByKey(
        tx,
        { schema: ctx.destination.schema, table: plan.destinationTable, key: destinationKey },
        replaced.map((k) => k.key),
      );
      if (written.length === 0) return { written: 0 };
      const result = await writeRows(tx, written, {
        table: plan.destinationTable,
        columns,
        maxAllowedPacket: ctx.maxAllowedPacket,
        useLoadData: ctx.useLoadData && written.length >= 100 && loadDataSafe(plan.destinationTypes),
        infiles: ctx.destination,
      });
      return { written: result.written, refused: result.rejected };
    },
    // Every key this batch touched, so the cut-over deep-compares exactly what changed.
    after: async (tx) => {
      await ctx.changedKeys?.record(
        tx,
        plan.document,
        keys.map((k) => k.key),
      );
    },
  });

  await deleteChangeLogIds(
    ctx.tracker,
    changeLog,
    log.map((e) => e.id),
  );
  return {
    changes: log.length,
    upserted: counts.written,
    deleted: keys.length - current.length,
    rejected: counts.rejected,
    conflicts: conflictCount,
  };
}

/** Destination rows under keys the old store inserted that delta did not write (conflicts.ts). */
async function batchConflicts(
  ctx: DeltaContext,
  tx: Queryable,
  doc: TrackedDocument,
  keys: ReadonlyArray<{ key: Value[] }>,
  firstOp: ReadonlyMap<string, string>,
  values: readonly Value[][],
  columns: readonly string[],
): Promise<Conflicts> {
  const inserted = keys.filter((k) => firstOp.get(encodeKey(k.key)) === 'I').map((k) => k.key);
  if (!ctx.conflicts || inserted.length === 0) return { entries: [], kept: new Set() };
  const incoming = new Map(values.map((row) => [encodeKey(keyOf(row, columns, doc.destinationKey)), row]));
  return findConflicts(tx, {
    document: doc.plan.document,
    schema: ctx.destination.schema,
    table: doc.plan.destinationTable,
    destinationKey: doc.destinationKey,
    inserted,
    incoming,
    columns,
    policy: ctx.conflictPolicy ?? 'overwrite',
    at: new Date().toISOString(),
  });
}

/** A destination-shaped row's key, in destination key order. */
function keyOf(
  row: readonly Value[],
  columns: readonly string[],
  destinationKey: readonly string[],
): Value[] {
  return destinationKey.map((column) => row[columns.indexOf(column)] ?? null);
}

/** The current source rows of `keys`, in `plan.sourceColumns` order; absent keys are simply missing. */
function readCurrentRows(ctx: DeltaContext, doc: TrackedDocument, keys: Value[][]): Promise<Value[][]> {
  return readRowsByKey(
    ctx.source,
    {
      schema: ctx.source.schema,
      table: doc.plan.sourceTable,
      columns: doc.plan.sourceColumns,
      types: doc.plan.sourceTypes,
      key: doc.key,
    },
    keys,
  );
}

/**
 * Tracking of these documents is (partly) gone: their triggers, whose bodies ignore a missing
 * change log so the shop never fails because of it, logged nothing meanwhile.
 */
export function changeLogMissing(gaps: readonly TrackingGap[]): MigrateError {
  const documents = gaps.map((g) => g.document);
  const what = gaps.map((g) => `${g.document} (${g.missing.join(', ')})`).join('; ');
  return new MigrateError(`change tracking is missing on the source for: ${what}`, {
    code: 'CHANGE_LOG_MISSING',
    exitCode: ExitCode.failed,
    hint:
      'changes made since it went missing (a restored backup, a manual cleanup, a dropped trigger) cannot be recovered: ' +
      `re-copy those documents, which sets tracking up again first: migrate data <config> --reset --only ${documents.join(' ')}`,
    context: { step: 'delta', ...(documents.length === 1 ? { document: documents[0] } : {}) },
  });
}

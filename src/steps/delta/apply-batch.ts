/**
 * One delta batch for one tracked document (invariant 7):
 *   1. read change-log rows in id order, up to `batchSize` (the watermark is the last id read);
 *   2. keep the last operation per key;
 *   3. re-read the current source rows of those keys (a key whose row is gone is a delete);
 *   4. in one destination transaction, delete the destination rows of those keys and insert the
 *      re-read rows, transformed with the same plan as the bulk copy;
 *   5. then delete exactly the change-log rows read, never more.
 * A change that lands during 3-5 gets a change-log row that was not read, so it stays and is
 * applied by a later batch; a crash between 4 and 5 re-applies the batch, which is idempotent.
 * Deleting the exact ids (not "id <= watermark") also keeps a change whose transaction had
 * taken a lower id but not yet committed when the batch was read.
 */
import type { Database, Queryable } from '../../db/database.js';
import { qualifiedName, quoteIdentifier } from '../../db/identifiers.js';
import { loadDataSafe, writeRows } from '../../db/row-writer.js';
import { readColumns } from '../../db/select-list.js';
import { ExitCode, MigrateError } from '../../errors.js';
import type { IdLookups, Value } from '../../handlers/contract.js';
import type { DocumentPlan } from '../../mappings/plan.js';
import type { ChangedKeys } from '../../progress/changed-keys.js';
import { encodeKey } from '../../progress/key-codec.js';
import { type RejectedLog, refusedEntries } from '../data/rejected-log.js';
import { transformChunk } from '../data/transform-row.js';
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
  /** Id map lookups for handlers that declare `needs` (src/engine/id-map.ts), loaded per batch. */
  lookups?: (plan: DocumentPlan, rows: readonly Value[][]) => Promise<IdLookups | undefined>;
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

const KEYS_PER_STATEMENT = 1000;

export async function applyBatch(ctx: DeltaContext, doc: TrackedDocument): Promise<BatchResult> {
  const { plan, key, destinationKey, names } = doc;
  const changeLog = qualifiedName(ctx.tracker.schema, names.changeLog);
  const keyColumns = key.map((_, i) => quoteIdentifier(keyColumn(i))).join(', ');
  const log = await readChangeLog(ctx, changeLog, keyColumns, key.length).catch((error: unknown) => {
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

  const { values, rejected } = transformChunk(plan, current, await ctx.lookups?.(plan, current));
  const columns = plan.columns.map((c) => c.destination);
  let upserted = 0;
  let refusedCount = 0;
  let conflictCount = 0;
  await ctx.destination.transaction(async (tx) => {
    const destinationTable = qualifiedName(ctx.destination.schema, plan.destinationTable);
    const conflicts = await batchConflicts(ctx, tx, doc, keys, firstOp, values, columns);
    const kept = conflicts.kept;
    const replaced = kept.size ? keys.filter((k) => !kept.has(encodeKey(k.key))) : keys;
    const written = kept.size
      ? values.filter((row) => !kept.has(encodeKey(keyOf(row, columns, destinationKey))))
      : values;
    ctx.conflicts?.append(conflicts.entries);
    conflictCount = conflicts.entries.length;
    for (let i = 0; i < replaced.length; i += KEYS_PER_STATEMENT) {
      const slice = replaced.slice(i, i + KEYS_PER_STATEMENT).map((k) => k.key);
      const match = keyIn(destinationKey, slice);
      await tx.execute(`DELETE FROM ${destinationTable} WHERE ${match.sql}`, match.bindings);
    }
    const result =
      written.length === 0
        ? { written: 0, rejected: [] }
        : await writeRows(tx, written, {
            table: plan.destinationTable,
            columns,
            maxAllowedPacket: ctx.maxAllowedPacket,
            useLoadData: ctx.useLoadData && written.length >= 100 && loadDataSafe(plan.destinationTypes),
            infiles: ctx.destination,
          });
    upserted = result.written;
    const at = new Date().toISOString();
    const refused = refusedEntries(plan.document, plan.destinationTable, columns, result.rejected, at, plan);
    const all = [...rejected.map((r) => ({ ...r, at })), ...refused];
    refusedCount = all.length;
    ctx.rejected.append(all);
    // Every key this batch touched, so the cut-over deep-compares exactly what changed.
    await ctx.changedKeys?.record(
      tx,
      plan.document,
      keys.map((k) => k.key),
    );
  });

  await deleteRead(
    ctx,
    changeLog,
    log.map((e) => e.id),
  );
  return {
    changes: log.length,
    upserted,
    deleted: keys.length - current.length,
    rejected: refusedCount,
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

interface LogEntry {
  id: string;
  key: Value[];
  op: string;
}

async function readChangeLog(ctx: DeltaContext, changeLog: string, keyColumns: string, keyLength: number) {
  const rows = await ctx.tracker.queryArrays(
    `SELECT id, ${keyColumns}, op FROM ${changeLog} ORDER BY id LIMIT ${ctx.batchSize}`,
  );
  return rows.map(
    (row): LogEntry => ({
      id: String(row[0]),
      key: row.slice(1, 1 + keyLength),
      op: String(row[1 + keyLength]),
    }),
  );
}

/** The current source rows of `keys`, in `plan.sourceColumns` order; absent keys are simply missing. */
async function readCurrentRows(ctx: DeltaContext, doc: TrackedDocument, keys: Value[][]): Promise<Value[][]> {
  const rows: Value[][] = [];
  const table = qualifiedName(ctx.source.schema, doc.plan.sourceTable);
  for (let i = 0; i < keys.length; i += KEYS_PER_STATEMENT) {
    const match = keyIn(doc.key, keys.slice(i, i + KEYS_PER_STATEMENT));
    rows.push(
      ...(await ctx.source.queryArrays(
        `SELECT ${readColumns(doc.plan.sourceColumns, doc.plan.sourceTypes)} FROM ${table} WHERE ${match.sql}`,
        match.bindings,
      )),
    );
  }
  return rows;
}

/** Deletes exactly the change-log ids read, as ranges of consecutive ids. */
async function deleteRead(ctx: DeltaContext, changeLog: string, ids: readonly string[]): Promise<void> {
  const sorted = ids.map((id) => BigInt(id)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const ranges: Array<[bigint, bigint]> = [];
  for (const id of sorted) {
    const last = ranges.at(-1);
    if (last && id === last[1] + 1n) last[1] = id;
    else ranges.push([id, id]);
  }
  for (let i = 0; i < ranges.length; i += KEYS_PER_STATEMENT) {
    const slice = ranges.slice(i, i + KEYS_PER_STATEMENT);
    await ctx.tracker.execute(
      `DELETE FROM ${changeLog} WHERE ${slice.map(() => '(id BETWEEN ? AND ?)').join(' OR ')}`,
      slice.flatMap(([a, b]) => [a.toString(), b.toString()]),
    );
  }
}

function keyIn(columns: readonly string[], keys: readonly Value[][]): { sql: string; bindings: Value[] } {
  if (columns.length === 1) {
    return {
      sql: `${quoteIdentifier(columns[0] ?? '')} IN (${keys.map(() => '?').join(', ')})`,
      bindings: keys.map((k) => k[0] ?? null),
    };
  }
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  return {
    sql: `(${columns.map(quoteIdentifier).join(', ')}) IN (${keys.map(() => tuple).join(', ')})`,
    bindings: keys.flat(),
  };
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

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
import type { Database } from '../../db/database.js';
import { qualifiedName, quoteIdentifier } from '../../db/identifiers.js';
import { loadDataSafe, writeRows } from '../../db/row-writer.js';
import { readColumns } from '../../db/select-list.js';
import { ExitCode, MigrateError } from '../../errors.js';
import type { Value } from '../../handlers/contract.js';
import { encodeKey } from '../../progress/key-codec.js';
import { type RejectedLog, refusedEntries } from '../data/rejected-log.js';
import { transformChunk } from '../data/transform-row.js';
import type { TrackedDocument } from './tracked-documents.js';
import { keyColumn } from './tracking.js';

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
}

export interface BatchResult {
  /** Change-log rows consumed. */
  changes: number;
  upserted: number;
  deleted: number;
  rejected: number;
}

const KEYS_PER_STATEMENT = 1000;

export async function applyBatch(ctx: DeltaContext, doc: TrackedDocument): Promise<BatchResult> {
  const { plan, key, destinationKey, names } = doc;
  const changeLog = qualifiedName(ctx.tracker.schema, names.changeLog);
  const keyColumns = key.map((_, i) => quoteIdentifier(keyColumn(i))).join(', ');
  const log = await readChangeLog(ctx, changeLog, keyColumns, key.length);
  if (log.length === 0) return { changes: 0, upserted: 0, deleted: 0, rejected: 0 };

  const latest = new Map<string, { key: Value[]; op: string }>();
  for (const entry of log) latest.set(encodeKey(entry.key), { key: entry.key, op: entry.op });
  const keys = [...latest.values()];

  const current = await readCurrentRows(
    ctx,
    doc,
    keys.filter((k) => k.op !== 'D').map((k) => k.key),
  );
  await ctx.afterReread?.(plan.document);

  const { values, rejected } = transformChunk(plan, current);
  const columns = plan.columns.map((c) => c.destination);
  let upserted = 0;
  let refusedCount = 0;
  await ctx.destination.transaction(async (tx) => {
    const destinationTable = qualifiedName(ctx.destination.schema, plan.destinationTable);
    for (let i = 0; i < keys.length; i += KEYS_PER_STATEMENT) {
      const slice = keys.slice(i, i + KEYS_PER_STATEMENT).map((k) => k.key);
      const match = keyIn(destinationKey, slice);
      await tx.execute(`DELETE FROM ${destinationTable} WHERE ${match.sql}`, match.bindings);
    }
    const result =
      values.length === 0
        ? { written: 0, rejected: [] }
        : await writeRows(tx, values, {
            table: plan.destinationTable,
            columns,
            maxAllowedPacket: ctx.maxAllowedPacket,
            useLoadData: ctx.useLoadData && values.length >= 100 && loadDataSafe(plan.destinationTypes),
            infiles: ctx.destination,
          });
    upserted = result.written;
    const at = new Date().toISOString();
    const refused = refusedEntries(plan.document, plan.destinationTable, columns, result.rejected, at, plan);
    const all = [...rejected.map((r) => ({ ...r, at })), ...refused];
    refusedCount = all.length;
    ctx.rejected.append(all);
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
  };
}

interface LogEntry {
  id: string;
  key: Value[];
  op: string;
}

async function readChangeLog(ctx: DeltaContext, changeLog: string, keyColumns: string, keyLength: number) {
  try {
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
  } catch (error) {
    if ((error as { errno?: number }).errno === 1146) throw changeLogMissing([changeLog]);
    throw error;
  }
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

export function changeLogMissing(documents: readonly string[]): MigrateError {
  return new MigrateError(`change tracking is missing on the source for: ${documents.join(', ')}`, {
    code: 'CHANGE_LOG_MISSING',
    exitCode: ExitCode.failed,
    hint:
      'changes made since it went missing (a restored backup, a manual cleanup) cannot be recovered: ' +
      `re-copy those documents, which sets tracking up again first: migrate data <config> --reset --only ${documents.join(' ')}`,
    context: { step: 'delta' },
  });
}

/**
 * Copies one key range ("part") of one document, chunk by chunk. Each chunk's rows and its
 * progress mark commit in one destination transaction (invariant 2), so a run killed at any
 * instant resumes from the last committed chunk with no row lost and none twice.
 */
import { type Database, ReadStopped } from '../../db/database.js';
import { deleteAllRows } from '../../db/empty-table.js';
import type { IdMapStore } from '../../db/id-map-store.js';
import {
  chunkUpperKey,
  type DirectCopyTables,
  insertSelectRange,
  SOURCE_ALIAS,
} from '../../db/insert-select.js';
import { RawInsertValues } from '../../db/insert-values-text.js';
import { allOf, keyAfter, keyAtMost } from '../../db/keyset.js';
import { RawLoadData } from '../../db/load-data-text.js';
import {
  isRowLevelError,
  type WriteResult,
  writeRawInsertValues,
  writeRawRows,
  writeRows,
} from '../../db/row-writer.js';
import { readSourceChunk, type SourceChunk, streamSourceTable } from '../../db/source-chunk.js';
import { ChunkSink } from '../../engine/chunk-sink.js';
import type { ThrottleGate } from '../../engine/throttle.js';
import type { Value } from '../../handlers/contract.js';
import type { DocumentPlan } from '../../mappings/plan.js';
import type { PartProgress, ProgressStore } from '../../progress/store.js';
import { ChunkSizer } from './chunk-size.js';
import { streamWriter } from './copy-method.js';
import type { RejectedLog } from './rejected-log.js';
import { selectList } from './sql-select-list.js';
import { isIdentity } from './transform-row.js';

/** Set by Ctrl+C: parts finish the chunk in hand, commit it, and return. */
export interface StopSignal {
  requested: boolean;
}

export interface CopyContext {
  source: Database;
  destination: Database;
  progress: ProgressStore;
  rejected: RejectedLog;
  /** Rows per chunk; 0 sizes chunks automatically. */
  bulkSize: number;
  useLoadData: boolean;
  maxAllowedPacket: number;
  stop: StopSignal;
  /** Waits while the source is overloaded or paused, between chunks; absent: never waits. */
  throttle?: ThrottleGate;
  /** The id map table: the chunk sink loads, once per chunk, the ids its handlers look up (src/engine/id-map.ts). */
  idMaps?: IdMapStore;
  /**
   * Write chunks kept as bytes with multi-row INSERTs, not LOAD DATA: set for a destination with
   * an AUTO_INCREMENT column whose parts are copied in parallel (insert-values-text.ts says why).
   */
  insertValues?: boolean;
  onRows(document: string, rows: number): void;
}

export type CopyMethod = 'insert-select' | 'insert' | 'load-data' | 'stream-whole';

export interface PartOutcome {
  finished: boolean;
  method: CopyMethod;
}

/**
 * Copies a part by streaming rows through the tool (handlers, batch INSERT / LOAD DATA).
 * `markDone` false copies a sub-range for the direct path without declaring the part finished.
 */
export async function copyPartStreaming(
  ctx: CopyContext,
  plan: DocumentPlan,
  part: PartProgress,
  markDone = true,
): Promise<PartOutcome> {
  const key = plan.key;
  if (!key) throw new Error(`copyPartStreaming needs a key; ${plan.document} has none`);
  const keyIndexes = key.map((k) => plan.sourceColumns.indexOf(k));
  const sizer = new ChunkSizer(ctx.bulkSize, averageRowBytes(plan));
  let method = initialMethod(ctx, plan);
  let last = part.lastKey ?? part.rangeStart;

  const read = (after: Value[] | null, limit: number) =>
    // Text that is not valid UTF-8 comes back as values, whose path rejects it (inexact-text.ts).
    readSourceChunk(
      ctx.source,
      sourceTableOf(ctx, plan),
      allOf([
        after ? keyAfter(key, after) : undefined,
        part.rangeEnd ? keyAtMost(key, part.rangeEnd) : undefined,
      ]),
      limit,
      method === 'load-data' && copiesBytes(plan)
        ? ctx.insertValues
          ? 'insert-values'
          : 'load-data'
        : undefined,
    );

  let limit = sizer.size;
  let pending = read(last, limit);
  // A prefetch can fail while the chunk before it is still being written (a lost server):
  // the failure is handled where it is awaited, never left as an unhandled rejection.
  const prefetch = (promise: Promise<Chunk>) => {
    promise.catch(() => {});
    return promise;
  };
  pending = prefetch(pending);
  for (;;) {
    await ctx.throttle?.wait(ctx.stop); // before the clock starts: a pause must not shrink the chunks
    const started = performance.now();
    const rows = await pending;
    const complete = rows.length < limit;
    const lastRow =
      rows instanceof RawLoadData || rows instanceof RawInsertValues
        ? rows.length > 0
          ? rows.rows.row(rows.length - 1)
          : undefined
        : rows.at(-1);
    const lastKey = lastRow ? keyIndexes.map((i) => lastRow[i] ?? null) : null;
    // Read the next chunk while this one is written: the source and destination work in parallel.
    if (!complete && !ctx.stop.requested) {
      limit = sizer.size;
      pending = prefetch(read(lastKey, limit));
    }
    const written = await writeChunk(ctx, plan, part, rows, lastKey, complete && markDone, method);
    if (rows instanceof RawLoadData || rows instanceof RawInsertValues) rows.release(); // written: nothing reads its buffers any more
    method = written.method;
    ctx.onRows(plan.document, rows.length);
    sizer.record(rows.length, (performance.now() - started) / 1000);
    last = lastKey ?? last;
    if (complete) return { finished: true, method };
    if (ctx.stop.requested) {
      await pending.catch(() => {}); // the prefetched chunk is dropped; it is read again on resume
      return { finished: false, method };
    }
  }
}

/** Copies a document with no usable key in one streamed read; an interrupted copy starts over. */
export async function copyWholeStreaming(
  ctx: CopyContext,
  plan: DocumentPlan,
  part: PartProgress,
): Promise<PartOutcome> {
  if (part.state === 'copying') {
    // The rows of an interrupted keyless copy cannot be told apart from the rest: start again,
    // the ledger too (else the counts add up both). The DELETE may take long (the bulk limit);
    // killed before the counters are zeroed, the next run deletes nothing and zeroes them then.
    await deleteAllRows(ctx.destination, plan.destinationTable);
    await ctx.destination.transaction((tx) => ctx.progress.restart(tx, plan.document, part.part));
    // Its rejected rows are read (and rejected) again too: the old entries would double them.
    ctx.rejected.archive(plan.document, 'restart');
  }
  const sizer = new ChunkSizer(ctx.bulkSize, averageRowBytes(plan));
  let method = initialMethod(ctx, plan);
  let batch: Value[][] = [];
  const flush = async (done: boolean) => {
    await ctx.throttle?.wait(ctx.stop);
    const result = await writeChunk(ctx, plan, part, batch, null, done, method);
    method = result.method;
    ctx.onRows(plan.document, batch.length);
    batch = [];
  };
  // A lost or silent source fails the stream (see Database.streamArrays), and the retry rules
  // start the document again; Ctrl+C ends it after the batch in hand, even while it waits.
  try {
    for await (const row of streamSourceTable(ctx.source, sourceTableOf(ctx, plan), { stop: ctx.stop })) {
      batch.push(row);
      if (batch.length >= sizer.size) await flush(false);
      if (ctx.stop.requested) return { finished: false, method: 'stream-whole' };
    }
  } catch (error) {
    if (error instanceof ReadStopped) return { finished: false, method: 'stream-whole' };
    throw error;
  }
  await flush(true);
  return { finished: true, method: 'stream-whole' };
}

/**
 * Copies a part with `INSERT ... SELECT` on the destination's server: the rows never leave
 * the database. A chunk the destination refuses is re-done through the streaming path, so
 * its bad rows are isolated and written to the rejected-rows file.
 */
export async function copyPartDirect(
  ctx: CopyContext,
  plan: DocumentPlan,
  part: PartProgress,
): Promise<PartOutcome> {
  const key = plan.key;
  if (!key) throw new Error(`copyPartDirect needs a key; ${plan.document} has none`);
  const sizer = new ChunkSizer(ctx.bulkSize); // rows never enter this process: no byte bound
  const tables: DirectCopyTables = {
    source: { schema: ctx.source.schema, table: plan.sourceTable, key },
    destination: {
      schema: ctx.destination.schema,
      table: plan.destinationTable,
      columns: plan.columns.map((c) => c.destination),
    },
    select: selectList(plan, SOURCE_ALIAS),
  };
  let last = part.lastKey ?? part.rangeStart;
  for (;;) {
    await ctx.throttle?.wait(ctx.stop);
    const started = performance.now();
    const limit = sizer.size;
    const boundary = await chunkUpperKey(ctx.source, tables, last, part.rangeEnd, limit);
    const upperValues = boundary ?? part.rangeEnd;
    const complete = boundary === undefined;
    let copied = 0;
    try {
      await ctx.destination.transaction(async (tx) => {
        copied = await insertSelectRange(tx, tables, last, upperValues);
        await ctx.progress.advance(tx, plan.document, part.part, {
          lastKey: upperValues ?? null,
          // The server reads and writes the rows itself and says how many: one number for both.
          read: copied,
          copied,
          rejected: 0,
          seconds: (performance.now() - started) / 1000,
          method: 'insert-select',
          done: complete,
        });
      });
    } catch (error) {
      if (!isRowLevelError(error)) throw error;
      // Some row of this chunk does not fit: stream just this chunk to find and reject it.
      await copyPartStreaming(
        ctx,
        plan,
        { ...part, lastKey: last, rangeStart: last, rangeEnd: upperValues ?? null },
        complete,
      );
      copied = 0;
      if (complete) return { finished: true, method: 'insert-select' };
    }
    ctx.onRows(plan.document, copied);
    sizer.record(limit, (performance.now() - started) / 1000);
    last = upperValues ?? last;
    if (complete) return { finished: true, method: 'insert-select' };
    if (ctx.stop.requested) return { finished: false, method: 'insert-select' };
  }
}

/** The table's average row size on disk, from information_schema's estimates; 0 when unknown. */
function averageRowBytes(plan: DocumentPlan): number {
  return plan.estimatedRows > 0 ? plan.estimatedBytes / plan.estimatedRows : 0;
}

/** The writer the plan chose (copy-method.ts): LOAD DATA when allowed and exact for every column type. */
function initialMethod(ctx: CopyContext, plan: DocumentPlan): CopyMethod {
  return streamWriter(plan, ctx.useLoadData);
}

/**
 * A chunk as read: values, or (copiesBytes) the server's bytes, which LOAD DATA takes without a
 * value per field (src/db/raw-rows.ts).
 */
type Chunk = SourceChunk;

function sourceTableOf(ctx: CopyContext, plan: DocumentPlan) {
  return {
    schema: ctx.source.schema,
    table: plan.sourceTable,
    columns: plan.sourceColumns,
    types: plan.sourceTypes,
    key: plan.key ?? [],
  };
}

/**
 * True when the plan writes every source column unchanged into the same position: no handler,
 * no rename that reorders, no column left out or added. Such a chunk can go to LOAD DATA as the
 * bytes the source sent.
 */
function copiesBytes(plan: DocumentPlan): boolean {
  return (
    isIdentity(plan) &&
    plan.columns.length === plan.sourceColumns.length &&
    plan.columns.every((column, i) => column.source === plan.sourceColumns[i])
  );
}

/** Transforms, writes and marks one chunk in one destination transaction (the chunk sink). */
async function writeChunk(
  ctx: CopyContext,
  plan: DocumentPlan,
  part: PartProgress,
  rows: Chunk,
  lastKey: Value[] | null,
  done: boolean,
  method: CopyMethod,
): Promise<{ method: CopyMethod }> {
  let used = method;
  const columns = plan.columns.map((c) => c.destination);
  const options = {
    table: plan.destinationTable,
    columns,
    maxAllowedPacket: ctx.maxAllowedPacket,
    useLoadData: used === 'load-data',
    infiles: ctx.destination,
  };
  const outcome = (result: WriteResult) => {
    used = result.method === 'load-data' ? 'load-data' : 'insert';
    return { written: result.written, refused: result.rejected, method: used };
  };
  const sink = new ChunkSink({
    destination: ctx.destination,
    rejected: ctx.rejected,
    progress: ctx.progress,
    ...(ctx.idMaps && { idMaps: ctx.idMaps }),
  });
  const chunk = {
    document: plan.document,
    plan,
    table: plan.destinationTable,
    columns,
    mark: { document: plan.document, part: part.part, lastKey, done, method: used },
  };
  const empty = { written: 0, refused: [], method: used === 'load-data' ? 'load-data' : 'insert' };
  if (rows instanceof RawLoadData) {
    // Bytes are only read for plans that copy values unchanged: nothing to transform or look up.
    await sink.commitBytes({
      ...chunk,
      rows,
      write: async (tx, raw) => (raw.length === 0 ? empty : outcome(await writeRawRows(tx, raw, options))),
    });
  } else if (rows instanceof RawInsertValues) {
    await sink.commitBytes({
      ...chunk,
      rows,
      write: async (tx, raw) => {
        if (raw.length === 0) return { ...empty, method: 'insert' };
        // The chunk went in by INSERTs: its mark says so; LOAD DATA stays in force for the reads.
        return { ...outcome(await writeRawInsertValues(tx, raw, options)), method: 'insert' };
      },
    });
  } else {
    await sink.commit({
      ...chunk,
      rows,
      write: async (tx, values) =>
        values.length === 0 ? empty : outcome(await writeRows(tx, values, options)),
    });
  }
  return { method: used };
}

/**
 * The one key range a step's document is copied in, from the progress store: created on the
 * first run, read back on a resumed one. Steps advance it inside the transaction that writes
 * the chunk (invariant 2), so Ctrl+C or a kill resumes from the last committed chunk.
 */
import type { Queryable } from '../db/database.js';
import { type WriteResult, writeRows } from '../db/row-writer.js';
import type { Value } from '../handlers/contract.js';
import type { PartProgress, ProgressStore } from '../progress/store.js';
import { type ChunkMark, ChunkSink, type SinkChunk } from './chunk-sink.js';
import type { StepContext, StepDocumentResult } from './step.js';

export async function stepPart(progress: ProgressStore, document: string): Promise<PartProgress> {
  let parts = await progress.parts(document);
  if (parts.length === 0) {
    await progress.createParts(document, [{ start: null, end: null }]);
    parts = await progress.parts(document);
  }
  const part = parts[0];
  if (!part) throw new Error(`progress of ${document} has no part after it was created`);
  return part;
}

/** Rows per chunk of a step: bulk_size when set, else a fixed size that keeps a transaction short. */
export function stepChunkRows(bulkSize: number): number {
  return bulkSize > 0 ? bulkSize : 1000;
}

/**
 * Commits one chunk of a step through the chunk sink: transformed (when it has a plan), written
 * by the step's own `write`, refused rows logged and the part advanced with the ledger in the same
 * destination transaction (invariant 2), so a kill keeps both or neither. Then reports the rows
 * written and returns the part with its counters moved on.
 */
export async function commitStepChunk(
  ctx: StepContext,
  part: PartProgress,
  chunk: SinkChunk<Value[][]> & { mark: ChunkMark },
): Promise<PartProgress> {
  const sink = new ChunkSink({
    destination: ctx.destination,
    rejected: ctx.rejected,
    progress: ctx.progress,
    idMaps: ctx.idMaps,
  });
  const counted = await sink.commit(chunk);
  ctx.onRows(chunk.mark.document, counted.written);
  return {
    ...part,
    rowsCopied: part.rowsCopied + counted.written,
    rowsRejected: part.rowsRejected + counted.rejected,
  };
}

/** What a step reports for its one document: the part's counters and the time since `started`. */
export function stepDocumentResult(
  document: string,
  destination: string,
  part: PartProgress,
  started: number,
  finished: boolean,
): StepDocumentResult[] {
  return [
    {
      document,
      destination,
      rows: part.rowsCopied,
      rejected: part.rowsRejected,
      seconds: (performance.now() - started) / 1000,
      finished,
    },
  ];
}

/**
 * A step's rows into its destination table: multi-row INSERTs (a step's chunk is small and
 * written beside reads of the same transaction, so never LOAD DATA), refused rows returned.
 */
export async function writeStepRows(
  ctx: Pick<StepContext, 'maxAllowedPacket'>,
  tx: Queryable,
  table: string,
  columns: readonly string[],
  rows: readonly Value[][],
): Promise<Pick<WriteResult, 'written' | 'rejected'>> {
  if (rows.length === 0) return { written: 0, rejected: [] };
  return writeRows(tx, rows, { table, columns, maxAllowedPacket: ctx.maxAllowedPacket, useLoadData: false });
}

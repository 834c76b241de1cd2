/**
 * The one key range a step's document is copied in, from the progress store: created on the
 * first run, read back on a resumed one. Steps advance it inside the transaction that writes
 * the chunk (invariant 2), so Ctrl+C or a kill resumes from the last committed chunk.
 */
import type { Queryable } from '../db/database.js';
import type { Value } from '../handlers/contract.js';
import type { PartProgress, ProgressStore } from '../progress/store.js';
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

/** What one chunk did, for the ledger: rows read from the source, written (or mapped), refused. */
export interface ChunkCounts {
  read: number;
  copied: number;
  rejected: number;
}

/**
 * Commits one chunk of a step: `write` and the part's advance run in the same destination
 * transaction, unique checks on (invariant 2), so a kill keeps both or neither. Then reports the
 * rows written and returns the part with its counters moved on.
 */
export async function commitStepChunk(
  ctx: StepContext,
  document: string,
  part: PartProgress,
  chunk: { lastKey: Value[] | null; done: boolean; method: string; started: number },
  write: (tx: Queryable) => Promise<ChunkCounts>,
): Promise<PartProgress> {
  let counted: ChunkCounts = { read: 0, copied: 0, rejected: 0 };
  // Unique checks are on in every destination session (plan-stage.ts), so a duplicate is refused row by row.
  await ctx.destination.transaction(async (tx) => {
    counted = await write(tx);
    await ctx.progress.advance(tx, document, part.part, {
      lastKey: chunk.lastKey,
      ...counted,
      seconds: (performance.now() - chunk.started) / 1000,
      method: chunk.method,
      done: chunk.done,
    });
  });
  ctx.onRows(document, counted.copied);
  return {
    ...part,
    rowsCopied: part.rowsCopied + counted.copied,
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

/**
 * The one key range a step's document is copied in, from the progress store: created on the
 * first run, read back on a resumed one. Steps advance it inside the transaction that writes
 * the chunk (invariant 2), so Ctrl+C or a kill resumes from the last committed chunk.
 */
import type { PartProgress, ProgressStore } from '../progress/store.js';

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

/**
 * The chunk sink: the one transform -> write -> reject -> advance pipeline every writer of rows
 * goes through (the map's bulk copy, delta, --retry-rejected, merges, computed documents).
 *
 * A chunk of source rows is run through its plan's handler chain once, with the id maps its
 * handlers need loaded once for the whole chunk (id-map.ts); then, in one destination
 * transaction, the caller's write puts the rows in (insert, upsert, merge-match: that part is the
 * caller's own), every row a handler or the destination refused is appended to the rejected-rows
 * log (fsynced, before the commit: invariant 4), and the progress mark advances with the chunk's
 * ledger, rows read = written + rejected (invariant 2; a ledger that does not add up rolls the
 * chunk back). A chunk kept as the source's bytes (commitBytes, plans without handlers) skips the
 * transform, so the bulk copy's fast path stays free of JavaScript values.
 */
import type { Database, Queryable } from '../db/database.js';
import type { IdMapStore } from '../db/id-map-store.js';
import type { RawInsertValues } from '../db/insert-values-text.js';
import type { RawLoadData } from '../db/load-data-text.js';
import type { RejectedRow } from '../db/row-writer.js';
import type { Value } from '../handlers/contract.js';
import type { DocumentPlan } from '../mappings/plan.js';
import type { ProgressStore } from '../progress/store.js';
import { type RejectedEntry, refusedEntries } from '../steps/data/rejected-log.js';
import { transformChunk } from '../steps/data/transform-row.js';
import { chunkLookups } from './id-map.js';

/** Where refused rows go: the run's rejected-rows log, or (a retry) the entries its file keeps. */
export interface RejectedSink {
  /** Called inside the chunk's transaction: a throw rolls the chunk back. */
  append(entries: readonly RejectedEntry[]): void;
}

export interface ChunkSinkContext {
  destination: Database;
  rejected: RejectedSink;
  /** Required for chunks that advance a progress mark. */
  progress?: ProgressStore;
  /** Absent: a handler that needs id maps gets no lookups and rejects its row (mapId does). */
  idMaps?: IdMapStore;
}

/** What a caller's write did inside the chunk's transaction. */
export interface ChunkWriteOutcome {
  /** Rows the chunk accounts as written (a merge counts rows it matched, too). */
  written: number;
  /** Rows the destination refused (the row writer's), values in `columns` order. */
  refused?: readonly RejectedRow[];
  /** The columns the refused rows' values are in, when not the chunk's `columns`. */
  refusedColumns?: readonly string[];
  /** Rows the write refused itself, before the destination saw them. */
  entries?: readonly Omit<RejectedEntry, 'at'>[];
  /** The method in force after this write, for the progress mark (LOAD DATA refused -> insert). */
  method?: string;
}

/** The chunk's ledger, as the progress mark records it. */
export interface ChunkCounts {
  read: number;
  written: number;
  rejected: number;
  /** The mark's method: the write's, else the chunk's. */
  method: string | undefined;
}

/** The progress mark a chunk advances, in its own transaction. */
export interface ChunkMark {
  /** The progress id (a document, or e.g. `computed:<document>`) and its part. */
  document: string;
  part: number;
  lastKey: Value[] | null;
  done: boolean;
  method: string;
  /** performance.now() when the chunk's work began; default: when commit was called. */
  started?: number;
}

export interface SinkChunk<Rows> {
  /** The source document the rows belong to (rejected-rows file, entries). */
  document: string;
  /**
   * The plan whose handlers transform source rows (in `plan.sourceColumns` order); null when
   * the rows are destination-shaped already (a computed select, a retry's stored values).
   */
  plan: DocumentPlan | null;
  /** The destination table and the columns the transformed rows' values are in. */
  table: string;
  columns: readonly string[];
  rows: Rows;
  /** The caller's own write, inside the chunk's transaction. */
  write(tx: Queryable, rows: Rows): Promise<ChunkWriteOutcome>;
  /** Advances this progress mark with the ledger; absent for delta and retries, which keep no mark. */
  mark?: ChunkMark;
  /** Runs last in the transaction (delta records the keys it applied; a retry lowers the rejected counts). */
  after?(tx: Queryable, counts: ChunkCounts): Promise<void>;
}

export class ChunkSink {
  constructor(private readonly ctx: ChunkSinkContext) {}

  /** Transforms (with the chunk's id lookups), writes, rejects and advances one chunk of value rows. */
  async commit(chunk: SinkChunk<Value[][]>): Promise<ChunkCounts> {
    const started = chunk.mark?.started ?? performance.now();
    const { plan } = chunk;
    if (!plan) return this.inTransaction(chunk, chunk.rows, chunk.rows.length, [], started);
    const lookups = this.ctx.idMaps ? await chunkLookups(this.ctx.idMaps, plan, chunk.rows) : undefined;
    const { values, rejected } = transformChunk(plan, chunk.rows, lookups);
    return this.inTransaction(chunk, values, chunk.rows.length, rejected, started);
  }

  /**
   * Writes, rejects and advances a chunk kept as the source's bytes: only plans that copy every
   * column unchanged read them, so there is nothing to transform or look up.
   */
  async commitBytes<Rows extends RawLoadData | RawInsertValues>(
    chunk: SinkChunk<Rows>,
  ): Promise<ChunkCounts> {
    const started = chunk.mark?.started ?? performance.now();
    return this.inTransaction(chunk, chunk.rows, chunk.rows.length, [], started);
  }

  private async inTransaction<Rows>(
    chunk: SinkChunk<Rows>,
    rows: Rows,
    read: number,
    transformRejected: readonly Omit<RejectedEntry, 'at'>[],
    started: number,
  ): Promise<ChunkCounts> {
    const { mark } = chunk;
    const progress = this.ctx.progress;
    if (mark && !progress)
      throw new Error(`chunk of ${chunk.document}: a progress mark needs the progress store`);
    return this.ctx.destination.transaction(async (tx) => {
      const outcome = await chunk.write(tx, rows);
      const at = new Date().toISOString();
      const refused = refusedEntries(
        chunk.document,
        chunk.table,
        [...(outcome.refusedColumns ?? chunk.columns)],
        outcome.refused ?? [],
        at,
        chunk.plan ?? undefined,
      );
      const entries = [
        ...transformRejected.map((r) => ({ ...r, at })),
        ...(outcome.entries ?? []).map((r) => ({ ...r, at })),
        ...refused,
      ];
      this.ctx.rejected.append(entries);
      const counts: ChunkCounts = {
        read,
        written: outcome.written,
        rejected: entries.length,
        method: outcome.method ?? mark?.method,
      };
      if (mark && progress) {
        await progress.advance(tx, mark.document, mark.part, {
          lastKey: mark.lastKey,
          read,
          copied: counts.written,
          rejected: counts.rejected,
          seconds: (performance.now() - started) / 1000,
          method: counts.method ?? mark.method,
          done: mark.done,
        });
      }
      await chunk.after?.(tx, counts);
      return counts;
    });
  }
}

/**
 * Chunk sizing. A fixed `bulk_size` is used as given; 0 aims every chunk at about half a second
 * (as pt-online-schema-change does): long enough to amortise the round trips, short enough that
 * a stop or crash repeats little work and locks are held briefly.
 */

export const TARGET_CHUNK_SECONDS = 0.5;
const MIN_ROWS = 100;
const MAX_ROWS = 50_000;
const FIRST_ROWS = 2_000;

export class ChunkSizer {
  private rows: number;

  constructor(private readonly fixed: number) {
    this.rows = fixed > 0 ? fixed : FIRST_ROWS;
  }

  get size(): number {
    return this.rows;
  }

  /** Feeds back how long a chunk of `rows` took; adjusts the next size when sizing automatically. */
  record(rows: number, seconds: number): void {
    if (this.fixed > 0 || rows < this.rows || seconds <= 0) return;
    const ideal = (rows * TARGET_CHUNK_SECONDS) / seconds;
    // Grow at most twofold per chunk, shrink at once: a slow chunk is a lock held too long.
    const next = Math.min(ideal, this.rows * 2);
    this.rows = Math.round(Math.max(MIN_ROWS, Math.min(MAX_ROWS, next)));
  }
}

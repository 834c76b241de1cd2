/**
 * Chunk sizing. A fixed `bulk_size` is used as given; 0 aims every chunk at about half a second
 * (as pt-online-schema-change does): long enough to amortise the round trips, short enough that
 * a stop or crash repeats little work and locks are held briefly.
 */

export const TARGET_CHUNK_SECONDS = 0.5;
const MIN_ROWS = 100;
const MAX_ROWS = 50_000;
const FIRST_ROWS = 2_000;
/**
 * Table bytes an automatic chunk may hold. Rows take several times their on-disk size as JS
 * values, and up to two chunks per range are in memory (one written, one prefetched), so this
 * is what keeps memory bounded by concurrency x chunk size (invariant 5) below 300 MB: the bench
 * measured about 3.6 KB of process memory per row in flight for a 255-byte row (BENCHMARKS.md).
 */
export const CHUNK_BYTES = 768 * 1024;

export class ChunkSizer {
  private rows: number;
  private readonly maxRows: number;

  /** `rowBytes`: the table's average row size on disk, when known (information_schema). */
  constructor(
    private readonly fixed: number,
    rowBytes = 0,
  ) {
    this.maxRows =
      rowBytes > 0 ? Math.max(MIN_ROWS, Math.min(MAX_ROWS, Math.floor(CHUNK_BYTES / rowBytes))) : MAX_ROWS;
    this.rows = fixed > 0 ? fixed : Math.min(FIRST_ROWS, this.maxRows);
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
    this.rows = Math.round(Math.max(MIN_ROWS, Math.min(this.maxRows, next)));
  }
}

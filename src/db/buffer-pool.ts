/**
 * Large buffers the bulk copy reuses from chunk to chunk instead of allocating new ones. Every
 * Buffer of this size is memory outside V8's heap; allocating about 2 MB of it per chunk made V8
 * run a full mark-compact every 200 ms or so (58 of them, 0.8 CPU-s, in a 1M-row copy; see
 * BENCHMARKS.md). A buffer is given back only once nothing refers to it any more.
 */
export class BufferPool {
  private readonly free: Buffer[] = [];

  constructor(
    /** The size of every buffer of the pool. */
    readonly bytes: number,
    /** How many free buffers are kept at most; more are left to the garbage collector. */
    private readonly keep: number,
  ) {}

  take(): Buffer {
    return this.free.pop() ?? Buffer.allocUnsafe(this.bytes);
  }

  give(buffer: Buffer): void {
    if (buffer.length === this.bytes && this.free.length < this.keep) this.free.push(buffer);
  }
}

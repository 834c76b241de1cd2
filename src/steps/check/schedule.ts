/**
 * How long a copy of several documents takes when `concurrency` parts run at once. The parts
 * are queued in the order `migrate data` queues them and each starts when one of the
 * `concurrency` slots frees (what p-limit does). Parts running together share the servers:
 * with k of them active the copy moves `speedup(k)` times the rows one part alone would, so
 * each part runs at its solo rate times speedup(k) / k. That is why the total is neither the
 * sum of the documents' times nor the longest of them, and why a large document that ends
 * up alone speeds up again.
 */

export interface ScheduledJob {
  rows: number;
  /** Rows per second when it runs alone. */
  rate: number;
  /** Key ranges the document is split into; each is one queued part. */
  parts: number;
}

export interface ScheduleResult {
  /** When the last part ends. */
  total: number;
  /** Per job, from its first part's start to its last part's end. */
  seconds: number[];
}

/**
 * Throughput of k parts together relative to one alone, from one observation: `observed` with
 * `inFlight` parts on average. Linear from (1, 1) up to the observation, flat beyond it (no
 * guess past what was seen), never more than k.
 */
export function speedupCurve(inFlight: number, observed: number): (k: number) => number {
  const seen = Math.max(1, inFlight);
  const top = Math.min(seen, Math.max(0.25, observed));
  return (k) => {
    if (seen <= 1 || k <= 1) return Math.min(k, 1);
    return Math.min(k, k >= seen ? top : 1 + ((top - 1) * (k - 1)) / (seen - 1));
  };
}

export function simulateCopy(
  jobs: readonly ScheduledJob[],
  concurrency: number,
  speedup: (k: number) => number,
): ScheduleResult {
  const slots = Math.max(1, Math.floor(concurrency));
  const queue = jobs.flatMap((job, index) => {
    const parts = Math.max(1, Math.floor(job.parts));
    return Array.from({ length: parts }, () => ({ index, left: job.rows / parts, rate: job.rate }));
  });
  const started = new Array<number>(jobs.length).fill(Number.NaN);
  const ended = new Array<number>(jobs.length).fill(0);
  const active: typeof queue = [];
  let now = 0;
  while (queue.length > 0 || active.length > 0) {
    while (active.length < slots && queue.length > 0) {
      const next = queue.shift();
      if (!next) break;
      if (Number.isNaN(started[next.index])) started[next.index] = now;
      active.push(next);
    }
    const share = speedup(active.length) / active.length;
    const step = Math.min(...active.map((p) => p.left / Math.max(1e-9, p.rate * share)));
    now += step;
    for (const part of active) part.left -= part.rate * share * step;
    for (let i = active.length - 1; i >= 0; i--) {
      const part = active[i];
      if (!part || part.left > 1e-6) continue;
      ended[part.index] = now;
      active.splice(i, 1);
    }
  }
  return { total: now, seconds: jobs.map((_, i) => Math.max(0, (ended[i] ?? 0) - (started[i] ?? 0))) };
}

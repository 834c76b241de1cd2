/**
 * What the simulated storefront saw, operation by operation: how long each took (by kind) and
 * every error the database gave it. A shop that "keeps selling" is one whose operations stay fast
 * and never fail while the tool works, so the storefront measures both instead of dying on the
 * first error: the demo, the tests and the bench read the summary.
 */

/** Latency of one kind of operation, in milliseconds (nearest-rank percentiles). */
export interface LatencySummary {
  count: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface ErrorSummary {
  /** Every error seen, of every kind. */
  count: number;
  /** Errors per operation kind. */
  byKind: Record<string, number>;
  /** Errors per server error code (`ER_NO_SUCH_TABLE 1146`), or the client's code for the others. */
  byCode: Record<string, number>;
  /** The first few errors, as `kind: CODE errno: message`. */
  first: string[];
}

const FIRST_ERRORS_KEPT = 10;

/** The `p`-th percentile (0 < p <= 100) of ascending `sorted`, by nearest rank. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(Math.max(rank, 1), sorted.length) - 1] ?? 0;
}

export function summariseLatency(durationsMs: readonly number[]): LatencySummary {
  const sorted = [...durationsMs].sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    count: sorted.length,
    p50Ms: round(percentile(sorted, 50)),
    p99Ms: round(percentile(sorted, 99)),
    maxMs: round(sorted.at(-1) ?? 0),
  };
}

/** `ER_NO_SUCH_TABLE 1146` for a server error, the client's code (`ECONNRESET`) otherwise. */
export function errorCode(error: unknown): string {
  const { code, errno } = (error ?? {}) as { code?: string; errno?: number };
  if (code && errno && errno >= 1000) return `${code} ${errno}`;
  return code ?? (error instanceof Error ? error.name : 'unknown');
}

export class OperationLog {
  private readonly durations = new Map<string, number[]>();
  private readonly errors: ErrorSummary = { count: 0, byKind: {}, byCode: {}, first: [] };

  /** One operation of `kind` that took `ms`, failed or not: the shop waited either way. */
  time(kind: string, ms: number): void {
    let list = this.durations.get(kind);
    if (!list) {
      list = [];
      this.durations.set(kind, list);
    }
    list.push(ms);
  }

  error(kind: string, error: unknown): void {
    const code = errorCode(error);
    this.errors.count++;
    this.errors.byKind[kind] = (this.errors.byKind[kind] ?? 0) + 1;
    this.errors.byCode[code] = (this.errors.byCode[code] ?? 0) + 1;
    if (this.errors.first.length < FIRST_ERRORS_KEPT) {
      const message = error instanceof Error ? error.message : String(error);
      this.errors.first.push(`${kind}: ${code}: ${message}`);
    }
  }

  /** Latency per kind, in the order the kinds first appeared. */
  latency(): Record<string, LatencySummary> {
    return Object.fromEntries([...this.durations].map(([kind, list]) => [kind, summariseLatency(list)]));
  }

  /** Latency over every kind but `excluding` (a report's latency is its own length, not a wait). */
  overall(excluding: readonly string[] = []): LatencySummary {
    return summariseLatency(
      [...this.durations].filter(([kind]) => !excluding.includes(kind)).flatMap(([, list]) => list),
    );
  }

  errorSummary(): ErrorSummary {
    return structuredClone(this.errors);
  }
}

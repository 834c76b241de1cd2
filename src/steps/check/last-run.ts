/**
 * One document's last data run, summed up from its parts in the progress store: what the
 * reports and `migrate status` show next to a document.
 */
import type { PartProgress } from '../../progress/store.js';
import type { LastRun, RunState } from '../../report/check-report.js';

/** Null when the document was never started. */
export function lastRunOf(parts: readonly PartProgress[]): LastRun | null {
  if (parts.length === 0) return null;
  const failed = parts.find((p) => p.lastError !== null);
  return {
    state: stateOf(parts),
    rows: parts.reduce((t, p) => t + p.rowsCopied, 0),
    rejected: parts.reduce((t, p) => t + p.rowsRejected, 0),
    // Parts run in parallel: the document took as long as its slowest part.
    seconds: Math.max(0, ...parts.map((p) => p.seconds)),
    method: parts.find((p) => p.method)?.method ?? null,
    lastError: failed?.lastError ?? null,
  };
}

/** failed when a part holds an error; copied when all are; copying once any has begun. */
export function stateOf(parts: readonly PartProgress[]): RunState {
  if (parts.length === 0) return 'pending';
  if (parts.some((p) => p.lastError !== null)) return 'failed';
  if (parts.every((p) => p.state === 'copied')) return 'copied';
  if (parts.some((p) => p.state !== 'pending' || p.rowsCopied > 0)) return 'copying';
  return 'pending';
}

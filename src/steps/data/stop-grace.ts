/**
 * Ctrl+C asks the copy to stop after the chunks in hand commit. A chunk whose server does not
 * answer never commits, so after a grace period every statement still waiting is interrupted
 * (its transaction rolls back, invariant 2): the first Ctrl+C always ends the run, well before
 * query_timeout would.
 */
import type { StopSignal } from './copy-part.js';

/** How long the chunks in hand get to commit after Ctrl+C. */
export const STOP_GRACE_MS = 5000;

/** How often the stop signal is looked at, and statements still waiting interrupted after the grace. */
const CHECK_MS = 200;

/** Starts watching `stop`; call the returned function when the work is over. */
export function interruptAfterGrace(
  stop: StopSignal,
  databases: ReadonlyArray<{ interrupt(): number }>,
  graceMs = STOP_GRACE_MS,
): () => void {
  let stoppedAt: number | undefined;
  const watch = setInterval(() => {
    if (!stop.requested) return;
    stoppedAt ??= Date.now();
    if (Date.now() - stoppedAt < graceMs) return;
    for (const db of databases) db.interrupt();
  }, CHECK_MS);
  return () => clearInterval(watch);
}

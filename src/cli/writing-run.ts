/**
 * What every writing command (`data`, `delta`, `settings`, `cleanup`) does before it writes:
 * take the pair's run lock (src/engine/run-lock.ts), asking the work to stop if the lock is
 * ever lost; and, for the long-running ones, start the throttle, whose state the lock's
 * holder row shows to `migrate status`.
 */
import type { Config } from '../config/types.js';
import { acquireRunLock, type RunLock } from '../engine/run-lock.js';
import { Throttle } from '../engine/throttle.js';
import type { Logger } from '../log.js';
import type { StopSignal } from '../steps/data/copy-part.js';

/** This process's command line as the refused run and `migrate status` show it. */
export function commandLine(): string {
  return ['migrate', ...process.argv.slice(2)].join(' ');
}

export function takeRunLock(config: Config, log: Logger, stop: StopSignal): Promise<RunLock> {
  return acquireRunLock(config, commandLine(), log, () => {
    stop.requested = true;
    log.error('the run lock was lost for good: stopping after the work in hand');
  });
}

export function startThrottle(config: Config, log: Logger, lock: RunLock): Promise<Throttle> {
  return Throttle.start(config, log, (state) => lock.recordThrottle(state), [() => lock.pauseReason()]);
}

/**
 * For set-up that fails before the command's try/finally: undoes what was set up so far (in
 * order), then fails with the original error. An open lock session would keep the process alive.
 */
export function failWith(...undo: Array<() => unknown>): (error: unknown) => Promise<never> {
  return async (error) => {
    for (const step of undo) await step();
    throw error;
  };
}

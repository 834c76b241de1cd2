/**
 * How the tool's DDL on the source waits (config.xml's lock_wait_timeout and lock_retry_time) and
 * what it tells the operator while it does: who holds the table and what to do, on the first
 * wait, when the holders change, and every half minute otherwise.
 */
import type { Options } from '../../config/types.js';
import { type DdlWait, describeWait, type SourceDdlPolicy } from '../../db/source-ddl.js';
import type { Logger } from '../../log.js';
import type { StopSignal } from '../data/copy-part.js';

const REPEAT_AFTER_MS = 30_000;

export function trackingDdlPolicy(
  options: Pick<Options, 'lockWaitTimeout' | 'lockRetryTime'>,
  log: Pick<Logger, 'warn'>,
  stop?: StopSignal,
): SourceDdlPolicy {
  let lastLine = 0;
  let lastHolders = '';
  return {
    lockWaitTimeout: options.lockWaitTimeout,
    retryTime: options.lockRetryTime,
    onWait: (wait: DdlWait) => {
      const holders = wait.blockers.map((b) => b.id).join(',');
      if (holders === lastHolders && Date.now() - lastLine < REPEAT_AFTER_MS) return;
      lastHolders = holders;
      lastLine = Date.now();
      log.warn(describeWait(wait));
    },
    ...(stop ? { stopRequested: () => stop.requested } : {}),
  };
}

/**
 * Ctrl+C for long-running commands: the first asks the work to stop after what it has in hand
 * (committed, so the next run resumes); the second stops at once, which is still safe because
 * nothing uncommitted is ever marked done.
 */
import { ExitCode } from '../errors.js';
import type { Logger } from '../log.js';
import type { StopSignal } from '../steps/data/copy-part.js';

export interface StopHandler {
  stop: StopSignal;
  /** Removes the handlers; call in a finally. */
  dispose(): void;
}

export function handleStopSignals(log: Logger, messages: { first: string; second: string }): StopHandler {
  const stop: StopSignal = { requested: false };
  const onSignal = () => {
    if (stop.requested) {
      log.error(messages.second);
      process.exit(ExitCode.interrupted);
    }
    stop.requested = true;
    log.info(`${messages.first} (Ctrl+C again to stop at once)...`);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    stop,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

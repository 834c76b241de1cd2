/**
 * Ctrl+C (and SIGTERM), from the first instant of the process. The entry point installs the
 * handler before the CLI's modules load and before any connection opens, so a signal at any
 * moment ends the process with status 130 (Node's default would end it by the signal itself,
 * which a script sees as a crash, and skip the work's own stop).
 *
 * Until a command takes the signal over, nothing has been written: the process ends at once.
 * Once it has (handleStopSignals), the first signal asks the work to stop after what it has in
 * hand (committed, so the next run resumes); the second stops at once, which is still safe
 * because nothing uncommitted is ever marked done.
 */
import { ExitCode } from '../errors.js';
import type { Logger } from '../log.js';
import type { StopSignal } from '../steps/data/copy-part.js';

export interface StopHandler {
  stop: StopSignal;
  /** Hands the signal back to "end at once"; call in a finally. */
  dispose(): void;
}

interface Owner {
  log: Logger;
  stop: StopSignal;
  messages: { first: string; second: string };
  /**
   * When it returns a message, a second signal does not end the process (the cut-over must
   * first put the old shop back in service): the message is printed instead.
   */
  holdSecond?: () => string | undefined;
}

let installed = false;
let owner: Owner | undefined;

/** Installs the process's SIGINT/SIGTERM handler; idempotent. Call first thing in the entry point. */
export function installStopSignals(): void {
  if (installed) return;
  installed = true;
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

function onSignal(): void {
  const current = owner;
  if (!current) {
    process.stderr.write('stopped\n');
    process.exit(ExitCode.interrupted);
  }
  if (current.stop.requested) {
    const held = current.holdSecond?.();
    if (held) {
      current.log.error(held);
      return;
    }
    current.log.error(current.messages.second);
    process.exit(ExitCode.interrupted);
  }
  current.stop.requested = true;
  current.log.info(`${current.messages.first} (Ctrl+C again to stop at once)...`);
}

/** Lets a command finish the work in hand on the first signal; the returned `stop` says one came. */
export function handleStopSignals(
  log: Logger,
  messages: { first: string; second: string },
  holdSecond?: () => string | undefined,
): StopHandler {
  installStopSignals();
  const mine: Owner = { log, stop: { requested: false }, messages, ...(holdSecond ? { holdSecond } : {}) };
  owner = mine;
  return {
    stop: mine.stop,
    dispose() {
      if (owner === mine) owner = undefined;
    },
  };
}

/** For a command that sees the stop before it wrote anything: says so; the status is 130. */
export function stoppedBeforeWork(log: Logger): number {
  log.error('stopped before anything was written');
  return ExitCode.interrupted;
}

/**
 * The run log: what the operator sees on the console and, when config.xml names a log_file,
 * the same lines with timestamps in that file. Library code logs through this interface and
 * never writes to the console itself.
 */
import { appendFileSync } from 'node:fs';

export type Verbosity = 'quiet' | 'normal' | 'verbose' | 'debug';

export interface Logger {
  /** Results the operator asked for (plans, reports): printed even with --quiet. */
  result(text: string): void;
  info(text: string): void;
  warn(text: string): void;
  error(text: string): void;
  /** -v */
  verbose(text: string): void;
  /** -vv */
  debug(text: string): void;
  /** Starts writing to a log file as well (once config.xml is read). */
  attachFile(path: string): void;
  readonly verbosity: Verbosity;
}

export interface ConsoleStreams {
  out: (text: string) => void;
  err: (text: string) => void;
}

const defaultStreams: ConsoleStreams = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

export function createLogger(verbosity: Verbosity, streams: ConsoleStreams = defaultStreams): Logger {
  let file: string | undefined;
  const toFile = (level: string, text: string) => {
    if (!file) return;
    const stamp = new Date().toISOString();
    try {
      appendFileSync(
        file,
        text
          .split('\n')
          .map((line) => `${stamp} ${level} ${line}\n`)
          .join(''),
      );
    } catch {
      file = undefined; // a log file that cannot be written must not stop a migration
    }
  };
  const rank = { quiet: 0, normal: 1, verbose: 2, debug: 3 }[verbosity];
  return {
    verbosity,
    result(text) {
      streams.out(text);
      toFile('RESULT', text);
    },
    info(text) {
      if (rank >= 1) streams.err(text);
      toFile('INFO', text);
    },
    warn(text) {
      if (rank >= 1) streams.err(`warning: ${text}`);
      toFile('WARN', text);
    },
    error(text) {
      streams.err(text);
      toFile('ERROR', text);
    },
    verbose(text) {
      if (rank >= 2) streams.err(text);
      toFile('VERBOSE', text);
    },
    debug(text) {
      if (rank >= 3) streams.err(text);
      toFile('DEBUG', text);
    },
    attachFile(path) {
      file = path;
    },
  };
}

/**
 * The run log: what the operator sees on the console and, when config.xml names a log_file,
 * the same lines with timestamps in that file. Library code logs through this interface and
 * never writes to the console itself.
 */
import { closeSync, fstatSync, openSync } from 'node:fs';
import { errorText } from './errors.js';
import { appendWhole } from './util/append-whole.js';
import { PRIVATE_FILE_MODE } from './util/private-file.js';

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
  /** Lines the log file missed since its last failed write: noted in it once it takes lines again. */
  let missed: { lines: number; since: string; reason: string } | undefined;
  let warned = false;
  const toFile = (level: string, text: string) => {
    if (!file) return;
    const stamp = new Date().toISOString();
    const lines = text.split('\n').map((line) => `${stamp} ${level} ${line}\n`);
    const gap = missed
      ? `${stamp} WARN ${missed.lines} log lines could not be written (from ${missed.since}: ${missed.reason})\n`
      : '';
    try {
      appendLines(file, gap + lines.join(''));
      missed = undefined;
    } catch (error) {
      // A log file that cannot be written must not stop a migration, nor go unnoticed.
      missed = missed ?? { lines: 0, since: stamp, reason: errorText(error) };
      missed.lines += lines.length;
      if (!warned) {
        warned = true;
        streams.err(
          `warning: log file ${file} could not be written (${errorText(error)}); the run goes on, its messages are on the console only until the file takes lines again`,
        );
      }
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

/** Appends whole lines or nothing; after a failed write the gap line says lines are missing. */
function appendLines(path: string, text: string): void {
  const fd = openSync(path, 'a', PRIVATE_FILE_MODE);
  try {
    appendWhole(fd, fstatSync(fd).size, Buffer.from(text));
  } finally {
    closeSync(fd);
  }
}

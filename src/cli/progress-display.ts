/**
 * The copy's progress as the operator sees it: on a terminal a bar per active document and an
 * overall bar (rows, rows/s, ETA); elsewhere (CI, nohup, a log collector) a line every few
 * seconds. Both read the same counters.
 *
 * On a terminal the bars own the screen while they run: anything else written to stdout or
 * stderr (a warning, the Ctrl+C notice) is routed above the bars instead of into a bar line,
 * which would cut it off and leave copies of the bars behind when they redraw.
 */
import cliProgress from 'cli-progress';
import type { Logger } from '../log.js';

export interface ProgressDisplay {
  document(name: string, total: number, done: number): void;
  rows(name: string, rows: number): void;
  /** A document is complete: its bar shows 100% with the final count, whatever the estimate said. */
  finish(name: string): void;
  stop(): void;
}

/** The throttle's state in words ("throttled: Threads_running 31 > 25 since 12 s"), or undefined when not throttled. */
export type ThrottleNote = () => string | undefined;

/** The streams the display draws on and guards (the process's own, except in tests). */
export interface DisplayStreams {
  err: NodeJS.WriteStream;
  out: NodeJS.WriteStream;
}

export interface DisplayOptions {
  /** Shown beside the overall progress while the copy waits on the throttle. */
  throttleNote?: ThrottleNote;
  streams?: DisplayStreams;
}

const LOG_EVERY_MS = 5000;

export function createProgressDisplay(
  log: Logger,
  interactive: boolean,
  {
    throttleNote = () => undefined,
    streams = { err: process.stderr, out: process.stdout },
  }: DisplayOptions = {},
): ProgressDisplay {
  const totals: Totals = new Map();
  const startedAt = Date.now();
  let baseline = 0;
  const overall = () => {
    let total = 0;
    let done = 0;
    for (const t of totals.values()) {
      total += t.total;
      done += t.done;
    }
    return { total: Math.max(total, done), done };
  };

  if (interactive && log.verbosity !== 'quiet')
    return terminalDisplay(
      streams,
      throttleNote,
      totals,
      overall,
      () => baseline,
      (n) => {
        baseline += n;
      },
    );

  let lastLog = Date.now();
  return {
    document(name, total, done) {
      totals.set(name, { total, done, started: null, base: done, finished: false });
      baseline += done;
      log.verbose(`${name}: starting (${done} of ~${total} rows already copied)`);
    },
    rows(name, rows) {
      const entry = totals.get(name);
      if (entry) entry.done += rows;
      if (Date.now() - lastLog < LOG_EVERY_MS) return;
      lastLog = Date.now();
      const { total, done } = overall();
      const seconds = (Date.now() - startedAt) / 1000;
      const speed = (done - baseline) / Math.max(seconds, 0.001);
      const eta = speed > 0 ? Math.round((total - done) / speed) : 0;
      const note = throttleNote();
      log.info(
        `copied ${done} of ~${total} rows, ${Math.round(speed)} rows/s, ETA ${eta} s${note ? `; ${note}` : ''}`,
      );
    },
    finish(name) {
      const entry = totals.get(name);
      if (entry) entry.total = entry.done;
    },
    stop() {},
  };
}

/** Per document: estimated and copied rows; when its rows began to arrive, and how many there were then. */
type Totals = Map<
  string,
  { total: number; done: number; started: number | null; base: number; finished: boolean }
>;

function terminalDisplay(
  streams: DisplayStreams,
  throttleNote: ThrottleNote,
  totals: Totals,
  overall: () => { total: number; done: number },
  baseline: () => number,
  addBaseline: (n: number) => void,
): ProgressDisplay {
  const { err, out } = streams;
  const writeErr = err.write.bind(err);
  const writeOut = out.write.bind(out);
  // The bars draw through the real write; everything else goes above them.
  const barStream = Object.create(err, { write: { value: writeErr } }) as NodeJS.WriteStream;
  const multibar = new cliProgress.MultiBar(
    {
      format: ' {bar} {percentage}% | {name} | {value}/{total} rows | {status}',
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
      stream: barStream,
    },
    cliProgress.Presets.shades_classic,
  );
  const above = (chunk: unknown) => {
    multibar.log(typeof chunk === 'string' ? chunk : String(chunk));
    return true;
  };
  err.write = above as typeof err.write;
  if (out.isTTY) out.write = above as typeof out.write;
  // A second Ctrl+C exits at once: give the cursor back even then.
  const showCursor = () => writeErr('\x1B[?25h');
  process.once('exit', showCursor);

  const startedAt = Date.now();
  const all = multibar.create(1, 0, { name: 'all documents', status: 'starting' });
  const bars = new Map<string, cliProgress.SingleBar>();
  let stopped = false;
  const status = (done: number, total: number, since: number | null, finished: boolean, base = 0) => {
    if (finished) return 'done';
    if (since === null) return 'queued';
    if (done === base) return 'starting';
    const seconds = Math.max((Date.now() - since) / 1000, 0.001);
    const speed = (done - base) / seconds;
    const eta = speed > 0 ? Math.round((total - done) / speed) : null;
    return `${Math.round(speed)} rows/s | ETA ${eta === null ? '-' : durationShort(eta)}`;
  };
  const refresh = () => {
    const { total, done } = overall();
    all.setTotal(Math.max(total, 1));
    const everyDone = [...totals.values()].every((t) => t.finished) && totals.size > 0;
    const note = throttleNote();
    const progress = status(done, total, startedAt, everyDone, baseline());
    all.update(done, { status: note ? `${progress} | ${note}` : progress });
  };
  // A throttled copy adds no rows: the overall bar still shows why it waits, and for how long.
  const ticker = setInterval(refresh, 1000);
  ticker.unref();
  return {
    document(name, total, done) {
      const known = totals.get(name);
      totals.set(name, {
        total,
        done,
        started: known?.started ?? null,
        base: known?.base ?? done,
        finished: false,
      });
      if (!known) addBaseline(done);
      // One bar per document, however often it is announced.
      const bar = bars.get(name);
      if (bar) bar.setTotal(Math.max(total, done, 1));
      else bars.set(name, multibar.create(Math.max(total, done, 1), done, { name, status: 'queued' }));
      refresh();
    },
    rows(name, rows) {
      const entry = totals.get(name);
      if (!entry) return;
      entry.done += rows;
      if (entry.started === null) {
        // Speed counts from the first rows on: a queued document has been waiting, not copying.
        entry.started = Date.now();
        entry.base = entry.done;
      }
      const bar = bars.get(name);
      if (bar) {
        if (entry.done > entry.total) {
          entry.total = entry.done;
          bar.setTotal(entry.done);
        }
        bar.update(entry.done, { status: status(entry.done, entry.total, entry.started, false, entry.base) });
      }
      refresh();
    },
    finish(name) {
      const entry = totals.get(name);
      if (!entry) return;
      entry.total = entry.done;
      entry.finished = true;
      const bar = bars.get(name);
      bar?.setTotal(entry.done); // 0 rows shows as 100% too
      bar?.update(entry.done, { status: 'done' });
      refresh();
    },
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(ticker);
      refresh();
      multibar.update(); // flushes what was written above the bars
      multibar.stop();
      err.write = writeErr as typeof err.write;
      if (out.isTTY) out.write = writeOut as typeof out.write;
      process.off('exit', showCursor);
    },
  };
}

function durationShort(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(seconds / 3600)}h${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}m`;
}

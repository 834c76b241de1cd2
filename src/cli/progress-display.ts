/**
 * The copy's progress as the operator sees it: on a terminal a bar per active document and an
 * overall bar (rows, rows/s, ETA); elsewhere (CI, nohup, a log collector) a line every few
 * seconds. Both read the same counters.
 */
import cliProgress from 'cli-progress';
import type { Logger } from '../log.js';

export interface ProgressDisplay {
  document(name: string, total: number, done: number): void;
  rows(name: string, rows: number): void;
  stop(): void;
}

/** The throttle's state in words ("throttled: Threads_running 31 > 25 since 12 s"), or undefined when not throttled. */
export type ThrottleNote = () => string | undefined;

const LOG_EVERY_MS = 5000;

export function createProgressDisplay(
  log: Logger,
  interactive: boolean,
  throttleNote: ThrottleNote = () => undefined,
): ProgressDisplay {
  const totals = new Map<string, { total: number; done: number }>();
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

  if (interactive && log.verbosity !== 'quiet') {
    const multibar = new cliProgress.MultiBar(
      {
        format: ' {bar} {percentage}% | {name} | {value}/{total} rows | {speed} rows/s | ETA {eta_formatted}',
        hideCursor: true,
        clearOnComplete: false,
        stopOnComplete: false,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    const all = multibar.create(1, 0, { name: 'all documents', speed: 0 });
    const bars = new Map<string, cliProgress.SingleBar>();
    const refresh = () => {
      const { total, done } = overall();
      const seconds = (Date.now() - startedAt) / 1000;
      const note = throttleNote();
      all.setTotal(total);
      all.update(done, {
        speed: Math.round((done - baseline) / Math.max(seconds, 0.001)),
        name: note ? `all documents, ${note}` : 'all documents',
      });
    };
    // A throttled copy adds no rows: the overall bar still shows why it waits, and for how long.
    const ticker = setInterval(refresh, 1000);
    ticker.unref();
    return {
      document(name, total, done) {
        totals.set(name, { total, done });
        baseline += done;
        bars.set(name, multibar.create(Math.max(total, 1), done, { name, speed: 0 }));
        refresh();
      },
      rows(name, rows) {
        const entry = totals.get(name);
        if (!entry) return;
        entry.done += rows;
        const bar = bars.get(name);
        if (bar) {
          if (entry.done > entry.total) bar.setTotal(entry.done);
          bar.update(entry.done, {
            speed: Math.round(entry.done / Math.max((Date.now() - startedAt) / 1000, 0.001)),
          });
        }
        refresh();
      },
      stop() {
        clearInterval(ticker);
        multibar.stop();
      },
    };
  }

  let lastLog = Date.now();
  return {
    document(name, total, done) {
      totals.set(name, { total, done });
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
    stop() {},
  };
}

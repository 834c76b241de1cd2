/** `migrate delta <config>`: applies the source's change logs to the destination until Ctrl+C or until caught up. */

import type { Argv } from 'yargs';
import { handoverRequested } from '../../engine/handover.js';
import type { Throttle } from '../../engine/throttle.js';
import { ConfigError, ExitCode } from '../../errors.js';
import type { Logger } from '../../log.js';
import { ProgressStore } from '../../progress/store.js';
import { conflictLines } from '../../report/conflicts-text.js';
import { textTable } from '../../report/table.js';
import { selectPlans } from '../../steps/data/run-data.js';
import type { ConflictLog } from '../../steps/delta/conflict-log.js';
import { createDeltaContext } from '../../steps/delta/delta-context.js';
import { type DocumentStatus, refuseUncopied, runDelta } from '../../steps/delta/run-delta.js';
import { trackedDocuments } from '../../steps/delta/tracked-documents.js';
import {
  closeConnections,
  loadMappingFiles,
  openConnections,
  openTracker,
  resolveAgainstDatabases,
} from '../../steps/plan-stage.js';
import { commandContext, type GlobalArgs } from '../context.js';
import { handleStopSignals, stoppedBeforeWork } from '../stop-signal.js';
import { failWith, startThrottle, takeRunLock } from '../writing-run.js';

/** How often a running delta looks whether a cut-over asks it to stop. */
const HANDOVER_POLL_MS = 1000;

export interface DeltaArgs extends GlobalArgs {
  config: string;
  untilCaughtUp?: boolean;
  quietPeriod?: number;
  pollInterval?: number;
  batchSize?: number;
  only?: string[];
}

export const command = 'delta <config>';
export const describe =
  'apply the changes tracked on the source to the destination, until Ctrl+C or caught up';

export function builder(yargs: Argv): Argv<DeltaArgs> {
  return yargs
    .positional('config', { type: 'string', describe: 'path to config.xml', demandOption: true })
    .option('until-caught-up', {
      type: 'boolean',
      describe:
        'exit 0 once every change log is empty and stayed empty for the quiet period (for the cut-over)',
    })
    .option('quiet-period', {
      type: 'number',
      describe: 'ms the change logs must stay empty (default: delta_quiet_period)',
    })
    .option('poll-interval', {
      type: 'number',
      describe: 'ms between polls when idle (default: delta_poll_interval)',
    })
    .option('batch-size', {
      type: 'number',
      default: 5000,
      describe: 'change-log rows per batch and document',
    })
    .option('only', { type: 'string', array: true, describe: 'apply only documents matching these globs' })
    .example('$0 delta config.xml', 'keep the new database in sync while the old store sells')
    .example(
      '$0 delta config.xml --until-caught-up',
      'in the cut-over window, after the old store went into maintenance',
    ) as Argv<DeltaArgs>;
}

export async function handler(args: DeltaArgs): Promise<number> {
  const { log, config } = await commandContext(args);
  const files = await loadMappingFiles(config);
  if (!files.deltaLog) {
    throw new ConfigError('config.xml names no <deltalog_file>, so no source table is tracked', {
      code: 'DELTA_NOT_CONFIGURED',
      hint: 'add <deltalog_file>deltalog.json</deltalog_file> to <options>, then run `migrate data` (it sets tracking up before copying)',
    });
  }
  const batchSize = args.batchSize ?? 5000;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new ConfigError(`--batch-size must be a whole number above 0, got ${args.batchSize}`, {
      code: 'USAGE',
      hint: 'e.g. --batch-size 5000',
    });
  }
  const { stop, dispose } = handleStopSignals(log, {
    first: 'stopping after the batch in hand',
    second: 'stopped at once; the batch in hand is not marked applied and will be applied again.',
  });
  // Two delta runs of one pair lose updates (one writes its stale batch over the other's newer rows).
  const lock = await takeRunLock(config, log, stop).catch(failWith(dispose));
  const connections = await openConnections(config).catch(failWith(dispose, () => lock.release()));
  const tracker = await openTracker(config).catch(
    failWith(
      dispose,
      () => closeConnections(connections),
      () => lock.release(),
    ),
  );
  const interactive = Boolean(process.stderr.isTTY) && log.verbosity !== 'quiet';
  let lastLine = 0;
  let throttle: Throttle | undefined;
  let handover: NodeJS.Timeout | undefined;
  let handedOver = false;
  try {
    if (stop.requested) return stoppedBeforeWork(log);
    // `migrate cutover --stop-delta` asks this run to finish its batch and hand the lock over.
    handover = setInterval(() => {
      handoverRequested(connections.destination, config)
        .then((asked) => {
          if (!asked || stop.requested) return;
          handedOver = true;
          stop.requested = true;
          log.info('delta: `migrate cutover` asks to take over: stopping after the batch in hand');
        })
        .catch(() => {});
    }, HANDOVER_POLL_MS);
    handover.unref();
    const resolution = await resolveAgainstDatabases(config, files, connections);
    const selected = new Set(selectPlans(resolution.plans, args.only).map((p) => p.document));
    const tracked = trackedDocuments(files.deltaLog, resolution.plans).filter((t) =>
      selected.has(t.plan.document),
    );
    await refuseUncopied(new ProgressStore(connections.destination, config.options.progressTable), tracked);
    throttle = await startThrottle(config, log, lock);
    const throttled = throttle;
    log.info(
      `delta: tracking ${tracked.length} documents: ${tracked.map((t) => t.plan.document).join(', ')}`,
    );
    const ctx = await createDeltaContext(
      config,
      { source: connections.source, tracker, destination: connections.destination },
      batchSize,
    );
    await ctx.changedKeys.ensureTables();
    const runStart = new Date().toISOString();
    const summary = await runDelta(ctx, tracked, log, {
      untilCaughtUp: Boolean(args.untilCaughtUp),
      quietPeriodMs: args.quietPeriod ?? config.options.deltaQuietPeriod,
      pollIntervalMs: args.pollInterval ?? config.options.deltaPollInterval,
      concurrency: config.options.concurrency,
      stop,
      throttle,
      onStatus: (status) => {
        const note = throttled.describe();
        const line = `${statusLine(status)}${note ? `; ${note}` : ''}`;
        if (interactive) process.stderr.write(`\r\x1b[K${line}`);
        else if (Date.now() - lastLine >= 10_000) {
          lastLine = Date.now();
          log.info(line);
        }
      },
    });
    if (interactive) process.stderr.write('\n');
    log.result(formatDeltaSummary(summary.documents));
    lock.throwIfLost();
    if (summary.failed.length > 0) {
      for (const f of summary.failed) log.error(`delta skipped ${f.document}: ${f.error}`);
      log.error(
        `${summary.failed.length} document(s) were skipped: ${summary.failed.map((f) => f.document).join(', ')}. ` +
          `Their changes wait in their change logs: fix the cause named above, then run \`migrate delta ${args.config}\` again`,
      );
    }
    reportConflicts(log, ctx.conflicts, tracked, runStart, config.options.deltaConflict);
    const rejected = summary.documents.reduce((total, d) => total + d.rejected, 0);
    if (rejected > 0) {
      log.error(
        `${rejected} changed rows were rejected by the destination; they are in ${config.options.rejectedDir}. ` +
          `Fix the cause, then run \`migrate data ${args.config} --retry-rejected\``,
      );
      return ExitCode.failed;
    }
    if (summary.failed.length > 0) return ExitCode.failed;
    if (summary.stopped && handedOver) {
      log.info('delta: stopped for `migrate cutover`, which applies the rest; every applied batch is kept');
      return ExitCode.ok;
    }
    if (summary.stopped) {
      log.error(`stopped: every applied batch is kept. Run \`migrate delta ${args.config}\` again to go on.`);
      return ExitCode.interrupted;
    }
    if (summary.caughtUp) log.info('delta: caught up: every change log is empty');
    return ExitCode.ok;
  } finally {
    clearInterval(handover);
    dispose();
    await throttle?.close();
    await tracker.close();
    await closeConnections(connections);
    await lock.release();
  }
}

/** Destination rows this run replaced, deleted or kept although delta had not written them. */
function reportConflicts(
  log: Logger,
  conflicts: ConflictLog,
  tracked: ReadonlyArray<{ plan: { document: string } }>,
  since: string,
  policy: string,
): void {
  const thisRun = new Map(
    tracked.map((t) => [t.plan.document, conflicts.read(t.plan.document).filter((e) => e.at >= since)]),
  );
  const lines = conflictLines(thisRun, (document) => conflicts.pathOf(document));
  if (lines.length === 0) return;
  log.warn(
    `delta found rows in the new store it had not written, under keys the old store inserted (delta_conflict: ${policy}):\n  ${lines.join('\n  ')}`,
  );
}

function statusLine(status: readonly DocumentStatus[]): string {
  const pending = status.reduce((total, s) => total + s.pending, 0);
  const rate = status.reduce((total, s) => total + s.rate, 0);
  const lag = Math.max(0, ...status.map((s) => s.lagSeconds));
  const busiest = [...status].sort((a, b) => b.pending - a.pending)[0];
  return `delta: ${pending} changes pending, ${Math.round(rate)} applied/s, lag ${lag.toFixed(1)} s${busiest && busiest.pending > 0 ? ` (most: ${busiest.document} ${busiest.pending})` : ''}`;
}

function formatDeltaSummary(documents: readonly DocumentStatus[]): string {
  return textTable(
    ['document', 'changes applied', 'rejected', 'pending', 'lag s'],
    documents.map((d) => [
      d.document,
      String(d.applied),
      String(d.rejected),
      String(d.pending),
      d.lagSeconds.toFixed(1),
    ]),
    ['left', 'right', 'right', 'right', 'right'],
  );
}

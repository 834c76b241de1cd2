/**
 * `migrate delta <config>`: applies the source's change logs to the destination until Ctrl+C or
 * until caught up. Parses, takes the run lock, shows the status line and renders the result; the
 * workflow is src/steps/delta/delta-workflow.ts.
 */
import type { Argv } from 'yargs';
import type { Config } from '../../config/types.js';
import { ConfigError } from '../../errors.js';
import type { Logger } from '../../log.js';
import { textTable } from '../../report/table.js';
import {
  DEFAULT_DELTA_BATCH_SIZE,
  type DeltaWorkflowResult,
  requireDeltaLog,
  runDeltaWorkflow,
} from '../../steps/delta/delta-workflow.js';
import type { DocumentStatus } from '../../steps/delta/run-delta.js';
import { closeConnections, loadMappingFiles, openConnections, openTracker } from '../../steps/plan-stage.js';
import { commandContext, type GlobalArgs } from '../context.js';
import { handleStopSignals, stoppedBeforeWork } from '../stop-signal.js';
import { failWith, startThrottle, takeRunLock } from '../writing-run.js';

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
      default: DEFAULT_DELTA_BATCH_SIZE,
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
  const files = requireDeltaLog(await loadMappingFiles(config));
  const batchSize = args.batchSize ?? DEFAULT_DELTA_BATCH_SIZE;
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
  try {
    if (stop.requested) return stoppedBeforeWork(log);
    const result = await runDeltaWorkflow(
      {
        config,
        files,
        connections,
        tracker,
        log,
        stop,
        lock,
        ui: {
          startThrottle: (held) => startThrottle(config, log, held),
          status: (status, throttleNote) => {
            const line = `${statusLine(status)}${throttleNote ? `; ${throttleNote}` : ''}`;
            if (interactive) process.stderr.write(`\r\x1b[K${line}`);
            else if (Date.now() - lastLine >= 10_000) {
              lastLine = Date.now();
              log.info(line);
            }
          },
        },
      },
      {
        untilCaughtUp: args.untilCaughtUp,
        quietPeriodMs: args.quietPeriod,
        pollIntervalMs: args.pollInterval,
        batchSize,
        only: args.only,
      },
    );
    if (interactive) process.stderr.write('\n');
    log.result(formatDeltaSummary(result.documents));
    lock.throwIfLost();
    renderOutcome(log, result, args.config, config);
    return result.exitCode;
  } finally {
    dispose();
    await tracker.close();
    await closeConnections(connections);
    await lock.release();
  }
}

/** What the run's end means for the operator, under the summary table. */
function renderOutcome(log: Logger, result: DeltaWorkflowResult, configArg: string, config: Config): void {
  if (result.failed.length > 0) {
    for (const f of result.failed) log.error(`delta skipped ${f.document}: ${f.error}`);
    log.error(
      `${result.failed.length} document(s) were skipped: ${result.failed.map((f) => f.document).join(', ')}. ` +
        `Their changes wait in their change logs: fix the cause named above, then run \`migrate delta ${configArg}\` again`,
    );
  }
  if (result.conflicts.length > 0) {
    log.warn(
      `delta found rows in the new store it had not written, under keys the old store inserted (delta_conflict: ${config.options.deltaConflict}):\n  ${result.conflicts.join('\n  ')}`,
    );
  }
  if (result.rejected > 0) {
    log.error(
      `${result.rejected} changed rows were rejected by the destination; they are in ${config.options.rejectedDir}. ` +
        `Fix the cause, then run \`migrate data ${configArg} --retry-rejected\``,
    );
    return;
  }
  if (result.failed.length > 0) return;
  if (result.stopped && result.handedOver) {
    log.info('delta: stopped for `migrate cutover`, which applies the rest; every applied batch is kept');
    return;
  }
  if (result.stopped) {
    log.error(`stopped: every applied batch is kept. Run \`migrate delta ${configArg}\` again to go on.`);
    return;
  }
  if (result.caughtUp) log.info('delta: caught up: every change log is empty');
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

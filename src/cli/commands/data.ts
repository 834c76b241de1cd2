/** `migrate data <config>`: integrity check, then the resumable bulk copy, then the volume check. */
import type { Argv } from 'yargs';
import { ExitCode, MigrateError } from '../../errors.js';
import { countBySeverity, relaxErrors } from '../../mappings/problems.js';
import { ProgressStore } from '../../progress/store.js';
import { formatPlan, formatProblems } from '../../report/plan-text.js';
import { formatSummary } from '../../report/summary-text.js';
import { RejectedLog } from '../../steps/data/rejected-log.js';
import { resetDocuments } from '../../steps/data/reset.js';
import { retryRejected } from '../../steps/data/retry-rejected.js';
import { runDataCopy, selectPlans } from '../../steps/data/run-data.js';
import { trackedDocuments } from '../../steps/delta/tracked-documents.js';
import { installTracking } from '../../steps/delta/tracking.js';
import {
  closeConnections,
  loadMappingFiles,
  openConnections,
  openTracker,
  resolveAgainstDatabases,
} from '../../steps/plan-stage.js';
import { formatPreflight, preflight, preflightError } from '../../steps/preflight.js';
import { formatVolume, volumeCheck } from '../../steps/volume.js';
import { confirm } from '../confirm.js';
import { commandContext, type GlobalArgs } from '../context.js';
import { createProgressDisplay } from '../progress-display.js';
import { handleStopSignals } from '../stop-signal.js';

export interface DataArgs extends GlobalArgs {
  config: string;
  dryRun?: boolean;
  auto?: boolean;
  only?: string[];
  skip?: string[];
  reset?: boolean;
  yes?: boolean;
  retryRejected?: boolean;
  skipPreflight?: boolean;
}

export const command = 'data <config>';
export const describe = 'check the mapping, copy every mapped document (resumable), then compare row counts';

export function builder(yargs: Argv): Argv<DataArgs> {
  return yargs
    .positional('config', { type: 'string', describe: 'path to config.xml', demandOption: true })
    .option('dry-run', { type: 'boolean', describe: 'print the plan and the integrity check; write nothing' })
    .option('auto', {
      type: 'boolean',
      describe: "report integrity errors as warnings and copy anyway (the Magento tool's -a)",
    })
    .option('only', {
      type: 'string',
      array: true,
      describe: 'copy only documents matching these globs (source or destination names)',
    })
    .option('skip', { type: 'string', array: true, describe: 'leave out documents matching these globs' })
    .option('reset', {
      type: 'boolean',
      describe: 'forget progress and empty the destination documents first',
    })
    .option('yes', { alias: 'y', type: 'boolean', describe: 'do not ask before --reset empties tables' })
    .option('retry-rejected', {
      type: 'boolean',
      describe: 'write the rows in rejected/*.jsonl again (after fixing their cause) instead of copying',
    })
    .option('skip-preflight', { type: 'boolean', describe: 'do not check privileges before starting' })
    .example('$0 data config.xml --dry-run', 'show the plan and what the mapping is missing')
    .example('$0 data config.xml --only "sales_*"', 'copy the sales documents only') as Argv<DataArgs>;
}

export async function handler(args: DataArgs): Promise<number> {
  const { log, config } = await commandContext(args);
  const files = await loadMappingFiles(config);
  const connections = await openConnections(config, { bulkCopy: !args.retryRejected });
  const { stop, dispose } = handleStopSignals(log, {
    first: 'stopping after the chunks in hand are committed',
    second: 'stopped at once; chunks in flight are rolled back. Run the same command again to resume.',
  });
  try {
    if (!args.skipPreflight) {
      const report = await preflight(connections.source, connections.destination, {
        deltaTracking: files.deltaLog !== undefined,
      });
      log.verbose(formatPreflight(report));
      for (const warning of report.warnings) log.warn(warning);
      const missing = preflightError(report);
      if (missing) throw missing;
    }
    const resolution = await resolveAgainstDatabases(config, files, connections);
    const problems = args.auto ? relaxErrors(resolution.problems) : resolution.problems;
    const plans = selectPlans(resolution.plans, args.only, args.skip);
    log.result(formatPlan({ ...resolution, plans }, config.options.directDocumentCopy));
    log.result(formatProblems(problems));
    if (countBySeverity(problems).error > 0) {
      log.error('the integrity check failed: add the rules listed above, or run with --auto to copy anyway');
      return ExitCode.integrity;
    }
    const tracked = files.deltaLog ? trackedDocuments(files.deltaLog, resolution.plans) : [];
    if (args.dryRun) {
      log.info('dry run: nothing was written');
      return ExitCode.ok;
    }
    if (plans.length === 0) {
      throw new MigrateError('no document matches --only / --skip', {
        code: 'NOTHING_SELECTED',
        exitCode: ExitCode.usage,
        hint: 'check the globs against the plan printed above',
      });
    }

    const progress = new ProgressStore(connections.destination, config.options.progressTable);
    if (args.retryRejected) {
      const outcomes = await retryRejected(
        connections,
        plans,
        progress,
        new RejectedLog(config.options.rejectedDir),
      );
      for (const o of outcomes) {
        if (o.tornLine !== undefined)
          log.warn(
            `${o.file}:${o.tornLine} was cut short by an interrupted write (its chunk did not commit): skipped`,
          );
        if (o.otherDocuments > 0)
          log.warn(`${o.file}: ${o.otherDocuments} entries of other documents are left in the file`);
        const gone =
          o.goneFromSource > 0 ? `, ${o.goneFromSource} rows no longer in the source, skipped` : '';
        log.result(
          `${o.document}: ${o.loaded} rows loaded, ${o.stillRejected} still rejected${gone}${o.stillRejected ? ` (${o.file})` : ''}`,
        );
      }
      if (outcomes.length === 0) log.result('no rejected rows to retry');
      const still = outcomes.reduce((total, o) => total + o.stillRejected, 0);
      if (still > 0) {
        log.error(`${still} rows are still rejected; each line of the files above says why`);
        return ExitCode.failed;
      }
      return ExitCode.ok;
    }
    if (args.reset) {
      const tables = plans.map((p) => p.destinationTable).join(', ');
      const ok = await confirm(
        `--reset empties ${plans.length} tables in ${connections.destination.describe()}: ${tables}.`,
        args.yes,
      );
      if (!ok) {
        log.info('reset cancelled: nothing was changed');
        return ExitCode.usage;
      }
      const archived = await resetDocuments(
        connections,
        progress,
        plans,
        new RejectedLog(config.options.rejectedDir),
      );
      log.info(`reset: ${plans.length} destination documents emptied, their progress forgotten`);
      for (const file of archived) log.info(`reset: rejected rows archived to ${file} (no retry reads it)`);
    }

    const tracker = tracked.length > 0 ? await openTracker(config) : undefined;
    const display = createProgressDisplay(log, Boolean(process.stderr.isTTY));
    let result: Awaited<ReturnType<typeof runDataCopy>>;
    try {
      result = await runDataCopy(config, connections, plans, log, {
        only: args.only,
        skip: args.skip,
        stop,
        // Tracking goes on before a document's first read, so no change made during its copy is missed.
        beforeFirstRead: async (plan) => {
          const doc = tracked.find((t) => t.plan.document === plan.document);
          if (!doc || !tracker) return;
          const { created } = await installTracking(tracker, doc);
          if (created.length > 0)
            log.verbose(`${plan.document}: change tracking installed (${created.join(', ')})`);
        },
        onDocument: (document, total, done) => display.document(document, total, done),
        onRows: (document, rows) => display.rows(document, rows),
      });
    } finally {
      display.stop();
      await tracker?.close();
    }
    log.result(formatSummary(result.summaries));

    if (result.stopped) {
      log.error(
        `stopped: every committed chunk is kept. Run \`migrate data ${args.config}\` again to resume.`,
      );
      return ExitCode.interrupted;
    }
    const volume = await volumeCheck(
      connections,
      plans,
      progress,
      config.options.concurrency,
      tracked.length > 0 ? files.deltaLog : undefined,
    );
    log.result(formatVolume(volume));
    const rejectedTotal = result.summaries.reduce((total, s) => total + s.rejected, 0);
    if (rejectedTotal > 0) {
      const where = result.summaries
        .filter((s) => s.rejected > 0)
        .map((s) => `${s.document}: ${s.rejected} in ${result.rejected.pathOf(s.document)}`)
        .join('\n  ');
      log.error(
        `${rejectedTotal} rows were rejected and not copied:\n  ${where}\n` +
          `fix the cause (each line says why), then run \`migrate data ${args.config} --retry-rejected\``,
      );
      return ExitCode.failed;
    }
    if (volume.some((v) => v.status === 'mismatch')) {
      log.error(
        'row counts differ (see the table above). If the store took orders during the copy, rows that arrived ' +
          'after their range was copied explain the difference; otherwise compare the documents listed.',
      );
      return ExitCode.volume;
    }
    if (volume.some((v) => v.status === 'changes-pending')) {
      log.info(
        'data: every document copied. The shop kept selling meanwhile: its changes wait in the change logs. ' +
          `Run \`migrate delta ${args.config}\` to apply them and keep the new database in sync, then \`migrate check ${args.config}\`.`,
      );
      return ExitCode.ok;
    }
    log.info('data: every document copied and counted');
    return ExitCode.ok;
  } finally {
    dispose();
    await closeConnections(connections);
  }
}

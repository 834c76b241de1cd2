/** `migrate data <config>`: integrity check, then the resumable bulk copy, then the volume check. */
import type { Argv } from 'yargs';
import { chunkLookups } from '../../engine/id-map.js';
import { selectedMerges, selectSteps } from '../../engine/map-steps.js';
import {
  createStepContext,
  resetSteps,
  runSteps,
  type StepsOutcome,
  stepIntegrity,
  verifySteps,
} from '../../engine/run-steps.js';
import type { Throttle } from '../../engine/throttle.js';
import { ExitCode, MigrateError } from '../../errors.js';
import { countBySeverity, relaxErrors } from '../../mappings/problems.js';
import { ProgressStore } from '../../progress/store.js';
import { formatPlan, formatProblems } from '../../report/plan-text.js';
import { finishedText, resumeText } from '../../report/prior-run-text.js';
import { formatStepChecks, stepSummaries } from '../../report/step-checks-text.js';
import { formatSummary } from '../../report/summary-text.js';
import { chooseCopyMethods, readCopyFacts } from '../../steps/data/copy-method.js';
import { priorRun } from '../../steps/data/prior-run.js';
import { RejectedLog } from '../../steps/data/rejected-log.js';
import { resetDocuments } from '../../steps/data/reset.js';
import { retryRejected } from '../../steps/data/retry-rejected.js';
import { runDataCopy, selectPlans } from '../../steps/data/run-data.js';
import { trackedDocuments } from '../../steps/delta/tracked-documents.js';
import { installTracking } from '../../steps/delta/tracking.js';
import { definerNote, ownTriggersNote } from '../../steps/delta/tracking-notes.js';
import { trackingDdlPolicy } from '../../steps/delta/tracking-policy.js';
import {
  closeConnections,
  loadMappingFiles,
  openConnections,
  openTracker,
  resolveAgainstDatabases,
  sourceDataProblems,
} from '../../steps/plan-stage.js';
import { formatPreflight, preflight, preflightError } from '../../steps/preflight.js';
import { formatVolume, volumeCheck } from '../../steps/volume.js';
import { confirm } from '../confirm.js';
import { commandContext, type GlobalArgs } from '../context.js';
import { noteHandlerModules } from '../handler-modules-notice.js';
import { createProgressDisplay } from '../progress-display.js';
import { handleStopSignals, stoppedBeforeWork } from '../stop-signal.js';
import { failWith, startThrottle, takeRunLock } from '../writing-run.js';

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
  const { stop, dispose } = handleStopSignals(log, {
    first: 'stopping after the chunks in hand are committed',
    second: 'stopped at once; chunks in flight are rolled back. Run the same command again to resume.',
  });
  // A dry run writes nothing, so it may run beside another run; everything else is one run at a time.
  const lock = args.dryRun ? undefined : await takeRunLock(config, log, stop).catch(failWith(dispose));
  const connections = await openConnections(config).catch(failWith(dispose, () => lock?.release()));
  let throttle: Throttle | undefined;
  try {
    if (stop.requested) return stoppedBeforeWork(log);
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
    // Steps (src/engine): merges run before the copy, computed documents and profile steps after it.
    const steps = files.steps ?? { merges: [], after: [] };
    const selected = selectPlans(resolution.plans, args.only, args.skip);
    const merges = selectedMerges(steps, selected);
    const merged = new Set(steps.merges.map((m) => m.document));
    const plans = selected.filter((p) => !merged.has(p.destinationDocument));
    const afterSteps = selectSteps(steps.after, args.only, args.skip);
    const allProblems = [
      ...resolution.problems,
      ...(await stepIntegrity(config, connections, [...steps.merges, ...steps.after], resolution.plans)),
      ...(await sourceDataProblems(config, connections, selected)),
    ];
    const problems = args.auto ? relaxErrors(allProblems) : allProblems;
    // Decided once: the table shows the methods the copy below uses.
    const choices = chooseCopyMethods(selected, await readCopyFacts(config, connections, selected));
    log.result(formatPlan({ ...resolution, plans: selected }, choices, config.options.directDocumentCopy));
    if (merges.length + afterSteps.length > 0)
      log.result(`steps: ${[...merges, ...afterSteps].map((s) => s.name).join(', ')}`);
    log.result(formatProblems(problems));
    if (countBySeverity(problems).error > 0) {
      log.error('the integrity check failed: add the rules listed above, or run with --auto to copy anyway');
      return ExitCode.integrity;
    }
    const tracked = files.deltaLog ? trackedDocuments(files.deltaLog, resolution.plans) : [];
    // Before the dry run returns: a dry run must fail where the real run would.
    if (plans.length + merges.length + afterSteps.length === 0) {
      throw new MigrateError('no document matches --only / --skip', {
        code: 'NOTHING_SELECTED',
        exitCode: ExitCode.usage,
        hint: 'check the globs against the plan printed above',
      });
    }
    if (args.dryRun) {
      noteHandlerModules(log);
      log.info('dry run: nothing was written');
      return ExitCode.ok;
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
      const mergedNote = merges.length
        ? ` In ${merges.map((m) => m.document).join(', ')} it deletes only the rows store-migrate created (seeded rows stay).`
        : '';
      const ok = await confirm(
        `--reset empties ${plans.length + afterSteps.length} tables in ${connections.destination.describe()}: ${[tables, ...afterSteps.flatMap((s) => s.documents)].filter(Boolean).join(', ')}.${mergedNote}`,
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
      const resetCtx = await createStepContext(config, connections, resolution.plans, log, {
        stop,
        rejected: new RejectedLog(config.options.rejectedDir),
      });
      await resetSteps([...merges, ...afterSteps], resetCtx);
      log.info(`reset: ${plans.length} destination documents emptied, their progress forgotten`);
      for (const file of archived) log.info(`reset: rejected rows archived to ${file} (no retry reads it)`);
    }

    // Said before the copy starts, without -v: a resume, or a rerun with nothing left to copy.
    const prior = await priorRun(progress, connections.destination, config.options.progressTable, plans);
    if (prior.kind === 'resume') log.info(resumeText(prior));
    const tracker = tracked.length > 0 ? await openTracker(config) : undefined;
    let definerWarned = false;
    // A failed install stops its document's copy; its own error (code, blocker, next step) is the one to show.
    let trackingError: unknown;
    throttle = lock ? await startThrottle(config, log, lock) : undefined;
    const display = createProgressDisplay(log, Boolean(process.stderr.isTTY), {
      throttleNote: () => throttle?.describe(),
    });
    const stepCtx = await createStepContext(config, connections, resolution.plans, log, {
      stop,
      rejected: new RejectedLog(config.options.rejectedDir),
      ...(throttle && { throttle }),
    });
    let result: Awaited<ReturnType<typeof runDataCopy>>;
    let stepRuns: StepsOutcome[] = [];
    try {
      // Merges first: the copy's handlers look ids up in the maps they fill.
      stepRuns = [await runSteps(merges, stepCtx)];
      result = await runDataCopy(config, connections, stepRuns[0]?.stopped ? [] : plans, log, {
        choices,
        lookups: (plan, rows) => chunkLookups(stepCtx.idMaps, plan, rows),
        only: args.only,
        skip: args.skip,
        stop,
        throttle,
        // Tracking goes on before a document's first read, so no change made during its copy is missed.
        beforeFirstRead: async (plan) => {
          const doc = tracked.find((t) => t.plan.document === plan.document);
          if (!doc || !tracker) return;
          const install = await installTracking(
            tracker,
            doc,
            trackingDdlPolicy(config.options, log, stop),
            (text) => log.warn(text),
          ).catch((error: unknown) => {
            trackingError ??= error;
            throw error;
          });
          if (install.created.length > 0)
            log.verbose(`${plan.document}: change tracking installed (${install.created.join(', ')})`);
          if (install.created.length > 0 && install.ownTriggers.length > 0)
            log.warn(ownTriggersNote(plan.sourceTable, install.ownTriggers));
          if (install.definer && !definerWarned) log.info(definerNote([install.definer]));
          definerWarned ||= install.definer !== null;
        },
        onDocument: (document, total, done) => display.document(document, total, done),
        onRows: (document, rows) => display.rows(document, rows),
        onDocumentDone: (document) => display.finish(document),
      });
      if (!result.stopped && !stop.requested) stepRuns.push(await runSteps(afterSteps, stepCtx));
    } catch (error) {
      throw trackingError ?? error;
    } finally {
      display.stop();
      await tracker?.close();
    }
    const [mergeRun, afterRun] = stepRuns;
    const stepRows = [
      ...stepSummaries(mergeRun?.results ?? [], 'merge'),
      ...stepSummaries(afterRun?.results ?? [], 'step'),
    ];
    log.result(
      prior.kind === 'finished' && stepRows.length === 0
        ? finishedText(prior, args.config)
        : formatSummary([...result.summaries, ...stepRows]),
    );
    lock?.throwIfLost();

    if (result.stopped || stepRuns.some((r) => r.stopped) || afterRun === undefined) {
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
    const stepChecks = await verifySteps([...merges, ...afterSteps], stepCtx);
    if (stepChecks.length > 0) log.result(formatStepChecks(stepChecks));
    const summaries = [...result.summaries, ...stepRows];
    const rejectedTotal = summaries.reduce((total, s) => total + s.rejected, 0);
    if (rejectedTotal > 0) {
      const where = summaries
        .filter((s) => s.rejected > 0)
        .map((s) => `${s.document}: ${s.rejected} in ${result.rejected.pathOf(s.document)}`)
        .join('\n  ');
      log.error(
        `${rejectedTotal} rows were rejected and not copied:\n  ${where}\n` +
          `fix the cause (each line says why), then run \`migrate data ${args.config} --retry-rejected\``,
      );
    }
    // A difference nothing explains outranks rejected rows: those are at least in their files.
    if (volume.some((v) => v.status === 'mismatch') || stepChecks.some((c) => !c.ok)) {
      log.error(
        'row counts differ beyond what the changes waiting in the change logs explain (see the table and ' +
          'the lines under it). A document without change tracking also differs by rows the shop added or ' +
          `removed during its copy; otherwise compare the documents listed: \`migrate check ${args.config} --deep\`.`,
      );
      return ExitCode.volume;
    }
    if (rejectedTotal > 0) return ExitCode.failed;
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
    await throttle?.close();
    await closeConnections(connections);
    await lock?.release();
  }
}

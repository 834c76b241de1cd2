/**
 * The workflow of `migrate data`, as a library function: preflight, plan and integrity check
 * (the dry run ends there), then --retry-rejected or --reset when asked, merges, the bulk copy
 * with change tracking installed before each document's first read, computed documents and
 * profile steps, the volume check and the steps' verification. It returns the exit status.
 * The CLI (src/cli/commands/data.ts) parses the arguments, takes the run lock, wires Ctrl+C and
 * supplies what talks to the terminal (`DataWorkflowUi`).
 */
import type { Config } from '../../config/types.js';
import { IdMapStore, idMapTableName } from '../../db/id-map-store.js';
import { selectedMerges, selectSteps } from '../../engine/map-steps.js';
import type { RunLock } from '../../engine/run-lock.js';
import {
  createStepContext,
  resetSteps,
  runSteps,
  type StepsOutcome,
  stepIntegrity,
} from '../../engine/run-steps.js';
import type { Throttle } from '../../engine/throttle.js';
import { ExitCode, MigrateError } from '../../errors.js';
import type { Logger } from '../../log.js';
import { countBySeverity, relaxErrors } from '../../mappings/problems.js';
import { ProgressStore } from '../../progress/store.js';
import { formatPlan, formatProblems } from '../../report/plan-text.js';
import { finishedText, resumeText } from '../../report/prior-run-text.js';
import { formatStepChecks, stepSummaries } from '../../report/step-checks-text.js';
import { formatSummary } from '../../report/summary-text.js';
import { verifyStepsWithBacklog } from '../delta/step-backlog.js';
import { installStepTracking, stepTrackedTables } from '../delta/step-sources.js';
import { trackedDocuments } from '../delta/tracked-documents.js';
import { installTracking } from '../delta/tracking.js';
import { definerNote, ownTriggersNote } from '../delta/tracking-notes.js';
import { trackingDdlPolicy } from '../delta/tracking-policy.js';
import {
  type Connections,
  type MappingFiles,
  openTracker,
  resolveAgainstDatabases,
  sourceDataProblems,
} from '../plan-stage.js';
import { formatPreflight, preflight, preflightError } from '../preflight.js';
import { formatVolume, volumeCheck } from '../volume.js';
import { chooseCopyMethods, readCopyFacts } from './copy-method.js';
import type { StopSignal } from './copy-part.js';
import { priorRun } from './prior-run.js';
import { RejectedLog } from './rejected-log.js';
import { resetDocuments } from './reset.js';
import { retryRejected } from './retry-rejected.js';
import { runDataCopy, selectPlans } from './run-data.js';

export interface DataWorkflowOptions {
  /** The config path as the operator typed it, for the commands the messages suggest. */
  configArg: string;
  dryRun?: boolean;
  auto?: boolean;
  only?: string[];
  skip?: string[];
  reset?: boolean;
  retryRejected?: boolean;
  /** Do not check privileges first. */
  skipPreflight?: boolean;
}

/** The copy's progress as the CLI shows it (src/cli/progress-display.ts). */
export interface DataProgress {
  document(name: string, total: number, done: number): void;
  rows(name: string, rows: number): void;
  finish(name: string): void;
  stop(): void;
}

/** What the workflow needs from the command line around it. */
export interface DataWorkflowUi {
  /** Asks before --reset empties tables (or answers yes for --yes); false cancels. */
  confirm(question: string): Promise<boolean>;
  /** Said by a dry run that succeeded, before it returns. */
  dryRunNotice(): void;
  /** Starts the throttle, whose state the run lock's holder row shows. */
  startThrottle(lock: RunLock): Promise<Throttle>;
  /** Starts the progress display; `throttleNote` says while the copy waits on the throttle. */
  progress(throttleNote: () => string | undefined): DataProgress;
}

export interface DataWorkflowContext {
  config: Config;
  files: MappingFiles;
  connections: Connections;
  log: Logger;
  stop: StopSignal;
  /** Absent in a dry run, which writes nothing. */
  lock: RunLock | undefined;
  ui: DataWorkflowUi;
}

/** Runs `migrate data` on open connections; returns the exit status. The caller closes connections and the lock. */
export async function runDataWorkflow(
  context: DataWorkflowContext,
  options: DataWorkflowOptions,
): Promise<ExitCode> {
  const { config, files, connections, log, stop, lock, ui } = context;
  let throttle: Throttle | undefined;
  try {
    if (!options.skipPreflight) {
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
    const selected = selectPlans(resolution.plans, options.only, options.skip);
    const merges = selectedMerges(steps, selected);
    const merged = new Set(steps.merges.map((m) => m.document));
    const plans = selected.filter((p) => !merged.has(p.destinationDocument));
    const afterSteps = selectSteps(steps.after, options.only, options.skip);
    const allProblems = [
      ...resolution.problems,
      ...(await stepIntegrity(config, connections, [...steps.merges, ...steps.after], resolution.plans)),
      ...(await sourceDataProblems(config, connections, selected)),
    ];
    const problems = options.auto ? relaxErrors(allProblems) : allProblems;
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
    if (options.dryRun) {
      ui.dryRunNotice();
      log.info('dry run: nothing was written');
      return ExitCode.ok;
    }

    const progress = new ProgressStore(connections.destination, config.options.progressTable);
    if (options.retryRejected) {
      const idMaps = new IdMapStore(connections.destination, idMapTableName(config.options.progressTable));
      await idMaps.ensureTable();
      const outcomes = await retryRejected(
        connections,
        plans,
        progress,
        new RejectedLog(config.options.rejectedDir),
        idMaps,
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
    if (options.reset) {
      const tables = plans.map((p) => p.destinationTable).join(', ');
      const mergedNote = merges.length
        ? ` In ${merges.map((m) => m.document).join(', ')} it deletes only the rows store-migrate created (seeded rows stay).`
        : '';
      const ok = await ui.confirm(
        `--reset empties ${plans.length + afterSteps.length} tables in ${connections.destination.describe()}: ${[tables, ...afterSteps.flatMap((s) => s.documents)].filter(Boolean).join(', ')}.${mergedNote}`,
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
    // The steps' sources (Step.delta) are tracked too: installed before the first step reads.
    const stepTables = files.deltaLog
      ? stepTrackedTables([...merges, ...afterSteps], files.deltaLog.prefix, config.options.sourcePrefix)
      : [];
    const tracker = tracked.length + stepTables.length > 0 ? await openTracker(config) : undefined;
    let definerWarned = false;
    // A failed install stops its document's copy; its own error (code, blocker, next step) is the one to show.
    let trackingError: unknown;
    throttle = lock ? await ui.startThrottle(lock) : undefined;
    const display = ui.progress(() => throttle?.describe());
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
        idMaps: stepCtx.idMaps,
        only: options.only,
        skip: options.skip,
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
      if (!result.stopped && !stop.requested) {
        if (tracker && stepTables.length > 0) {
          const installs = await installStepTracking(
            tracker,
            stepTables,
            trackingDdlPolicy(config.options, log, stop),
            (text) => log.warn(text),
          );
          const created = installs.filter((i) => i.created.length > 0);
          if (created.length > 0)
            log.verbose(
              `steps: change tracking installed on ${created.map((i) => i.table.table).join(', ')}`,
            );
          for (const install of created)
            if (install.ownTriggers.length > 0)
              log.warn(ownTriggersNote(install.table.plan.sourceTable, install.ownTriggers));
        }
        stepRuns.push(await runSteps(afterSteps, stepCtx));
      }
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
        ? finishedText(prior, options.configArg)
        : formatSummary([...result.summaries, ...stepRows]),
    );
    lock?.throwIfLost();

    if (result.stopped || stepRuns.some((r) => r.stopped) || afterRun === undefined) {
      log.error(
        `stopped: every committed chunk is kept. Run \`migrate data ${options.configArg}\` again to resume.`,
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
    const stepChecks = await verifyStepsWithBacklog(
      [...merges, ...afterSteps],
      stepCtx,
      stepTables.length > 0 ? connections.source : undefined,
      stepTables,
    );
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
          `fix the cause (each line says why), then run \`migrate data ${options.configArg} --retry-rejected\``,
      );
    }
    // A difference nothing explains outranks rejected rows: those are at least in their files.
    if (volume.some((v) => v.status === 'mismatch') || stepChecks.some((c) => !c.ok && !c.pending)) {
      log.error(
        'row counts differ beyond what the changes waiting in the change logs explain (see the table and ' +
          'the lines under it). A document without change tracking also differs by rows the shop added or ' +
          `removed during its copy; otherwise compare the documents listed: \`migrate check ${options.configArg} --deep\`.`,
      );
      return ExitCode.volume;
    }
    if (rejectedTotal > 0) return ExitCode.failed;
    if (volume.some((v) => v.status === 'changes-pending') || stepChecks.some((c) => c.pending)) {
      log.info(
        'data: every document copied. The shop kept selling meanwhile: its changes wait in the change logs. ' +
          `Run \`migrate delta ${options.configArg}\` to apply them and keep the new database in sync, then \`migrate check ${options.configArg}\`.`,
      );
      return ExitCode.ok;
    }
    log.info('data: every document copied and counted');
    return ExitCode.ok;
  } finally {
    await throttle?.close();
  }
}

/**
 * `migrate cutover`: the downtime window as one sequence of timed phases.
 *
 *   before downtime  the `before` hook; refuse unless tracking is configured and in place and
 *                    every document copied; take the run lock (`--stop-delta` asks a running
 *                    delta to hand it over); apply the change logs while the shop still sells;
 *                    deep-check every document not verified yet. Nothing here touches the shop.
 *   maintenance on   the `maintenance_on` hook: downtime starts.
 *   drain            apply the change logs until they stay empty for the drain period.
 *   verify           counts for every document, and a deep comparison of exactly the keys delta
 *                    applied since each document's last full deep check.
 *   go live          the `go_live` hook: downtime ends.
 *   after            the `after` hook.
 *
 * A failing phase, or Ctrl+C, inside the window runs the `abort` hook (the old shop leaves
 * maintenance): nothing is lost, as the old store was only read and tracking stays, so delta
 * can go on. A rehearsal runs it all without the hooks that move traffic.
 */

import type { Config } from '../../config/types.js';
import type { RunLock } from '../../engine/run-lock.js';
import { ExitCode, errorText, MigrateError } from '../../errors.js';
import type { Logger } from '../../log.js';
import { DeferredIndexStore } from '../../progress/deferred-index-store.js';
import { ProgressStore } from '../../progress/store.js';
import {
  CUTOVER_REPORT_VERSION,
  type CutoverReport,
  type PhaseName,
  type VerifiedDocument,
} from '../../report/cutover-report.js';
import { toolName } from '../../report/tool-name.js';
import type { StopSignal } from '../data/copy-part.js';
import type { DeltaContext } from '../delta/apply-batch.js';
import { createDeltaContext } from '../delta/delta-context.js';
import { runDelta } from '../delta/run-delta.js';
import { stepDeltaRun } from '../delta/step-sources.js';
import { trackedDocuments } from '../delta/tracked-documents.js';
import {
  closeConnections,
  type MappingFiles,
  openConnections,
  openTracker,
  resolveAgainstDatabases,
} from '../plan-stage.js';
import { HookFailed, hasHook, runHook } from './hooks.js';
import { PhaseLog } from './phases.js';
import { requireCopied, requireTracking, requireTrackingInPlace, takeCutoverLock } from './readiness.js';
import { checkUnverified, verifyWindow } from './verify.js';

export const DEFAULT_DRAIN_PERIOD_MS = 5000;
/** Before downtime, delta applies the backlog until fewer changes than this wait. */
const CATCH_UP_BACKLOG = 1000;
/** A rehearsal's drain ends this long after the drain period even if the shop keeps writing. */
const REHEARSAL_DRAIN_EXTRA_MS = 30_000;

export interface CutoverOptions {
  config: Config;
  files: MappingFiles;
  log: Logger;
  stop: StopSignal;
  /** The command line, for the run lock's holder row. */
  commandLine: string;
  /** The config path as the operator typed it, for the commands messages name. */
  configPath: string;
  drainPeriodMs: number;
  rehearse: boolean;
  stopDelta: boolean;
  /** Told when the downtime window opens (true) and closes (false): a second Ctrl+C must not end the process inside it. */
  onWindow?: (open: boolean) => void;
}

export interface CutoverOutcome {
  report: CutoverReport;
  exitCode: number;
  /** What the operator reads last: how it ended and what to do. */
  summary: string;
}

/** Thrown inside the window when the operator pressed Ctrl+C. */
class StoppedInWindow extends Error {}

export async function runCutover(options: CutoverOptions): Promise<CutoverOutcome> {
  const { config, files, log, stop } = options;
  const startedAt = new Date().toISOString();
  const phases = new PhaseLog(log);
  const deltaLog = requireTracking(files, options.configPath);
  const connections = await openConnections(config);
  let tracker: DeltaContext['tracker'] | undefined;
  let lock: RunLock | undefined;
  try {
    tracker = await openTracker(config);
    const resolution = await resolveAgainstDatabases(config, files, connections);
    const plans = resolution.plans;
    const tracked = trackedDocuments(deltaLog, plans);
    const progress = new ProgressStore(connections.destination, config.options.progressTable);
    const ctx = await createDeltaContext(
      config,
      { source: connections.source, tracker, destination: connections.destination },
      5000,
    );
    const changedKeys = ctx.changedKeys;
    // The profile's steps (Step.delta) drain with the map's documents.
    const steps = await stepDeltaRun(config, { ...files, deltaLog }, connections, plans, log, {
      stop,
      rejected: ctx.rejected,
    });
    const report: CutoverReport = {
      version: CUTOVER_REPORT_VERSION,
      tool: toolName(),
      config: config.file,
      source: connections.source.describe(),
      destination: connections.destination.describe(),
      rehearsal: options.rehearse,
      startedAt,
      generatedAt: startedAt,
      status: 'done',
      phases: phases.phases,
      window: null,
      checkedBefore: [],
      verify: [],
      abort: null,
    };
    const pollIntervalMs = Math.min(config.options.deltaPollInterval, 250);
    const drain = async (quietPeriodMs: number, until: () => boolean) => {
      const ended = { requested: false };
      const drainStop = {
        get requested() {
          return stop.requested || ended.requested || until();
        },
        set requested(value: boolean) {
          ended.requested = value;
        },
      };
      return runDelta(ctx, tracked, log, {
        untilCaughtUp: true,
        quietPeriodMs,
        pollIntervalMs,
        concurrency: config.options.concurrency,
        stop: drainStop,
        ...(steps && { steps }),
      });
    };

    // ---- before downtime: nothing here touches the shop.
    await phases.run('before', false, async (note) => {
      const before = await runHook(config, 'before', 'before', log);
      if (before) note(`hook before: done in ${before.seconds.toFixed(1)} s`);
      await requireCopied(
        progress,
        new DeferredIndexStore(connections.destination, config.options.progressTable),
        plans,
        options.configPath,
      );
      await requireTrackingInPlace(ctx, tracked);
      note(`every document copied; tracking in place on ${tracked.length} documents`);
      lock = await takeCutoverLock(config, options.commandLine, log, stop, options);
      note('run lock taken: no other run of this pair can write now');
      await changedKeys.ensureTables();
      let backlog = Number.POSITIVE_INFINITY;
      const caughtUp = await runDelta(ctx, tracked, log, {
        untilCaughtUp: true,
        quietPeriodMs: 0,
        pollIntervalMs,
        concurrency: config.options.concurrency,
        stop: {
          get requested() {
            return stop.requested || backlog < CATCH_UP_BACKLOG;
          },
          set requested(value: boolean) {
            stop.requested = value;
          },
        },
        onStatus: (status) => {
          backlog = status.reduce((total, s) => total + s.pending, 0);
        },
        ...(steps && { steps }),
      });
      if (stop.requested) throw stoppedBefore();
      failIfSkipped(caughtUp.failed, options.configPath);
      failIfRejected(caughtUp.documents, config, options.configPath);
      const applied = caughtUp.documents.reduce((total, d) => total + d.applied, 0);
      const waiting = caughtUp.documents.reduce((total, d) => total + d.pending, 0);
      note(`delta applied ${applied} changes while the shop sold; ${waiting} waiting`);
      report.checkedBefore = await checkUnverified(
        config,
        connections,
        plans,
        changedKeys,
        deltaLog,
        options.configPath,
        note,
      );
      if (stop.requested) throw stoppedBefore();
    });

    // ---- the window.
    const windowStart = performance.now();
    const windowStartedAt = new Date().toISOString();
    options.onWindow?.(true);
    const closeWindow = () => {
      report.window = {
        seconds: (performance.now() - windowStart) / 1000,
        startedAt: windowStartedAt,
        endedAt: new Date().toISOString(),
      };
      options.onWindow?.(false);
    };
    let current: PhaseName = 'maintenance_on';
    const checkStop = () => {
      if (stop.requested) {
        phases.markStopped();
        throw new StoppedInWindow();
      }
    };
    try {
      current = 'maintenance_on';
      await trafficHook(phases, config, 'maintenance_on', options.rehearse, log);
      checkStop();

      current = 'drain';
      const drainEnd = Date.now() + options.drainPeriodMs + REHEARSAL_DRAIN_EXTRA_MS;
      await phases.run('drain', true, async (note) => {
        const drained = await drain(options.drainPeriodMs, () => options.rehearse && Date.now() > drainEnd);
        checkStop();
        failIfSkipped(drained.failed, options.configPath);
        const applied = drained.documents.reduce((total, d) => total + d.applied, 0);
        note(
          `applied ${applied} changes; the change logs ${drained.caughtUp ? `stayed empty for ${(options.drainPeriodMs / 1000).toFixed(1)} s` : 'did not go quiet (the shop kept writing)'}`,
        );
        failIfRejected(drained.documents, config, options.configPath);
        if (!drained.caughtUp && !options.rehearse) {
          throw new MigrateError('the change logs did not go quiet', {
            code: 'CUTOVER_NOT_DRAINED',
            exitCode: ExitCode.failed,
          });
        }
      });
      checkStop();

      current = 'verify';
      await phases.run('verify', true, async (note) => {
        const trackedNames = new Set(tracked.map((t) => t.plan.document));
        report.verify = await verifyWindow(config, connections, plans, trackedNames, changedKeys);
        const keys = report.verify.reduce((total, d) => total + (d.keysCompared ?? 0), 0);
        const differing = report.verify.filter((d) => d.status === 'mismatch');
        note(
          `${report.verify.length} documents counted; ${keys} changed keys compared row by row; ${differing.length === 0 ? 'everything matches' : `${differing.length} differ: ${differing.map(describeDifference).join('; ')}`}`,
        );
        if (differing.length > 0) {
          throw new MigrateError(
            `the verify found differences in ${differing.map((d) => d.document).join(', ')}`,
            {
              code: 'CUTOVER_VERIFY_FAILED',
              exitCode: ExitCode.volume,
              hint: `the report lists the keys; repair them (\`migrate check ${options.configPath} --deep --only <document>\`), then cut over again`,
            },
          );
        }
      });
      checkStop();

      current = 'go_live';
      await trafficHook(phases, config, 'go_live', options.rehearse, log);
      closeWindow();
    } catch (error) {
      const reason = error instanceof StoppedInWindow ? 'stopped by Ctrl+C' : errorText(error);
      report.status = 'aborted';
      report.abort = { phase: current, reason, hookRan: false };
      log.error(`cutover: aborting in phase ${current}: ${reason}`);
      if (options.rehearse) {
        phases.skip('abort', true, 'rehearsal: the abort hook is not run');
      } else if (!hasHook(config, 'abort')) {
        phases.skip('abort', true, 'config.xml has no abort hook: put the old shop back in service yourself');
      } else {
        try {
          await phases.run('abort', true, async (note) => {
            const run = await runHook(config, 'abort', 'abort', log);
            if (run) note(`hook abort: done in ${run.seconds.toFixed(1)} s`);
          });
          report.abort.hookRan = true;
        } catch (abortError) {
          closeWindow();
          report.generatedAt = new Date().toISOString();
          return {
            report,
            exitCode: ExitCode.failed,
            summary:
              `cutover ABORTED in phase ${current} (${reason}), and the abort hook failed too: ${errorText(abortError)}. ` +
              'THE OLD SHOP MAY STILL BE IN MAINTENANCE: take it out of maintenance by hand now. ' +
              'Nothing was lost: the old store was only read, and its changes keep waiting in the change logs.',
          };
        }
      }
      closeWindow();
      report.generatedAt = new Date().toISOString();
      const exitCode =
        error instanceof StoppedInWindow
          ? ExitCode.interrupted
          : error instanceof MigrateError && !(error instanceof HookFailed)
            ? error.exitCode
            : ExitCode.failed;
      const back = options.rehearse
        ? 'rehearsal: a real cut-over would now have run the abort hook'
        : report.abort.hookRan
          ? 'the abort hook ran: the old shop is back in service'
          : 'no abort hook ran: put the old shop back in service';
      const hint = error instanceof MigrateError && error.hint ? ` Next: ${error.hint}.` : '';
      return {
        report,
        exitCode,
        summary:
          `cutover aborted in phase ${current}: ${reason}. ${back}. Nothing was lost: the old store was only read, ` +
          `change tracking stays, and \`migrate delta ${options.configPath}\` goes on from where the cut-over stopped; ` +
          `run \`migrate cutover ${options.configPath}\` again when ready.${hint}`,
      };
    }

    // ---- after the window: the new shop is live.
    try {
      if (hasHook(config, 'after')) {
        await phases.run('after', false, async (note) => {
          const run = await runHook(config, 'after', 'after', log);
          if (run) note(`hook after: done in ${run.seconds.toFixed(1)} s`);
        });
      }
    } catch (error) {
      report.generatedAt = new Date().toISOString();
      return {
        report,
        exitCode: ExitCode.failed,
        summary: `cutover done: the new shop is live (downtime ${report.window?.seconds.toFixed(1)} s), but the after hook failed: ${errorText(error)}`,
      };
    }
    report.generatedAt = new Date().toISOString();
    const downtime = report.window?.seconds.toFixed(1) ?? '?';
    return {
      report,
      exitCode: ExitCode.ok,
      summary: options.rehearse
        ? `rehearsal done: the window would have taken ${downtime} s (the traffic hooks were not run)`
        : `cutover done: the new shop is live; downtime ${downtime} s`,
    };
  } finally {
    const held = lock as RunLock | undefined;
    await held?.release();
    await tracker?.close();
    await closeConnections(connections);
  }
}

/** maintenance_on or go_live: skipped in a rehearsal; a missing one is an error outside it (checked by the CLI). */
async function trafficHook(
  phases: PhaseLog,
  config: Config,
  hook: 'maintenance_on' | 'go_live',
  rehearse: boolean,
  log: Logger,
): Promise<void> {
  if (rehearse) {
    phases.skip(hook, true, `rehearsal: the ${hook} hook is not run`);
    return;
  }
  if (!hasHook(config, hook)) {
    phases.skip(hook, true, `config.xml has no ${hook} hook`);
    return;
  }
  await phases.run(hook, true, async (note) => {
    const run = await runHook(config, hook, hook, log);
    if (run) note(`hook ${hook}: done in ${run.seconds.toFixed(1)} s`);
  });
}

function failIfSkipped(failed: ReadonlyArray<{ document: string; error: string }>, configPath: string): void {
  if (failed.length === 0) return;
  throw new MigrateError(
    `delta could not apply the changes of ${failed.map((f) => `${f.document} (${f.error})`).join('; ')}`,
    {
      code: 'CUTOVER_DELTA_FAILED',
      exitCode: ExitCode.failed,
      hint: `fix the cause named, check with \`migrate delta ${configPath} --until-caught-up\`, then cut over again`,
    },
  );
}

/** A changed row the destination refused has not arrived: the cut-over cannot go on without it. */
function failIfRejected(
  documents: ReadonlyArray<{ rejected: number }>,
  config: Config,
  configPath: string,
): void {
  const rejected = documents.reduce((total, d) => total + d.rejected, 0);
  if (rejected === 0) return;
  throw new MigrateError(
    `the destination rejected ${rejected} changed rows (listed in ${config.options.rejectedDir})`,
    {
      code: 'CUTOVER_REJECTED_ROWS',
      exitCode: ExitCode.failed,
      hint: `fix their cause, run \`migrate data ${configPath} --retry-rejected\`, then cut over again`,
    },
  );
}

function stoppedBefore(): MigrateError {
  return new MigrateError('stopped before downtime: the shop was not touched', {
    code: 'STOPPED',
    exitCode: ExitCode.interrupted,
    hint: 'run `migrate cutover` again when ready',
  });
}

function describeDifference(d: VerifiedDocument): string {
  const parts: string[] = [];
  if (d.sourceRows !== d.destinationRows + d.rejectedRows)
    parts.push(`${d.sourceRows} source rows, ${d.destinationRows} destination`);
  if (d.counts.missing) parts.push(`${d.counts.missing} missing`);
  if (d.counts.extra) parts.push(`${d.counts.extra} extra`);
  if (d.counts.changed) parts.push(`${d.counts.changed} changed`);
  return `${d.document} (${parts.join(', ')})`;
}

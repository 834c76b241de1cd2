/**
 * The workflow of `migrate delta`, as a library function: resolve the tracked documents, refuse
 * any not copied yet, start the throttle, apply the change logs until Ctrl+C, until caught up,
 * or until `migrate cutover --stop-delta` asks this run to hand over; then collect what the run
 * did (per document, skipped documents, conflicts, rejected rows) and its exit status. The CLI
 * (src/cli/commands/delta.ts) parses, takes the run lock, wires Ctrl+C, shows the status line
 * and renders the result.
 */
import type { Config } from '../../config/types.js';
import type { Database } from '../../db/database.js';
import { handoverRequested } from '../../engine/handover.js';
import type { RunLock } from '../../engine/run-lock.js';
import type { Throttle } from '../../engine/throttle.js';
import { ConfigError, ExitCode } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { DeltaLog } from '../../mappings/deltalog.js';
import { ProgressStore } from '../../progress/store.js';
import { conflictLines } from '../../report/conflicts-text.js';
import type { StopSignal } from '../data/copy-part.js';
import { selectPlans } from '../data/run-data.js';
import { type Connections, type MappingFiles, resolveAgainstDatabases } from '../plan-stage.js';
import type { ConflictLog } from './conflict-log.js';
import { createDeltaContext } from './delta-context.js';
import { type DocumentStatus, type FailedDocument, refuseUncopied, runDelta } from './run-delta.js';
import { stepDeltaRun } from './step-sources.js';
import { trackedDocuments } from './tracked-documents.js';

/** How often a running delta looks whether a cut-over asks it to stop. */
const HANDOVER_POLL_MS = 1000;

export const DEFAULT_DELTA_BATCH_SIZE = 5000;

export interface DeltaWorkflowOptions {
  /** Exit once every change log stayed empty for the quiet period. */
  untilCaughtUp?: boolean;
  /** ms the change logs must stay empty (default: delta_quiet_period). */
  quietPeriodMs?: number;
  /** ms between polls when idle (default: delta_poll_interval). */
  pollIntervalMs?: number;
  /** Change-log rows per batch and document. */
  batchSize?: number;
  /** Apply only documents matching these globs. */
  only?: string[];
}

/** What the workflow needs from the command line around it. */
export interface DeltaWorkflowUi {
  /** Starts the throttle, whose state the run lock's holder row shows. */
  startThrottle(lock: RunLock): Promise<Throttle>;
  /** Fresh per-document status every couple of seconds, with the throttle's note when it holds delta back. */
  status(documents: readonly DocumentStatus[], throttleNote: string | undefined): void;
}

export interface DeltaWorkflowContext {
  config: Config;
  files: MappingFiles & { deltaLog: DeltaLog };
  connections: Connections;
  /** The session that reads the change logs and triggers on the source. */
  tracker: Database;
  log: Logger;
  stop: StopSignal;
  lock: RunLock;
  ui: DeltaWorkflowUi;
}

export interface DeltaWorkflowResult {
  exitCode: ExitCode;
  /** Per document: changes applied, rejected, pending, lag. */
  documents: DocumentStatus[];
  /** Documents skipped after an error retrying could not cure. */
  failed: FailedDocument[];
  /** Destination rows this run found it had not written, one line per document (empty when none). */
  conflicts: string[];
  /** Changed rows the destination rejected, in the rejected-rows directory. */
  rejected: number;
  /** Ctrl+C or a cut-over's hand-over ended the run. */
  stopped: boolean;
  /** `migrate cutover --stop-delta` asked this run to stop; it applies the rest. */
  handedOver: boolean;
  caughtUp: boolean;
}

/** The delta log file config.xml names; without one, no source table is tracked. */
export function requireDeltaLog(files: MappingFiles): MappingFiles & { deltaLog: DeltaLog } {
  if (!files.deltaLog) {
    throw new ConfigError('config.xml names no <deltalog_file>, so no source table is tracked', {
      code: 'DELTA_NOT_CONFIGURED',
      hint: 'add <deltalog_file>deltalog.json</deltalog_file> to <options>, then run `migrate data` (it sets tracking up before copying)',
    });
  }
  return files as MappingFiles & { deltaLog: DeltaLog };
}

/** Runs `migrate delta` on open connections under the caller's run lock. The caller closes them. */
export async function runDeltaWorkflow(
  context: DeltaWorkflowContext,
  options: DeltaWorkflowOptions,
): Promise<DeltaWorkflowResult> {
  const { config, files, connections, tracker, log, stop, lock, ui } = context;
  let throttle: Throttle | undefined;
  let handedOver = false;
  // `migrate cutover --stop-delta` asks this run to finish its batch and hand the lock over.
  const handover = setInterval(() => {
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
  try {
    const resolution = await resolveAgainstDatabases(config, files, connections);
    const selected = new Set(selectPlans(resolution.plans, options.only).map((p) => p.document));
    const tracked = trackedDocuments(files.deltaLog, resolution.plans).filter((t) =>
      selected.has(t.plan.document),
    );
    await refuseUncopied(new ProgressStore(connections.destination, config.options.progressTable), tracked);
    throttle = await ui.startThrottle(lock);
    const throttled = throttle;
    log.info(
      `delta: tracking ${tracked.length} documents: ${tracked.map((t) => t.plan.document).join(', ')}`,
    );
    const ctx = await createDeltaContext(
      config,
      { source: connections.source, tracker, destination: connections.destination },
      options.batchSize ?? DEFAULT_DELTA_BATCH_SIZE,
    );
    await ctx.changedKeys.ensureTables();
    // The steps that declare their sources (Step.delta), as `migrate data` installed their tracking.
    const steps = await stepDeltaRun(config, files, connections, resolution.plans, log, {
      stop,
      rejected: ctx.rejected,
      ...(options.only && { only: options.only }),
    });
    if (steps)
      log.info(
        `delta: the steps ${steps.steps.map((s) => s.name).join(', ')} read ${steps.tables.length} tracked source tables`,
      );
    const runStart = new Date().toISOString();
    const summary = await runDelta(ctx, tracked, log, {
      untilCaughtUp: Boolean(options.untilCaughtUp),
      quietPeriodMs: options.quietPeriodMs ?? config.options.deltaQuietPeriod,
      pollIntervalMs: options.pollIntervalMs ?? config.options.deltaPollInterval,
      concurrency: config.options.concurrency,
      stop,
      throttle,
      onStatus: (status) => ui.status(status, throttled.describe()),
      ...(steps && { steps }),
    });
    const rejected = summary.documents.reduce((total, d) => total + d.rejected, 0);
    return {
      exitCode:
        rejected > 0 || summary.failed.length > 0
          ? ExitCode.failed
          : summary.stopped && !handedOver
            ? ExitCode.interrupted
            : ExitCode.ok,
      documents: summary.documents,
      failed: summary.failed,
      conflicts: conflictsOfRun(ctx.conflicts, tracked, runStart),
      rejected,
      stopped: summary.stopped,
      handedOver,
      caughtUp: summary.caughtUp,
    };
  } finally {
    clearInterval(handover);
    await throttle?.close();
  }
}

/** Destination rows this run replaced, deleted or kept although delta had not written them. */
function conflictsOfRun(
  conflicts: ConflictLog,
  tracked: ReadonlyArray<{ plan: { document: string } }>,
  since: string,
): string[] {
  const thisRun = new Map(
    tracked.map((t) => [t.plan.document, conflicts.read(t.plan.document).filter((e) => e.at >= since)]),
  );
  return conflictLines(thisRun, (document) => conflicts.pathOf(document));
}

/**
 * The delta loop: applies every tracked document's change log to the destination, batch by
 * batch, concurrently within the connection budget, polling when idle, until Ctrl+C or, with
 * `untilCaughtUp`, until every change log has stayed empty for the quiet period. Lost
 * connections, deadlocks and lock waits retry with backoff; the loop goes on. A document whose
 * batch fails with any other error is skipped and named, and the others go on.
 */
import pLimit from 'p-limit';
import { changeLogBacklog } from '../../db/change-log-backlog.js';
import type { ThrottleGate } from '../../engine/throttle.js';
import { ExitCode, errorText, MigrateError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { ProgressStore } from '../../progress/store.js';
import type { StopSignal } from '../data/copy-part.js';
import { backoff, isTransient } from '../data/transient.js';
import { applyBatch, changeLogMissing, type DeltaContext } from './apply-batch.js';
import { applyStepBatch, type StepDeltaRun } from './apply-step-batch.js';
import type { TrackedDocument } from './tracked-documents.js';
import { trackingGaps } from './tracking.js';

export interface DeltaOptions {
  untilCaughtUp: boolean;
  quietPeriodMs: number;
  pollIntervalMs: number;
  concurrency: number;
  stop: StopSignal;
  /** How often tracking is verified while running, in ms (default 5000). */
  verifyIntervalMs?: number;
  /** Pauses between batches while the source is overloaded (src/engine/throttle.ts). */
  throttle?: ThrottleGate;
  /** Called with fresh per-document status every couple of seconds. */
  onStatus?: (status: readonly DocumentStatus[]) => void;
  /**
   * The steps' sources and how to apply them (apply-step-batch.ts): drained after the map's
   * documents in every round, shown as `step source <table>` in the status.
   */
  steps?: StepDeltaRun;
}

export interface DocumentStatus {
  document: string;
  /** Change-log rows waiting. */
  pending: number;
  /** Changes applied per second over the last interval. */
  rate: number;
  /** Age in seconds of the oldest unapplied change; 0 when none is waiting. */
  lagSeconds: number;
  applied: number;
  rejected: number;
}

export interface DeltaSummary {
  documents: DocumentStatus[];
  stopped: boolean;
  caughtUp: boolean;
  /** Documents skipped after a batch failed with an error retrying cannot cure, with that error. */
  failed: FailedDocument[];
}

export interface FailedDocument {
  document: string;
  error: string;
}

const STATUS_EVERY_MS = 2000;
/** How often the triggers and change logs are looked at again while delta runs. */
const VERIFY_EVERY_MS = 5000;

/**
 * Stops delta when a tracked document's change log or one of its triggers is gone (or replaced
 * by one that is not the tool's): changes since then were not logged, so "caught up" would lie.
 */
async function verifyTracking(
  ctx: DeltaContext,
  tracked: readonly TrackedDocument[],
  steps: StepDeltaRun | undefined,
): Promise<void> {
  const gaps = await trackingGaps(ctx.tracker, [...tracked, ...(steps?.tables ?? [])]);
  if (gaps.length > 0) throw changeLogMissing(gaps);
}

/** Delta applies to a document only after its bulk copy is complete (invariant 7). */
export async function refuseUncopied(
  progress: ProgressStore,
  tracked: readonly TrackedDocument[],
): Promise<void> {
  const uncopied: string[] = [];
  for (const doc of tracked) {
    const parts = await progress.parts(doc.plan.document);
    if (parts.length === 0 || parts.some((p) => p.state !== 'copied')) uncopied.push(doc.plan.document);
  }
  if (uncopied.length === 0) return;
  throw new MigrateError(`the bulk copy is not complete for: ${uncopied.join(', ')}`, {
    code: 'DELTA_BEFORE_COPY',
    exitCode: ExitCode.failed,
    hint: 'run `migrate data <config>` until it completes, then start delta',
    context: { step: 'delta' },
  });
}

export async function runDelta(
  ctx: DeltaContext,
  tracked: readonly TrackedDocument[],
  log: Logger,
  options: DeltaOptions,
) {
  const steps = options.steps && options.steps.tables.length > 0 ? options.steps : undefined;
  await verifyTracking(ctx, tracked, steps);
  let lastVerify = Date.now();

  const limit = pLimit(options.concurrency);
  // Every change log delta drains: the map's documents', then the step sources'.
  const logs = [
    ...tracked.map((d) => ({ document: d.plan.document, changeLog: d.names.changeLog })),
    ...(steps?.tables ?? []).map((t) => ({ document: t.plan.document, changeLog: t.names.changeLog })),
  ];
  const totals = new Map(logs.map((d) => [d.document, { applied: 0, rejected: 0, sinceStatus: 0 }]));
  let lastStatus = Date.now();
  let lastChange = Date.now();
  let attempt = 0;
  let caughtUp = false;
  // A document whose batch fails for good is skipped from then on; the others go on.
  const failed = new Map<string, string>();
  const active = () => tracked.filter((doc) => !failed.has(doc.plan.document));
  // The steps go on or stop together: a batch is deleted from the change logs only once all applied it.
  const stepsActive = () => steps !== undefined && !steps.tables.some((t) => failed.has(t.plan.document));

  const status = async (): Promise<DocumentStatus[]> => {
    const seconds = Math.max((Date.now() - lastStatus) / 1000, 0.001);
    lastStatus = Date.now();
    return Promise.all(
      logs.map(async (doc) => {
        const backlog = await changeLogBacklog(ctx.tracker, ctx.tracker.schema, doc.changeLog);
        const t = totals.get(doc.document) ?? { applied: 0, rejected: 0, sinceStatus: 0 };
        const rate = t.sinceStatus / seconds;
        t.sinceStatus = 0;
        return {
          document: doc.document,
          pending: backlog.rows,
          rate,
          lagSeconds: backlog.lagSeconds,
          applied: t.applied,
          rejected: t.rejected,
        };
      }),
    );
  };

  const stepRound = async (run: StepDeltaRun): Promise<number> => {
    const result = await applyStepBatch(ctx, run).catch((error: unknown) => {
      if (isTransient(error)) throw error;
      for (const table of run.tables) failed.set(table.plan.document, errorText(error));
      log.error(
        `delta: the profile's steps are skipped from now on (${run.tables.length} step sources): ${errorText(error)}; the documents go on`,
      );
      return undefined;
    });
    if (!result) return 0;
    let changes = 0;
    for (const [document, applied] of result.changes) {
      const t = totals.get(document);
      if (t) {
        t.applied += applied;
        t.sinceStatus += applied;
      }
      changes += applied;
    }
    // Rejected rows are counted once per batch, on the first step source it read.
    const first = totals.get([...result.changes.keys()][0] ?? '');
    if (first) first.rejected += result.rejected;
    return changes;
  };

  while (!options.stop.requested && (active().length > 0 || stepsActive())) {
    await options.throttle?.wait(options.stop);
    let changes = 0;
    try {
      if (Date.now() - lastVerify >= (options.verifyIntervalMs ?? VERIFY_EVERY_MS)) {
        await verifyTracking(ctx, tracked, steps);
        lastVerify = Date.now();
      }
      const results = await Promise.all(
        active().map((doc) =>
          limit(async () => {
            if (options.stop.requested) return 0;
            const result = await applyBatch(ctx, doc).catch((error: unknown) => {
              if (isTransient(error)) throw error;
              failed.set(doc.plan.document, errorText(error));
              log.error(
                `delta: ${doc.plan.document} is skipped from now on: ${errorText(error)}; the other documents go on`,
              );
              return { changes: 0, upserted: 0, deleted: 0, rejected: 0 };
            });
            const t = totals.get(doc.plan.document);
            if (t) {
              t.applied += result.changes;
              t.sinceStatus += result.changes;
              t.rejected += result.rejected;
            }
            return result.changes;
          }),
        ),
      );
      changes = results.reduce((a, b) => a + b, 0);
      // After the map's documents: a step re-reads the source, never the destination rows above.
      if (steps && stepsActive() && !options.stop.requested) changes += await stepRound(steps);
      attempt = 0;
    } catch (error) {
      if (!isTransient(error)) throw error;
      attempt++;
      log.warn(`delta: ${errorText(error)}; retrying (attempt ${attempt})`);
      await backoff(Math.min(attempt, 6), options.stop);
      continue;
    }

    if (Date.now() - lastStatus >= STATUS_EVERY_MS) options.onStatus?.(await status());
    if (changes > 0) {
      lastChange = Date.now();
      continue;
    }
    if (options.untilCaughtUp && Date.now() - lastChange >= options.quietPeriodMs) {
      const now = await status();
      if (now.every((s) => s.pending === 0 || failed.has(s.document))) {
        caughtUp = true;
        break;
      }
    }
    await sleep(options.pollIntervalMs, options.stop);
  }
  return {
    documents: await status(),
    stopped: options.stop.requested,
    caughtUp,
    failed: [...failed].map(([document, error]) => ({ document, error })),
  } satisfies DeltaSummary;
}

/** Sleeps, waking early when a stop is requested. */
async function sleep(ms: number, stop: StopSignal): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until && !stop.requested) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(100, until - Date.now())));
  }
}

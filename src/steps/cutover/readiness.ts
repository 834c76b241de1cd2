/**
 * What must be true before `migrate cutover` puts the shop into maintenance: change tracking is
 * configured and in place, every document is copied, and this run holds the pair's run lock. A
 * running `migrate delta` holds that lock: the cut-over says so, or with `--stop-delta` asks it
 * to finish its batch and exit (src/engine/handover.ts), then takes the lock.
 */
import type { Config } from '../../config/types.js';
import { requestHandover } from '../../engine/handover.js';
import { acquireRunLock, type RunLock } from '../../engine/run-lock.js';
import { ConfigError, ExitCode, MigrateError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { DocumentPlan } from '../../mappings/plan.js';
import type { DeferredIndexStore } from '../../progress/deferred-index-store.js';
import type { ProgressStore } from '../../progress/store.js';
import type { StopSignal } from '../data/copy-part.js';
import { changeLogMissing, type DeltaContext } from '../delta/apply-batch.js';
import type { TrackedDocument } from '../delta/tracked-documents.js';
import { trackingGaps } from '../delta/tracking.js';
import type { MappingFiles } from '../plan-stage.js';

/** How long `--stop-delta` waits for the running delta to hand the lock over. */
const HANDOVER_WAIT_MS = 120_000;

export function requireTracking(
  files: MappingFiles,
  configPath: string,
): NonNullable<MappingFiles['deltaLog']> {
  if (files.deltaLog) return files.deltaLog;
  throw new ConfigError(
    'config.xml names no <deltalog_file>: without change tracking there is nothing to drain',
    {
      code: 'DELTA_NOT_CONFIGURED',
      hint: `add <deltalog_file>deltalog.json</deltalog_file> to <options>, run \`migrate data ${configPath}\` (it sets tracking up) and \`migrate delta ${configPath}\`, then cut over`,
    },
  );
}

/**
 * Every document `migrate data` copies must be copied completely, the indexes its copy deferred
 * built again included: a store must not go live without them.
 */
export async function requireCopied(
  progress: ProgressStore,
  deferredIndexes: DeferredIndexStore,
  plans: readonly DocumentPlan[],
  configPath: string,
): Promise<void> {
  const unbuilt = new Set((await deferredIndexes.missing()).map((i) => i.table));
  const uncopied: string[] = [];
  for (const plan of plans) {
    if (plan.owner !== 'data') continue;
    const parts = await progress.parts(plan.document);
    if (parts.length === 0 || parts.some((p) => p.state !== 'copied')) uncopied.push(plan.document);
    else if (unbuilt.has(plan.destinationTable)) uncopied.push(`${plan.document} (its deferred indexes)`);
  }
  if (uncopied.length === 0) return;
  throw new MigrateError(`the bulk copy is not complete for: ${uncopied.join(', ')}; nothing was done`, {
    code: 'CUTOVER_NOT_READY',
    exitCode: ExitCode.failed,
    hint: `run \`migrate data ${configPath}\` until every document is copied, then \`migrate cutover ${configPath}\``,
    context: { step: 'cutover' },
  });
}

export async function requireTrackingInPlace(
  ctx: DeltaContext,
  tracked: readonly TrackedDocument[],
): Promise<void> {
  const gaps = await trackingGaps(ctx.tracker, tracked);
  if (gaps.length > 0) throw changeLogMissing(gaps);
}

/**
 * The run lock; when another run holds it, RUN_LOCKED naming it, with the way out. With
 * `stopDelta` a running delta is asked to stop and the lock taken once it has.
 */
export async function takeCutoverLock(
  config: Config,
  commandLine: string,
  log: Logger,
  stop: StopSignal,
  options: { stopDelta: boolean; configPath: string },
): Promise<RunLock> {
  const take = () =>
    acquireRunLock(config, commandLine, log, () => {
      stop.requested = true;
      log.error('the run lock was lost for good: the cut-over stops');
    });
  try {
    return await take();
  } catch (error) {
    if (!(error instanceof MigrateError) || error.code !== 'RUN_LOCKED') throw error;
    const isDelta = /`migrate delta\b/.test(error.message);
    if (!options.stopDelta || !isDelta) {
      throw new MigrateError(`${error.message}; the cut-over did nothing`, {
        code: 'RUN_LOCKED',
        exitCode: ExitCode.locked,
        hint: isDelta
          ? `stop that delta (Ctrl+C where it runs: it finishes its batch), or run \`migrate cutover ${options.configPath} --stop-delta\`, which asks it to stop and takes over; the cut-over applies what is left`
          : (error.hint ?? 'wait for that run to end'),
      });
    }
  }
  log.info('cutover: asking the running `migrate delta` to finish its batch and stop (--stop-delta)...');
  const request = await requestHandover(config);
  try {
    const until = Date.now() + HANDOVER_WAIT_MS;
    for (;;) {
      if (stop.requested)
        throw new MigrateError('stopped before the shop was touched', {
          code: 'STOPPED',
          exitCode: ExitCode.interrupted,
        });
      try {
        const lock = await take();
        log.info('cutover: the delta stopped; the run lock is ours');
        return lock;
      } catch (error) {
        if (!(error instanceof MigrateError) || error.code !== 'RUN_LOCKED' || Date.now() > until)
          throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } finally {
    await request.withdraw();
  }
}

/**
 * Runs steps inside `migrate data`'s rules: one at a time, each resuming through the progress
 * store, stopping after the chunk in hand on Ctrl+C, writing refused rows to the rejected-rows
 * log, waiting on the throttle between chunks. A failed step stops the run with STEP_FAILED
 * and the next step to take; a rerun resumes it.
 */
import type { Config } from '../config/types.js';
import { emptyTable } from '../db/empty-table.js';
import { IdMapStore, idMapTableName } from '../db/id-map-store.js';
import { readSchema } from '../db/schema.js';
import { serverFacts } from '../db/server-identity.js';
import { isInterrupted } from '../db/watched-client.js';
import { errorText, MigrateError } from '../errors.js';
import type { Logger } from '../log.js';
import type { DocumentPlan } from '../mappings/plan.js';
import type { Problem } from '../mappings/problems.js';
import { ProgressStore } from '../progress/store.js';
import type { StopSignal } from '../steps/data/copy-part.js';
import type { RejectedLog } from '../steps/data/rejected-log.js';
import type { Connections } from '../steps/plan-stage.js';
import { shellWord } from '../util/shell-word.js';
import type { Step, StepCheck, StepContext, StepDocumentResult } from './step.js';
import type { ThrottleGate } from './throttle.js';

export async function createStepContext(
  config: Config,
  connections: Connections,
  plans: readonly DocumentPlan[],
  log: Logger,
  run: {
    stop: StopSignal;
    rejected: RejectedLog;
    throttle?: ThrottleGate;
    onRows?: (document: string, rows: number) => void;
  },
): Promise<StepContext> {
  const progress = new ProgressStore(connections.destination, config.options.progressTable);
  await progress.ensureTable();
  const idMaps = new IdMapStore(connections.destination, idMapTableName(config.options.progressTable));
  await idMaps.ensureTable();
  const facts = await serverFacts(connections.destination);
  return {
    config,
    source: connections.source,
    destination: connections.destination,
    progress,
    idMaps,
    rejected: run.rejected,
    stop: run.stop,
    ...(run.throttle && { throttle: run.throttle }),
    log,
    maxAllowedPacket: facts.maxAllowedPacket,
    plans,
    onRows: run.onRows ?? (() => {}),
  };
}

export interface StepsOutcome {
  results: StepDocumentResult[];
  /** Ctrl+C came: the step in hand committed its chunk; later steps did not start. */
  stopped: boolean;
}

export async function runSteps(steps: readonly Step[], ctx: StepContext): Promise<StepsOutcome> {
  const results: StepDocumentResult[] = [];
  for (const step of steps) {
    if (ctx.stop.requested) return { results, stopped: true };
    ctx.log.verbose(`step ${step.name}: starting`);
    try {
      results.push(...(await step.run(ctx)));
    } catch (error) {
      if (ctx.stop.requested && isInterrupted(error)) return { results, stopped: true };
      throw new MigrateError(`step ${step.name} failed: ${errorText(error)}`, {
        code: 'STEP_FAILED',
        hint: `fix the cause, then run \`migrate data ${shellWord(ctx.config.file)}\` again: the step resumes from its last committed chunk`,
        context: { step: step.name },
        cause: error,
      });
    }
  }
  return { results, stopped: ctx.stop.requested };
}

export async function verifySteps(steps: readonly Step[], ctx: StepContext): Promise<StepCheck[]> {
  const checks: StepCheck[] = [];
  for (const step of steps) if (step.verify) checks.push(...(await step.verify(ctx)));
  return checks;
}

/** `--reset` of steps: each removes what it wrote (a merge: only the rows it created). */
export async function resetSteps(steps: readonly Step[], ctx: StepContext): Promise<void> {
  for (const step of steps) {
    if (step.reset) await step.reset(ctx);
    else
      for (const document of step.documents)
        await emptyTable(ctx.destination, `${ctx.config.options.destPrefix}${document}`);
  }
}

/** The steps' own integrity checks, against both live schemas; nothing is written. */
export async function stepIntegrity(
  config: Config,
  connections: Connections,
  steps: readonly Step[],
  plans: readonly DocumentPlan[],
): Promise<Problem[]> {
  const checked = steps.filter((s) => s.integrity);
  if (checked.length === 0) return [];
  const [sourceSchema, destinationSchema] = await Promise.all([
    readSchema(connections.source, connections.source.schema),
    readSchema(connections.destination, connections.destination.schema),
  ]);
  const ctx = { config, ...connections, sourceSchema, destinationSchema, plans };
  const problems: Problem[] = [];
  for (const step of checked) problems.push(...((await step.integrity?.(ctx)) ?? []));
  return problems;
}

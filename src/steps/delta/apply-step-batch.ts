/**
 * One delta batch for the steps (Step.delta), after the map's documents:
 *   1. read up to `batchSize` changes of every step source's change log, in id order;
 *   2. hand each step the changes of the tables it reads; it re-reads what they touch from the
 *      source, writes it and removes what vanished, in destination transactions of its own;
 *   3. once every step has applied them, delete exactly the change-log rows read.
 * As for the map's documents (apply-batch.ts), a change landing after 1 gets a row that was not
 * read and waits for the next batch, and a crash before 3 re-applies the batch: a step's apply
 * is idempotent (it re-reads the source's current rows, never replays the change).
 */
import { type ChangeLogEntry, deleteChangeLogIds, readChangeLogBatch } from '../../db/change-log-rows.js';
import type { Step, StepChange, StepContext } from '../../engine/step.js';
import type { Value } from '../../handlers/contract.js';
import { changeLogMissing, type DeltaContext } from './apply-batch.js';
import type { StepTrackedTable } from './step-sources.js';
import { keyColumn } from './tracking.js';

/** What delta needs to run the steps: their tracked sources and a step context to apply with. */
export interface StepDeltaRun {
  tables: readonly StepTrackedTable[];
  steps: readonly Step[];
  context: StepContext;
}

export interface StepBatchResult {
  /** Change-log rows consumed, per step source (`plan.document`). */
  changes: Map<string, number>;
  upserted: number;
  deleted: number;
  rejected: number;
}

export async function applyStepBatch(ctx: DeltaContext, run: StepDeltaRun): Promise<StepBatchResult> {
  const read: Array<{ table: StepTrackedTable; entries: ChangeLogEntry[] }> = [];
  for (const table of run.tables) {
    const entries = await readChangeLogBatch(ctx.tracker, changeLogOf(ctx, table), ctx.batchSize).catch(
      (error: unknown) => {
        if ((error as { errno?: number }).errno === 1146)
          throw changeLogMissing([
            { document: table.plan.document, missing: [`change log ${table.names.changeLog} gone`] },
          ]);
        throw error;
      },
    );
    if (entries.length > 0) read.push({ table, entries });
  }
  const result: StepBatchResult = { changes: new Map(), upserted: 0, deleted: 0, rejected: 0 };
  if (read.length === 0) return result;

  const changes: StepChange[] = read.flatMap(({ table, entries }) =>
    entries.map((entry) => ({
      table: table.table,
      op: entry.op as StepChange['op'],
      values: Object.fromEntries(
        table.key.map((column, i): [string, Value] => [column, entry.key[i] ?? null]),
      ),
    })),
  );
  for (const step of run.steps) {
    if (!step.delta) continue;
    const reads = new Set(step.delta.sources.map((s) => s.table));
    const mine = changes.filter((c) => reads.has(c.table));
    if (mine.length === 0) continue;
    const applied = await step.delta.apply(run.context, mine);
    result.upserted += applied.upserted;
    result.deleted += applied.deleted;
    result.rejected += applied.rejected;
  }
  for (const { table, entries } of read) {
    await deleteChangeLogIds(
      ctx.tracker,
      changeLogOf(ctx, table),
      entries.map((e) => e.id),
    );
    result.changes.set(table.plan.document, entries.length);
  }
  return result;
}

function changeLogOf(ctx: DeltaContext, table: StepTrackedTable) {
  return {
    schema: ctx.tracker.schema,
    table: table.names.changeLog,
    keyColumns: table.key.map((_, i) => keyColumn(i)),
  };
}

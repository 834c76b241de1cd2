/**
 * The steps' verification on a shop that kept selling during `migrate data`: like the map's
 * volume check (`changes-pending`, src/steps/volume.ts), a step check whose difference is no
 * larger than the changes waiting in the change logs of the tables the step reads is pending
 * (delta applies them), not a mismatch. A larger difference, or one with nothing waiting,
 * stays a mismatch. The backlog is read after the check, so a change that made it differ is
 * in its change log by then.
 */
import type { Database } from '../../db/database.js';
import { countTable } from '../../db/keyed-chunk.js';
import { tableNames } from '../../db/tracking-ddl.js';
import type { Step, StepCheck, StepContext } from '../../engine/step.js';
import type { StepTrackedTable } from './step-sources.js';

export async function verifyStepsWithBacklog(
  steps: readonly Step[],
  ctx: StepContext,
  /** Where the change logs are (the source); absent when nothing is tracked. */
  source: Database | undefined,
  tables: readonly StepTrackedTable[],
): Promise<StepCheck[]> {
  const checks: StepCheck[] = [];
  for (const step of steps) {
    if (!step.verify) continue;
    const own = await step.verify(ctx);
    if (own.every((c) => c.ok) || !source) {
      checks.push(...own);
      continue;
    }
    const waiting = await stepBacklog(
      source,
      tables.filter((t) => t.steps.includes(step)),
    );
    checks.push(
      ...own.map((check) =>
        !check.ok && waiting > 0 && Math.abs(check.expected - check.actual) <= waiting
          ? { ...check, pending: true, note: `${check.note}; ${waiting} changes waiting for delta` }
          : check,
      ),
    );
  }
  return checks;
}

/** Changes waiting in the change logs of `tables` (a log not installed counts none). */
async function stepBacklog(source: Database, tables: readonly StepTrackedTable[]): Promise<number> {
  if (tables.length === 0) return 0;
  const existing = await tableNames(source, source.schema);
  let waiting = 0;
  for (const table of tables)
    if (existing.has(table.names.changeLog))
      waiting += await countTable(source, source.schema, table.names.changeLog);
  return waiting;
}

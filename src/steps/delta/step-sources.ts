/**
 * The source tables the steps read (Step.delta.sources), as delta tracks them: one change log
 * per table, apart from the map's tracking of the same table (stepTrackingNames), recording
 * the union of the columns every step reading it asked for, in name order. `migrate data`
 * installs them all before the first step runs, so a change made while a step reads is logged
 * and applied by delta; `migrate delta` verifies and drains them after the map's documents.
 */
import type { Config } from '../../config/types.js';
import type { Database } from '../../db/database.js';
import type { SourceDdlPolicy } from '../../db/source-ddl.js';
import { tableExists } from '../../db/table-exists.js';
import { columnTypes } from '../../db/tracking-ddl.js';
import { selectSteps } from '../../engine/map-steps.js';
import { createStepContext } from '../../engine/run-steps.js';
import type { Step } from '../../engine/step.js';
import { ExitCode, MigrateError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { DeltaLog } from '../../mappings/deltalog.js';
import type { DocumentPlan } from '../../mappings/plan.js';
import type { StopSignal } from '../data/copy-part.js';
import type { RejectedLog } from '../data/rejected-log.js';
import type { Connections, MappingFiles } from '../plan-stage.js';
import type { StepDeltaRun } from './apply-step-batch.js';
import { stepTrackingNames } from './change-log-names.js';
import type { TrackingTarget } from './tracked-documents.js';
import { installTracking, keyColumn, type TrackingInstall } from './tracking.js';

export interface StepTrackedTable extends TrackingTarget {
  /** The table without source_prefix, as the steps name it. */
  table: string;
  /** The steps reading it, in run order. */
  steps: Step[];
}

export function stepTrackedTables(
  steps: readonly Step[],
  deltaPrefix: string,
  sourcePrefix: string,
): StepTrackedTable[] {
  const byTable = new Map<string, { columns: Set<string>; steps: Step[] }>();
  for (const step of steps) {
    for (const source of step.delta?.sources ?? []) {
      const entry = byTable.get(source.table) ?? { columns: new Set<string>(), steps: [] };
      for (const column of source.columns) entry.columns.add(column);
      if (!entry.steps.includes(step)) entry.steps.push(step);
      byTable.set(source.table, entry);
    }
  }
  return [...byTable.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([table, entry]) => {
      const sourceTable = `${sourcePrefix}${table}`;
      return {
        table,
        plan: { document: `step source ${table}`, sourceTable },
        key: [...entry.columns].sort(),
        names: stepTrackingNames(deltaPrefix, sourceTable),
        steps: entry.steps,
      };
    });
}

/**
 * Installs tracking on every step source (idempotent, like the map's). A change log left by an
 * earlier version that logs other columns is refused: its pending changes could not be read.
 */
export async function installStepTracking(
  tracker: Database,
  tables: readonly StepTrackedTable[],
  policy: SourceDdlPolicy,
  notify?: (text: string) => void,
): Promise<Array<TrackingInstall & { table: StepTrackedTable }>> {
  const installs: Array<TrackingInstall & { table: StepTrackedTable }> = [];
  for (const table of tables) {
    await refuseOtherShape(tracker, table);
    installs.push({ ...(await installTracking(tracker, table, policy, notify)), table });
  }
  return installs;
}

async function refuseOtherShape(tracker: Database, table: StepTrackedTable): Promise<void> {
  const { changeLog } = table.names;
  if (!(await tableExists(tracker, tracker.schema, changeLog))) return;
  const logged = (await columnTypes(tracker, tracker.schema, changeLog))
    .map((c) => c.column_name)
    .filter((name) => /^key_\d+$/.test(name));
  const wanted = table.key.map((_, i) => keyColumn(i));
  if (logged.length === wanted.length && wanted.every((name) => logged.includes(name))) return;
  throw new MigrateError(
    `the change log ${changeLog} records ${logged.length} columns, but the steps reading ${table.table} now need ${table.key.join(', ')}`,
    {
      code: 'STEP_TRACKING_CHANGED',
      exitCode: ExitCode.failed,
      hint:
        'the profile changed since tracking was installed: drain it with the earlier version (`migrate delta --until-caught-up`), ' +
        'then `migrate cleanup` and `migrate data --reset` the steps reading it',
      context: { step: 'data', document: table.plan.document },
    },
  );
}

/**
 * What delta needs to keep the steps in step (apply-step-batch.ts): the steps that declare
 * their sources (all of them, or those `only` selects), their tracked tables, and a step
 * context to apply with; undefined when no step declares any.
 */
export async function stepDeltaRun(
  config: Config,
  files: MappingFiles & { deltaLog: DeltaLog },
  connections: Connections,
  plans: readonly DocumentPlan[],
  log: Logger,
  run: { stop: StopSignal; rejected: RejectedLog; only?: readonly string[] },
): Promise<StepDeltaRun | undefined> {
  const all: Step[] = [...(files.steps?.merges ?? []), ...(files.steps?.after ?? [])];
  const steps = selectSteps(
    all.filter((s) => s.delta),
    run.only,
  );
  const tables = stepTrackedTables(steps, files.deltaLog.prefix, config.options.sourcePrefix);
  if (tables.length === 0) return undefined;
  const context = await createStepContext(config, connections, plans, log, {
    stop: run.stop,
    rejected: run.rejected,
  });
  return { tables, steps, context };
}

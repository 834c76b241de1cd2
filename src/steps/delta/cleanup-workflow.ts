/**
 * The workflow of `migrate cleanup`, as library functions beside src/steps/delta/cleanup.ts
 * (which finds and removes what tracking installed on the source): the prefix that names the
 * tool's tables, and the destination's progress table: kept and named, or with
 * `dropProgress` dropped after the caller's confirmation, once the migration is signed off.
 * Dropping it forgets every run: `status` and `check` lose the copy's figures, and a later
 * `data` would take the copied rows for someone else's. The CLI (src/cli/commands/cleanup.ts)
 * takes the run lock, asks and renders.
 */
import type { Config } from '../../config/types.js';
import { Database } from '../../db/database.js';
import { ConfigError, MigrateError } from '../../errors.js';
import { DEFAULT_DELTA_PREFIX } from '../../mappings/deltalog.js';
import { DeferredIndexStore } from '../../progress/deferred-index-store.js';
import { dropProgressTable, progressTableRows } from '../../progress/progress-table.js';
import type { MappingFiles } from '../plan-stage.js';

/** The change-log prefix; an empty one could not tell the tool's tables from the store's. */
export function cleanupPrefix(files: MappingFiles): string {
  const prefix = files.deltaLog?.prefix ?? DEFAULT_DELTA_PREFIX;
  if (prefix.length === 0) {
    throw new ConfigError("the delta prefix is empty, so the tool cannot tell its tables from the store's", {
      code: 'DELTA_PREFIX_EMPTY',
      hint: 'set "prefix" in the delta log file',
    });
  }
  return prefix;
}

export type ProgressCleanup =
  /** No progress table (nothing to say unless --drop-progress was asked). */
  | { outcome: 'absent' }
  /** Kept: without --drop-progress, or the operator said no. */
  | { outcome: 'kept' | 'cancelled' | 'would-drop' | 'dropped'; rows: number };

export interface ProgressCleanupOptions {
  dryRun?: boolean;
  dropProgress?: boolean;
  /** Asked before the table is dropped; false keeps it. */
  confirm(question: string): Promise<boolean>;
}

/** The destination's progress table: kept, or dropped with `dropProgress` after `confirm`. */
export async function cleanupProgressTable(
  config: Config,
  options: ProgressCleanupOptions,
): Promise<ProgressCleanup & { table: string; where: string }> {
  const table = config.options.progressTable;
  const destination = await Database.open(config.destination, { side: 'destination', poolSize: 1 });
  const where = destination.describe();
  try {
    const rows = await progressTableRows(destination, table);
    if (rows === null) return { outcome: 'absent', table, where };
    if (!options.dropProgress) return { outcome: 'kept', rows, table, where };
    await refusePendingIndexes(destination, table);
    if (options.dryRun) return { outcome: 'would-drop', rows, table, where };
    const ok = await options.confirm(
      `--drop-progress drops ${table} (${rows} rows) in ${where}: status and check forget every data run, and a later data run would refuse the copied tables as not its own.`,
    );
    if (!ok) return { outcome: 'cancelled', rows, table, where };
    await dropProgressTable(destination, table);
    return { outcome: 'dropped', rows, table, where };
  } finally {
    await destination.close();
  }
}

/** The record of indexes the copy dropped is the only one: it goes only once they are built. */
async function refusePendingIndexes(destination: Database, progressTable: string): Promise<void> {
  const pending = await new DeferredIndexStore(destination, progressTable).missing();
  if (pending.length === 0) return;
  const tables = [...new Set(pending.map((i) => i.table))].join(', ');
  throw new MigrateError(
    `--drop-progress would forget ${pending.length} destination index(es) the copy dropped for speed and has not built again (${tables})`,
    {
      code: 'DEFERRED_INDEXES_PENDING',
      hint: 'run `migrate data config.xml` until it finishes: it builds them; then drop the progress table',
      context: { step: 'delta' },
    },
  );
}

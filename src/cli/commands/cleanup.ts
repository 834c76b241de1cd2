/** `migrate cleanup <config>`: removes every trigger and change-log table delta tracking installed on the source. */
import type { Argv } from 'yargs';
import { ConfigError } from '../../errors.js';
import { DEFAULT_DELTA_PREFIX } from '../../mappings/deltalog.js';
import { findInstalled, removeInstalled } from '../../steps/delta/cleanup.js';
import { definerNote } from '../../steps/delta/tracking-notes.js';
import { trackingDdlPolicy } from '../../steps/delta/tracking-policy.js';
import { loadMappingFiles, openTracker } from '../../steps/plan-stage.js';
import { cleanupProgress } from '../cleanup-progress.js';
import { commandContext, type GlobalArgs } from '../context.js';
import { failWith, takeRunLock } from '../writing-run.js';

export interface CleanupArgs extends GlobalArgs {
  config: string;
  dryRun?: boolean;
  dropProgress?: boolean;
  yes?: boolean;
}

export const command = 'cleanup <config>';
export const describe =
  'remove the change-log tables and triggers the tool installed on the source (idempotent)';

export function builder(yargs: Argv): Argv<CleanupArgs> {
  return yargs
    .positional('config', { type: 'string', describe: 'path to config.xml', demandOption: true })
    .option('dry-run', {
      type: 'boolean',
      describe: 'list what would be removed; remove nothing',
    })
    .option('drop-progress', {
      type: 'boolean',
      describe:
        'also drop the progress table from the destination (once the migration is signed off; asks first)',
    })
    .option('yes', {
      alias: 'y',
      type: 'boolean',
      describe: 'do not ask before --drop-progress drops the table',
    })
    .example(
      '$0 cleanup config.xml --dry-run',
      'list the triggers and change-log tables that would be removed',
    )
    .example(
      '$0 cleanup config.xml --drop-progress',
      'after sign-off: also drop the progress table',
    ) as Argv<CleanupArgs>;
}

export async function handler(args: CleanupArgs): Promise<number> {
  const { log, config } = await commandContext(args);
  const files = await loadMappingFiles(config);
  const prefix = files.deltaLog?.prefix ?? DEFAULT_DELTA_PREFIX;
  if (prefix.length === 0) {
    throw new ConfigError("the delta prefix is empty, so the tool cannot tell its tables from the store's", {
      code: 'DELTA_PREFIX_EMPTY',
      hint: 'set "prefix" in the delta log file',
    });
  }
  // Removing the triggers while delta runs would lose every change made from then on.
  const lock = args.dryRun ? undefined : await takeRunLock(config, log, { requested: false });
  const tracker = await openTracker(config).catch(failWith(() => lock?.release()));
  try {
    const installed = await findInstalled(tracker, prefix);
    const count = installed.triggers.length + installed.tables.length;
    for (const kept of installed.keptTables) {
      log.warn(
        `keeping change-log table ${kept.table}: trigger ${kept.usedBy}, which is not store-migrate's, writes into it`,
      );
    }
    if (count === 0) {
      log.result(
        `cleanup: nothing of store-migrate's (prefix ${prefix}) is installed on ${tracker.describe()}`,
      );
      return await cleanupProgress(args, config, log);
    }
    const verb = args.dryRun ? 'would remove' : 'removed';
    if (args.dryRun && installed.definers.length > 0) log.result(definerNote(installed.definers));
    if (!args.dryRun) await removeInstalled(tracker, installed, trackingDdlPolicy(config.options, log));
    for (const trigger of installed.triggers)
      log.result(`${verb} trigger ${trigger.name} on ${trigger.table}`);
    for (const table of installed.tables) log.result(`${verb} change-log table ${table}`);
    log.result(
      `cleanup: ${verb} ${installed.triggers.length} triggers and ${installed.tables.length} tables`,
    );
    return await cleanupProgress(args, config, log);
  } finally {
    await tracker.close();
    await lock?.release();
  }
}

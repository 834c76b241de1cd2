/**
 * `migrate cleanup <config>`: removes every trigger and change-log table delta tracking installed
 * on the source, and names or drops the progress table. Parses, takes the run lock, asks and
 * renders; the workflow is src/steps/delta/cleanup-workflow.ts.
 */
import type { Argv } from 'yargs';
import { ExitCode } from '../../errors.js';
import type { Logger } from '../../log.js';
import { findInstalled, removeInstalled } from '../../steps/delta/cleanup.js';
import { cleanupPrefix, cleanupProgressTable } from '../../steps/delta/cleanup-workflow.js';
import { definerNote } from '../../steps/delta/tracking-notes.js';
import { trackingDdlPolicy } from '../../steps/delta/tracking-policy.js';
import { loadMappingFiles, openTracker } from '../../steps/plan-stage.js';
import { shellWord } from '../../util/shell-word.js';
import { confirm } from '../confirm.js';
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
  const prefix = cleanupPrefix(files);
  // Removing the triggers while delta runs would lose every change made from then on.
  const lock = args.dryRun ? undefined : await takeRunLock(config, log, { requested: false });
  const tracker = await openTracker(config).catch(failWith(() => lock?.release()));
  try {
    const installed = await findInstalled(tracker, prefix);
    for (const kept of installed.keptTables) {
      log.warn(
        `keeping change-log table ${kept.table}: trigger ${kept.usedBy}, which is not store-migrate's, writes into it`,
      );
    }
    if (installed.triggers.length + installed.tables.length === 0) {
      log.result(
        `cleanup: nothing of store-migrate's (prefix ${prefix}) is installed on ${tracker.describe()}`,
      );
    } else {
      const verb = args.dryRun ? 'would remove' : 'removed';
      if (args.dryRun && installed.definers.length > 0) log.result(definerNote(installed.definers));
      if (!args.dryRun) await removeInstalled(tracker, installed, trackingDdlPolicy(config.options, log));
      for (const trigger of installed.triggers)
        log.result(`${verb} trigger ${trigger.name} on ${trigger.table}`);
      for (const table of installed.tables) log.result(`${verb} change-log table ${table}`);
      log.result(
        `cleanup: ${verb} ${installed.triggers.length} triggers and ${installed.tables.length} tables`,
      );
    }
    const progress = await cleanupProgressTable(config, {
      dryRun: args.dryRun,
      dropProgress: args.dropProgress,
      confirm: (question) => confirm(question, args.yes),
    });
    return renderProgressCleanup(log, progress, args);
  } finally {
    await tracker.close();
    await lock?.release();
  }
}

/** What happened to the progress table, and the exit status (a refused drop is a usage exit). */
function renderProgressCleanup(
  log: Logger,
  progress: Awaited<ReturnType<typeof cleanupProgressTable>>,
  args: CleanupArgs,
): number {
  const { table, where } = progress;
  switch (progress.outcome) {
    case 'absent':
      if (args.dropProgress) log.result(`cleanup: no progress table ${table} in ${where}`);
      return ExitCode.ok;
    case 'kept':
      log.result(
        `cleanup: the progress table ${table} (${progress.rows} rows) stays in ${where}: status, check and a resumed data run read it. ` +
          `Once the migration is signed off, \`migrate cleanup ${shellWord(args.config)} --drop-progress\` removes it.`,
      );
      return ExitCode.ok;
    case 'would-drop':
      log.result(`cleanup: would drop the progress table ${table} (${progress.rows} rows) in ${where}`);
      return ExitCode.ok;
    case 'cancelled':
      log.info('cleanup: the progress table was kept');
      return ExitCode.usage;
    case 'dropped':
      log.result(`cleanup: dropped the progress table ${table} (${progress.rows} rows)`);
      return ExitCode.ok;
  }
}

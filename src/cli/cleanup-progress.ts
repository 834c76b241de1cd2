/**
 * The part of `migrate cleanup` about the destination's progress table: cleanup says it is
 * still there (and what it is for), and with --drop-progress removes it, after asking, once the
 * migration is signed off. Dropping it forgets every run: `status` and `check` lose the copy's
 * figures, and a later `data` would take the copied rows for someone else's.
 */
import type { Config } from '../config/types.js';
import { Database } from '../db/database.js';
import { ExitCode } from '../errors.js';
import type { Logger } from '../log.js';
import { dropProgressTable, progressTableRows } from '../progress/progress-table.js';
import { shellWord } from '../util/shell-word.js';
import { confirm } from './confirm.js';

export interface ProgressCleanupArgs {
  config: string;
  dryRun?: boolean;
  dropProgress?: boolean;
  yes?: boolean;
}

export async function cleanupProgress(
  args: ProgressCleanupArgs,
  config: Config,
  log: Logger,
): Promise<number> {
  const table = config.options.progressTable;
  const destination = await Database.open(config.destination, { side: 'destination', poolSize: 1 });
  try {
    const rows = await progressTableRows(destination, table);
    const where = `${destination.describe()}`;
    if (rows === null) {
      if (args.dropProgress) log.result(`cleanup: no progress table ${table} in ${where}`);
      return ExitCode.ok;
    }
    if (!args.dropProgress) {
      log.result(
        `cleanup: the progress table ${table} (${rows} rows) stays in ${where}: status, check and a resumed data run read it. ` +
          `Once the migration is signed off, \`migrate cleanup ${shellWord(args.config)} --drop-progress\` removes it.`,
      );
      return ExitCode.ok;
    }
    if (args.dryRun) {
      log.result(`cleanup: would drop the progress table ${table} (${rows} rows) in ${where}`);
      return ExitCode.ok;
    }
    const ok = await confirm(
      `--drop-progress drops ${table} (${rows} rows) in ${where}: status and check forget every data run, and a later data run would refuse the copied tables as not its own.`,
      args.yes,
    );
    if (!ok) {
      log.info('cleanup: the progress table was kept');
      return ExitCode.usage;
    }
    await dropProgressTable(destination, table);
    log.result(`cleanup: dropped the progress table ${table} (${rows} rows)`);
    return ExitCode.ok;
  } finally {
    await destination.close();
  }
}

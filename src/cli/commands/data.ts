/** `migrate data <config>`: integrity check, then (without --dry-run) the bulk copy and the volume check. */
import type { Argv } from 'yargs';
import { ExitCode } from '../../errors.js';
import { countBySeverity, relaxErrors } from '../../mappings/problems.js';
import { formatPlan, formatProblems } from '../../report/plan-text.js';
import { closeConnections, loadMappingFiles, openConnections, resolveAgainstDatabases } from '../../steps/plan-stage.js';
import { commandContext, type GlobalArgs } from '../context.js';

export interface DataArgs extends GlobalArgs {
  config: string;
  dryRun?: boolean;
  auto?: boolean;
}

export const command = 'data <config>';
export const describe = 'check the mapping, then copy every mapped document (resumable) and verify row counts';

export function builder(yargs: Argv): Argv<DataArgs> {
  return yargs
    .positional('config', { type: 'string', describe: 'path to config.xml', demandOption: true })
    .option('dry-run', { type: 'boolean', describe: 'print the plan and the integrity check; write nothing' })
    .option('auto', {
      type: 'boolean',
      describe: 'report integrity errors as warnings and go on (like the Magento tool\'s -a)',
    }) as Argv<DataArgs>;
}

export async function handler(args: DataArgs): Promise<number> {
  const { log, config } = await commandContext(args);
  const files = await loadMappingFiles(config);
  const connections = await openConnections(config);
  try {
    const resolution = await resolveAgainstDatabases(config, files, connections);
    const problems = args.auto ? relaxErrors(resolution.problems) : resolution.problems;
    log.result(formatPlan(resolution, config.options.directDocumentCopy));
    log.result(formatProblems(problems));
    if (countBySeverity(problems).error > 0) {
      log.error('the integrity check failed: add the rules listed above, or run with --auto to copy anyway');
      return ExitCode.integrity;
    }
    if (args.dryRun) {
      log.info('dry run: nothing was written');
      return ExitCode.ok;
    }
    log.error('the bulk copy is not available in this build; run with --dry-run');
    return ExitCode.usage;
  } finally {
    await closeConnections(connections);
  }
}

/**
 * `migrate status <config>`: where a data run stands (from the progress store) and how many
 * changes wait in each delta change log. Only reads; safe beside a running copy or delta.
 * Renders what src/steps/check/status-workflow.ts reads.
 */
import type { Argv } from 'yargs';
import { ExitCode } from '../../errors.js';
import { formatStatus } from '../../report/status-text.js';
import { runStatusWorkflow } from '../../steps/check/status-workflow.js';
import { definerNote } from '../../steps/delta/tracking-notes.js';
import { closeConnections, loadMappingFiles, openConnections } from '../../steps/plan-stage.js';
import { commandContext, type GlobalArgs } from '../context.js';

export interface StatusArgs extends GlobalArgs {
  config: string;
}

export const command = 'status <config>';
export const describe = 'where the data run stands per document, and the delta backlog';

export function builder(yargs: Argv): Argv<StatusArgs> {
  return yargs
    .positional('config', { type: 'string', describe: 'path to config.xml', demandOption: true })
    .example(
      '$0 status config.xml',
      'documents copied, copying, pending and failed; changes waiting',
    ) as Argv<StatusArgs>;
}

export async function handler(args: StatusArgs): Promise<number> {
  const { log, config } = await commandContext(args);
  const files = await loadMappingFiles(config);
  const connections = await openConnections(config);
  try {
    const found = await runStatusWorkflow(config, files, connections);
    log.result(formatStatus(found.status));
    if (found.definers.length > 0) log.result(definerNote(found.definers));
    log.result(found.runInProgress ?? 'no run in progress');
    if (found.conflicts.length > 0) {
      log.result(
        `delta conflicts (rows in the new store delta had not written):\n  ${found.conflicts.join('\n  ')}`,
      );
    }
    return ExitCode.ok;
  } finally {
    await closeConnections(connections);
  }
}

/**
 * `migrate status <config>`: where a data run stands (from the progress store) and how many
 * changes wait in each delta change log. Only reads; safe beside a running copy or delta.
 */
import type { Argv } from 'yargs';
import { runInProgress } from '../../engine/run-lock.js';
import { ExitCode } from '../../errors.js';
import { conflictLines } from '../../report/conflicts-text.js';
import { formatStatus } from '../../report/status-text.js';
import { runStatus } from '../../steps/check/run-status.js';
import { findInstalled } from '../../steps/delta/cleanup.js';
import { ConflictLog } from '../../steps/delta/conflict-log.js';
import { definerNote } from '../../steps/delta/tracking-notes.js';
import {
  closeConnections,
  loadMappingFiles,
  openConnections,
  resolveAgainstDatabases,
} from '../../steps/plan-stage.js';
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
    const resolution = await resolveAgainstDatabases(config, files, connections);
    const status = await runStatus(config, connections, resolution.plans, files.deltaLog);
    log.result(formatStatus(status));
    if (files.deltaLog) {
      const { definers } = await findInstalled(connections.source, files.deltaLog.prefix);
      if (definers.length > 0) log.result(definerNote(definers));
    }
    log.result((await runInProgress(connections.destination, config)) ?? 'no run in progress');
    const conflicts = new ConflictLog(config.options.rejectedDir);
    const recorded = conflictLines(
      new Map(resolution.plans.map((p) => [p.document, conflicts.read(p.document)])),
      (document) => conflicts.pathOf(document),
    );
    if (recorded.length > 0) {
      log.result(
        `delta conflicts (rows in the new store delta had not written):\n  ${recorded.join('\n  ')}`,
      );
    }
    return ExitCode.ok;
  } finally {
    await closeConnections(connections);
  }
}

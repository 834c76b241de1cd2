/** `migrate preflight <config>`: can both databases be reached, and does each user have the privileges the run needs? */
import type { Argv } from 'yargs';
import { ExitCode, errorText } from '../../errors.js';
import { trackedDocuments } from '../../steps/delta/tracked-documents.js';
import { trackedTablesWithOwnTriggers } from '../../steps/delta/tracking-notes.js';
import {
  closeConnections,
  loadMappingFiles,
  openConnections,
  resolveAgainstDatabases,
} from '../../steps/plan-stage.js';
import { formatPreflight, preflight, preflightError } from '../../steps/preflight.js';
import { commandContext, type GlobalArgs } from '../context.js';

export interface PreflightArgs extends GlobalArgs {
  config: string;
}

export const command = 'preflight <config>';
export const describe =
  'connect to both databases, show their versions and check privileges (writes nothing)';

export function builder(yargs: Argv): Argv<PreflightArgs> {
  return yargs
    .positional('config', { type: 'string', describe: 'path to config.xml', demandOption: true })
    .example(
      '$0 preflight config.xml',
      'both servers, the privileges each user lacks with the GRANT that fixes it',
    )
    .example(
      '$0 preflight config.xml -q',
      'only the result, for a script (exit 2 when a privilege is missing)',
    ) as Argv<PreflightArgs>;
}

export async function handler(args: PreflightArgs): Promise<number> {
  const { log, config } = await commandContext(args);
  const files = await loadMappingFiles(config);
  const connections = await openConnections(config);
  try {
    const report = await preflight(connections.source, connections.destination, {
      deltaTracking: files.deltaLog !== undefined,
      directCopy: config.options.directDocumentCopy,
    });
    log.result(formatPreflight(report));
    if (files.deltaLog) {
      // The store's own triggers on tracked tables: what a procedure running at install may see.
      const resolution = await resolveAgainstDatabases(config, files, connections);
      try {
        const tracked = trackedDocuments(files.deltaLog, resolution.plans);
        for (const note of await trackedTablesWithOwnTriggers(connections.source, tracked))
          log.result(`warning: ${note}`);
      } catch (error) {
        log.warn(`the tracked tables could not be listed: ${errorText(error)}`);
      }
    }
    const error = preflightError(report);
    if (error) throw error;
    return ExitCode.ok;
  } finally {
    await closeConnections(connections);
  }
}

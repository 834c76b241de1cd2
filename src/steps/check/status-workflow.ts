/**
 * The workflow of `migrate status`, as a library function: where the data run stands per
 * document (progress store), the changes waiting in each change log, who defined the tracking
 * triggers, which run holds the pair's lock, and the delta conflicts recorded. Only reads, so it
 * is safe beside a running copy or delta. The CLI (src/cli/commands/status.ts) renders it.
 */
import type { Config } from '../../config/types.js';
import { runInProgress } from '../../engine/run-lock.js';
import { conflictLines } from '../../report/conflicts-text.js';
import { findInstalled } from '../delta/cleanup.js';
import { ConflictLog } from '../delta/conflict-log.js';
import { type Connections, type MappingFiles, resolveAgainstDatabases } from '../plan-stage.js';
import { type RunStatus, runStatus } from './run-status.js';

export interface StatusWorkflowResult {
  status: RunStatus;
  /** Accounts that defined the tracking triggers (for the note on DEFINER); empty without tracking. */
  definers: string[];
  /** The run holding the pair's lock, in words; null when none runs. */
  runInProgress: string | null;
  /** Delta conflicts recorded, one line per document (rows in the new store delta had not written). */
  conflicts: string[];
}

/** Reads where the migration stands. The caller closes the connections. */
export async function runStatusWorkflow(
  config: Config,
  files: MappingFiles,
  connections: Connections,
): Promise<StatusWorkflowResult> {
  const resolution = await resolveAgainstDatabases(config, files, connections);
  const status = await runStatus(config, connections, resolution.plans, files.deltaLog);
  const definers = files.deltaLog
    ? (await findInstalled(connections.source, files.deltaLog.prefix)).definers
    : [];
  const running = (await runInProgress(connections.destination, config)) ?? null;
  const conflicts = new ConflictLog(config.options.rejectedDir);
  return {
    status,
    definers,
    runInProgress: running,
    conflicts: conflictLines(
      new Map(resolution.plans.map((p) => [p.document, conflicts.read(p.document)])),
      (document) => conflicts.pathOf(document),
    ),
  };
}

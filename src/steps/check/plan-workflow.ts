/**
 * The workflow of `migrate plan`, as a library function: resolve the map, time a sample copy
 * of each selected document into a scratch schema (dropped afterwards) and extrapolate, and
 * list the tracked tables that have triggers of the shop's own. The source is only read and no
 * destination table is touched. The CLI (src/cli/commands/plan.ts) renders the estimate.
 */
import type { Config } from '../../config/types.js';
import type { Logger } from '../../log.js';
import { formatHidden } from '../../report/plan-text.js';
import { trackedDocuments } from '../delta/tracked-documents.js';
import { trackedTablesWithOwnTriggers } from '../delta/tracking-notes.js';
import { warnIntegrityErrors } from '../integrity-warning.js';
import { type Connections, type MappingFiles, resolveAgainstDatabases } from '../plan-stage.js';
import { estimatePlan, type PlanEstimate } from './estimate-plan.js';
import { selectDocuments } from './select-documents.js';

export interface PlanWorkflowOptions {
  /** The config path as the operator typed it, for the commands messages name. */
  configArg: string;
  /** Time a sample copy (false: sizes and methods only). */
  sample: boolean;
  sampleChunks?: number;
  only?: string[];
  skip?: string[];
}

export interface PlanWorkflowResult {
  estimate: PlanEstimate;
  /** Tracked tables with triggers of their own (what a procedure running at install may see). */
  ownTriggerNotes: string[];
}

/** Runs `migrate plan` on open connections; the caller closes them. */
export async function runPlanWorkflow(
  context: { config: Config; files: MappingFiles; connections: Connections; log: Logger },
  options: PlanWorkflowOptions,
): Promise<PlanWorkflowResult> {
  const { config, files, connections, log } = context;
  const resolution = await resolveAgainstDatabases(config, files, connections);
  warnIntegrityErrors(
    log,
    resolution.problems,
    options.configArg,
    'the estimate covers the documents that resolve',
  );
  const hidden = formatHidden(resolution);
  if (hidden) log.info(hidden);
  const plans = selectDocuments(resolution.plans, options.only, options.skip);
  if (options.sample) log.info(`timing a sample copy of ${plans.length} documents...`);
  const estimate = await estimatePlan(config, connections, plans, {
    sample: options.sample,
    sampleChunks: options.sampleChunks,
    onSampled: (document) => log.verbose(`${document}: sampled`),
  });
  const ownTriggerNotes = files.deltaLog
    ? await trackedTablesWithOwnTriggers(
        connections.source,
        trackedDocuments(files.deltaLog, resolution.plans),
      )
    : [];
  return { estimate, ownTriggerNotes };
}

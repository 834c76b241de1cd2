/**
 * `migrate plan <config>`: how big the copy is and how long it will take, before it starts.
 * Times a sample copy of each document into a scratch schema (dropped afterwards) and
 * extrapolates; the source is only read and no destination table is touched. Parses and
 * renders; the workflow is src/steps/check/plan-workflow.ts.
 */
import type { Argv } from 'yargs';
import { ExitCode } from '../../errors.js';
import { formatEstimate } from '../../report/estimate-text.js';
import { DEFAULT_SAMPLE_CHUNKS } from '../../steps/check/estimate-plan.js';
import { runPlanWorkflow } from '../../steps/check/plan-workflow.js';
import { closeConnections, loadMappingFiles, openConnections } from '../../steps/plan-stage.js';
import { commandContext, type GlobalArgs } from '../context.js';
import { usageError } from './check.js';

export interface PlanArgs extends GlobalArgs {
  config: string;
  sample?: boolean;
  sampleChunks?: number;
  only?: string[];
  skip?: string[];
}

export const command = 'plan <config>';
export const describe = 'estimate rows, bytes, copy method and copy time per document from a timed sample';

export function builder(yargs: Argv): Argv<PlanArgs> {
  return yargs
    .positional('config', { type: 'string', describe: 'path to config.xml', demandOption: true })
    .option('sample', {
      type: 'boolean',
      default: true,
      describe: 'time a sample copy into a scratch schema (--no-sample: sizes and methods only)',
    })
    .option('sample-chunks', {
      type: 'number',
      default: DEFAULT_SAMPLE_CHUNKS,
      describe:
        'chunks per document in the sample (bulk_size rows each; with bulk_size 0, 2000, 4000, 8000, ...)',
    })
    .option('only', {
      type: 'string',
      array: true,
      describe: 'plan only documents matching these globs (source or destination names)',
    })
    .option('skip', { type: 'string', array: true, describe: 'leave out documents matching these globs' })
    .check((argv) => {
      const chunks = Number(argv.sampleChunks);
      if (!Number.isInteger(chunks) || chunks < 1)
        throw usageError('--sample-chunks takes a whole number >= 1');
      return true;
    })
    .example('$0 plan config.xml', 'sizes, methods and the estimated copy time')
    .example('$0 plan config.xml --no-sample', 'sizes and methods only; creates nothing') as Argv<PlanArgs>;
}

export async function handler(args: PlanArgs): Promise<number> {
  const { log, config } = await commandContext(args);
  const files = await loadMappingFiles(config);
  // The sample copies as `migrate data` does, sessions included, so its timing carries over.
  const connections = await openConnections(config);
  try {
    const { estimate, ownTriggerNotes } = await runPlanWorkflow(
      { config, files, connections, log },
      {
        configArg: args.config,
        sample: args.sample !== false,
        sampleChunks: args.sampleChunks,
        only: args.only,
        skip: args.skip,
      },
    );
    log.result(formatEstimate(estimate));
    for (const note of ownTriggerNotes) log.warn(note);
    return ExitCode.ok;
  } finally {
    await closeConnections(connections);
  }
}

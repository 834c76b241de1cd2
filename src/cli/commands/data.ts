/** `migrate data <config>`: parses the arguments and wires the terminal; the workflow is src/steps/data/data-workflow.ts. */
import type { Argv } from 'yargs';
import { runDataWorkflow } from '../../steps/data/data-workflow.js';
import { closeConnections, loadMappingFiles, openConnections } from '../../steps/plan-stage.js';
import { confirm } from '../confirm.js';
import { commandContext, type GlobalArgs } from '../context.js';
import { noteHandlerModules } from '../handler-modules-notice.js';
import { createProgressDisplay } from '../progress-display.js';
import { handleStopSignals, stoppedBeforeWork } from '../stop-signal.js';
import { failWith, startThrottle, takeRunLock } from '../writing-run.js';

export interface DataArgs extends GlobalArgs {
  config: string;
  dryRun?: boolean;
  auto?: boolean;
  only?: string[];
  skip?: string[];
  reset?: boolean;
  yes?: boolean;
  retryRejected?: boolean;
  skipPreflight?: boolean;
}

export const command = 'data <config>';
export const describe = 'check the mapping, copy every mapped document (resumable), then compare row counts';

export function builder(yargs: Argv): Argv<DataArgs> {
  return yargs
    .positional('config', { type: 'string', describe: 'path to config.xml', demandOption: true })
    .option('dry-run', { type: 'boolean', describe: 'print the plan and the integrity check; write nothing' })
    .option('auto', {
      type: 'boolean',
      describe: "report integrity errors as warnings and copy anyway (the Magento tool's -a)",
    })
    .option('only', {
      type: 'string',
      array: true,
      describe: 'copy only documents matching these globs (source or destination names)',
    })
    .option('skip', { type: 'string', array: true, describe: 'leave out documents matching these globs' })
    .option('reset', {
      type: 'boolean',
      describe: 'forget progress and empty the destination documents first',
    })
    .option('yes', { alias: 'y', type: 'boolean', describe: 'do not ask before --reset empties tables' })
    .option('retry-rejected', {
      type: 'boolean',
      describe: 'write the rows in rejected/*.jsonl again (after fixing their cause) instead of copying',
    })
    .option('skip-preflight', { type: 'boolean', describe: 'do not check privileges before starting' })
    .example('$0 data config.xml --dry-run', 'show the plan and what the mapping is missing')
    .example('$0 data config.xml --only "sales_*"', 'copy the sales documents only') as Argv<DataArgs>;
}

export async function handler(args: DataArgs): Promise<number> {
  const { log, config } = await commandContext(args);
  const files = await loadMappingFiles(config);
  const { stop, dispose } = handleStopSignals(log, {
    first: 'stopping after the chunks in hand are committed',
    second: 'stopped at once; chunks in flight are rolled back. Run the same command again to resume.',
  });
  // A dry run writes nothing, so it may run beside another run; everything else is one run at a time.
  const lock = args.dryRun ? undefined : await takeRunLock(config, log, stop).catch(failWith(dispose));
  const connections = await openConnections(config).catch(failWith(dispose, () => lock?.release()));
  try {
    if (stop.requested) return stoppedBeforeWork(log);
    return await runDataWorkflow(
      {
        config,
        files,
        connections,
        log,
        stop,
        lock,
        ui: {
          confirm: (question) => confirm(question, args.yes),
          dryRunNotice: () => noteHandlerModules(log),
          startThrottle: (held) => startThrottle(config, log, held),
          progress: (throttleNote) =>
            createProgressDisplay(log, Boolean(process.stderr.isTTY), { throttleNote }),
        },
      },
      {
        configArg: args.config,
        dryRun: args.dryRun,
        auto: args.auto,
        only: args.only,
        skip: args.skip,
        reset: args.reset,
        retryRejected: args.retryRejected,
        skipPreflight: args.skipPreflight,
      },
    );
  } finally {
    dispose();
    await closeConnections(connections);
    await lock?.release();
  }
}

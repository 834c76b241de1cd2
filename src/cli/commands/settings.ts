/**
 * `migrate settings <config>`: websites, store groups, store views and the configuration table,
 * merged into the destination (never emptied): check, plan, apply in one transaction, verify.
 * Parses, takes the run lock, wires Ctrl+C and renders; the workflow is
 * src/steps/settings/settings-workflow.ts.
 */
import type { Argv } from 'yargs';
import { closeConnections, loadMappingFiles, openConnections } from '../../steps/plan-stage.js';
import {
  actionLabel,
  formatSettingsPlan,
  formatSettingsProblems,
  formatStores,
  formatUncovered,
} from '../../steps/settings/format.js';
import { hasErrors } from '../../steps/settings/integrity.js';
import { runSettingsWorkflow, settingsRules } from '../../steps/settings/settings-workflow.js';
import { formatStoreVolume } from '../../steps/settings/store-volume.js';
import { commandContext, type GlobalArgs } from '../context.js';
import { noteHandlerModules } from '../handler-modules-notice.js';
import { handleStopSignals } from '../stop-signal.js';
import { failWith, takeRunLock } from '../writing-run.js';

export interface SettingsArgs extends GlobalArgs {
  config: string;
  dryRun?: boolean;
}

export const command = 'settings <config>';
export const describe =
  'merge websites, stores and configuration into the destination (keeps what only the destination has)';

export function builder(yargs: Argv): Argv<SettingsArgs> {
  return yargs
    .positional('config', { type: 'string', describe: 'path to config.xml', demandOption: true })
    .option('dry-run', {
      type: 'boolean',
      describe: 'print what would be inserted, updated, kept and ignored (with paths); write nothing',
    })
    .example('$0 settings config.xml --dry-run', 'show what the merge would do, path by path')
    .example('$0 settings config.xml -v', 'merge, listing every path per action') as Argv<SettingsArgs>;
}

export async function handler(args: SettingsArgs): Promise<number> {
  const { log, config } = await commandContext(args);
  const files = await loadMappingFiles(config);
  const rules = await settingsRules(config, files);
  const all = log.verbosity === 'verbose' || log.verbosity === 'debug';
  // The merge is one transaction: Ctrl+C before it starts writes nothing; during it, it commits or rolls back whole.
  const signals = handleStopSignals(log, {
    first: 'stopping before the settings are written (a transaction in hand commits whole)',
    second: 'stopped at once: the settings transaction is rolled back, nothing was written',
  });
  const lock = args.dryRun
    ? undefined
    : await takeRunLock(config, log, signals.stop).catch(failWith(signals.dispose));
  const connections = await openConnections(config).catch(failWith(signals.dispose, () => lock?.release()));
  try {
    const result = await runSettingsWorkflow(
      {
        config,
        files,
        rules,
        connections,
        stop: signals.stop,
        lock,
        ui: {
          checked: ({ problems, preview }) => {
            log.result(formatSettingsProblems(problems));
            if (preview && !hasErrors(problems)) log.info(formatUncovered(preview.plan, all));
          },
          applied: (done, warnings, destinationTable) => {
            log.result(formatStores(done.stores, false, all));
            log.result(formatSettingsPlan(done.plan, destinationTable, false, all, all));
            for (const warning of warnings) log.warn(warning);
          },
        },
      },
      { dryRun: args.dryRun },
    );
    switch (result.outcome) {
      case 'integrity-failed':
        log.error('the settings integrity check failed: fix the problems listed above; nothing was written');
        break;
      case 'dry-run':
        log.result(formatStores(result.preview.stores, true, all));
        log.result(formatSettingsPlan(result.preview.plan, result.destinationTable, true, all, true));
        for (const warning of result.warnings) log.warn(warning);
        noteHandlerModules(log);
        log.info('dry run: nothing was written');
        break;
      case 'stopped':
        log.error('stopped before writing: nothing was written');
        break;
      default:
        log.result(formatStoreVolume(result.stores));
        if (result.leftover.length > 0) {
          log.result(
            `settings check: ${result.leftover.length} values differ from the source after the run:\n` +
              result.leftover.map((a) => `  ${a.kind} ${actionLabel(a)}`).join('\n'),
          );
        } else log.result('settings check: the destination holds every value the plan wrote');
        if (result.outcome === 'differs') {
          log.error(
            'the destination does not hold what the run wrote (see above): another writer may be changing it. ' +
              `Run \`migrate settings ${args.config} --dry-run\` to see what differs.`,
          );
        } else log.info('settings: merged and verified');
    }
    return result.exitCode;
  } finally {
    signals.dispose();
    await closeConnections(connections);
    await lock?.release();
  }
}

/**
 * `migrate settings <config>`: websites, store groups, store views and the configuration table,
 * merged into the destination (never emptied): check, plan, apply in one transaction, verify.
 */
import type { Argv } from 'yargs';
import { ConfigError, ExitCode } from '../../errors.js';
import { closeConnections, loadMappingFiles, openConnections } from '../../steps/plan-stage.js';
import {
  actionLabel,
  formatSettingsPlan,
  formatSettingsProblems,
  formatStores,
  formatUncovered,
  settingsWarnings,
} from '../../steps/settings/format.js';
import { hasErrors, previewProblems } from '../../steps/settings/integrity.js';
import { compileSettingsRules } from '../../steps/settings/rules.js';
import {
  applySettings,
  checkSettings,
  previewSettings,
  verifySettings,
} from '../../steps/settings/run-settings.js';
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
  if (!files.settings) {
    throw new ConfigError(`${config.file} names no settings map`, {
      code: 'SETTINGS_MAP_MISSING',
      hint: 'add <settings_map_file>settings.json</settings_map_file> to <options> in config.xml (the demo profile has one in src/mappings/demo/)',
      context: { file: config.file },
    });
  }
  const rules = await compileSettingsRules(files.settings);
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
    const integrity = await checkSettings(config, files, rules, connections);
    const problems = [...integrity.problems];
    // The plan reads the settings table's columns: only once the check found them all.
    const preview = hasErrors(problems) ? undefined : await previewSettings(connections, rules, integrity);
    if (preview) problems.push(...previewProblems(preview, rules, integrity, config.options.mapFile));
    log.result(formatSettingsProblems(problems));
    if (!preview || hasErrors(problems)) {
      log.error('the settings integrity check failed: fix the problems listed above; nothing was written');
      return ExitCode.integrity;
    }
    log.info(formatUncovered(preview.plan, all));

    if (args.dryRun) {
      log.result(formatStores(preview.stores, true, all));
      log.result(formatSettingsPlan(preview.plan, integrity.destinationTable, true, all, true));
      for (const warning of settingsWarnings(preview.plan, rules.fileName)) log.warn(warning);
      noteHandlerModules(log);
      log.info('dry run: nothing was written');
      return ExitCode.ok;
    }

    if (signals.stop.requested) {
      lock?.throwIfLost();
      log.error('stopped before writing: nothing was written');
      return ExitCode.interrupted;
    }
    const done = await applySettings(connections, rules, integrity);
    log.result(formatStores(done.stores, false, all));
    log.result(formatSettingsPlan(done.plan, integrity.destinationTable, false, all, all));
    for (const warning of settingsWarnings(done.plan, rules.fileName)) log.warn(warning);

    const check = await verifySettings(connections, rules, integrity);
    log.result(formatStoreVolume(check.stores));
    if (check.leftover.length > 0) {
      log.result(
        `settings check: ${check.leftover.length} values differ from the source after the run:\n` +
          check.leftover.map((a) => `  ${a.kind} ${actionLabel(a)}`).join('\n'),
      );
    } else log.result('settings check: the destination holds every value the plan wrote');
    if (check.stores.some((s) => s.status === 'mismatch') || check.leftover.length > 0) {
      log.error(
        'the destination does not hold what the run wrote (see above): another writer may be changing it. ' +
          `Run \`migrate settings ${args.config} --dry-run\` to see what differs.`,
      );
      return ExitCode.volume;
    }
    log.info('settings: merged and verified');
    return ExitCode.ok;
  } finally {
    signals.dispose();
    await closeConnections(connections);
    await lock?.release();
  }
}

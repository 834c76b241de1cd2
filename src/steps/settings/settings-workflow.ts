/**
 * The workflow of `migrate settings`, as a library function: check both databases against the
 * settings map, plan the merge, then (unless a dry run) apply it in one transaction and verify
 * that the destination holds what was written. It reports each stage's data through callbacks
 * (so the operator sees the check before a long write) and returns the outcome with its exit
 * status. The CLI (src/cli/commands/settings.ts) parses, takes the run lock, wires Ctrl+C and
 * renders.
 */
import type { Config } from '../../config/types.js';
import type { RunLock } from '../../engine/run-lock.js';
import { ConfigError, ExitCode } from '../../errors.js';
import type { StopSignal } from '../data/copy-part.js';
import type { Connections, MappingFiles } from '../plan-stage.js';
import { settingsWarnings } from './format.js';
import { hasErrors, previewProblems, type SettingsIntegrity, type SettingsProblem } from './integrity.js';
import type { SettingsAction } from './plan.js';
import { compileSettingsRules, type SettingsRules } from './rules.js';
import {
  applySettings,
  checkSettings,
  previewSettings,
  type SettingsOutcome,
  verifySettings,
} from './run-settings.js';
import { settingsCrypto } from './settings-crypto.js';
import type { StoreVolumeRow } from './store-volume.js';

/** What the check found, and the plan when the check let it be made. */
export interface SettingsChecked {
  problems: SettingsProblem[];
  /** Absent when the check found errors before the plan could read the settings table. */
  preview: SettingsOutcome | undefined;
  integrity: SettingsIntegrity;
}

/** What the workflow shows the operator while it runs. */
export interface SettingsWorkflowUi {
  /** The check and plan are done (before anything is written). */
  checked(checked: SettingsChecked): void;
  /**
   * The merge committed; `warnings` are about paths the plan handled in a way to look at;
   * `destinationTable` is the settings table written.
   */
  applied(done: SettingsOutcome, warnings: string[], destinationTable: string): void;
}

export interface SettingsWorkflowContext {
  config: Config;
  files: MappingFiles;
  rules: SettingsRules;
  connections: Connections;
  stop: StopSignal;
  /** Absent in a dry run, which writes nothing. */
  lock: RunLock | undefined;
  ui: SettingsWorkflowUi;
}

export type SettingsWorkflowResult =
  /** The check found errors: nothing was written. */
  | { outcome: 'integrity-failed'; exitCode: ExitCode }
  /** A dry run: what the merge would do. */
  | {
      outcome: 'dry-run';
      exitCode: ExitCode;
      preview: SettingsOutcome;
      warnings: string[];
      destinationTable: string;
    }
  /** Ctrl+C before the transaction began: nothing was written. */
  | { outcome: 'stopped'; exitCode: ExitCode }
  /**
   * Merged; `stores` and `leftover` are the verification: store rows compared and values that
   * still differ from the source (then another writer may be changing the destination).
   */
  | {
      outcome: 'merged' | 'differs';
      exitCode: ExitCode;
      stores: StoreVolumeRow[];
      leftover: SettingsAction[];
    };

/** The settings map's rules; fails before anything connects when config.xml names no settings map. */
export async function settingsRules(config: Config, files: MappingFiles): Promise<SettingsRules> {
  if (!files.settings) {
    throw new ConfigError(`${config.file} names no settings map`, {
      code: 'SETTINGS_MAP_MISSING',
      hint: 'add <settings_map_file>settings.json</settings_map_file> to <options> in config.xml (the demo profile has one in src/mappings/demo/)',
      context: { file: config.file },
    });
  }
  return compileSettingsRules(files.settings, settingsCrypto(config, files.profile));
}

/** Runs `migrate settings` on open connections; the caller closes them and releases the lock. */
export async function runSettingsWorkflow(
  context: SettingsWorkflowContext,
  options: { dryRun?: boolean },
): Promise<SettingsWorkflowResult> {
  const { config, files, rules, connections, stop, lock, ui } = context;
  const integrity = await checkSettings(config, files, rules, connections);
  const problems = [...integrity.problems];
  // The plan reads the settings table's columns: only once the check found them all.
  const preview = hasErrors(problems) ? undefined : await previewSettings(connections, rules, integrity);
  if (preview) problems.push(...previewProblems(preview, rules, integrity, config.options.mapFile));
  ui.checked({ problems, preview, integrity });
  if (!preview || hasErrors(problems)) return { outcome: 'integrity-failed', exitCode: ExitCode.integrity };
  if (options.dryRun) {
    return {
      outcome: 'dry-run',
      exitCode: ExitCode.ok,
      preview,
      warnings: settingsWarnings(preview.plan, rules),
      destinationTable: integrity.destinationTable,
    };
  }
  if (stop.requested) {
    lock?.throwIfLost();
    return { outcome: 'stopped', exitCode: ExitCode.interrupted };
  }
  const done = await applySettings(connections, rules, integrity);
  ui.applied(done, settingsWarnings(done.plan, rules), integrity.destinationTable);
  const check = await verifySettings(connections, rules, integrity);
  const differs = check.stores.some((s) => s.status === 'mismatch') || check.leftover.length > 0;
  return {
    outcome: differs ? 'differs' : 'merged',
    exitCode: differs ? ExitCode.volume : ExitCode.ok,
    stores: check.stores,
    leftover: check.leftover,
  };
}

/**
 * Where `migrate settings` stands, measured rather than remembered: the check plans the merge
 * again from both databases (writing nothing) and reports whether anything is left to write.
 * A settings run records nothing in the progress store, so "never run" would be untrue after
 * it ran; an empty plan proves the merge is complete.
 */
import type { Config } from '../../config/types.js';
import { errorText } from '../../errors.js';
import type { SettingsState } from '../../report/check-report.js';
import { shellWord } from '../../util/shell-word.js';
import type { Connections, MappingFiles } from '../plan-stage.js';
import { hasErrors } from '../settings/integrity.js';
import { checkSettings, verifySettings } from '../settings/run-settings.js';
import { settingsRules } from '../settings/settings-workflow.js';

/** Null without a settings map: there is no settings step to report on. */
export async function settingsStateOf(
  config: Config,
  files: MappingFiles,
  connections: Connections,
  configPath: string,
): Promise<SettingsState | null> {
  if (!files.settings) return null;
  const path = shellWord(configPath);
  const rerun = `run \`migrate settings ${path}\``;
  try {
    const rules = await settingsRules(config, files);
    const integrity = await checkSettings(config, files, rules, connections);
    if (hasErrors(integrity.problems)) {
      return {
        status: 'failed',
        detail: `the settings integrity check fails (${integrity.problems.find((p) => p.severity === 'error')?.message}); run \`migrate settings ${path} --dry-run\``,
        repair: `migrate settings ${path} --dry-run`,
      };
    }
    const verified = await verifySettings(connections, rules, integrity);
    const missingStores = verified.stores.filter((s) => s.status === 'mismatch').map((s) => s.document);
    if (missingStores.length === 0 && verified.leftover.length === 0 && verified.unmatched.length === 0) {
      return {
        status: 'in-sync',
        detail: `merged: every store row is in the destination and no ${integrity.destinationTable} value is left to write`,
        repair: null,
      };
    }
    const parts = [
      ...(missingStores.length ? [`store rows missing in ${missingStores.join(', ')}`] : []),
      ...(verified.leftover.length ? [`${verified.leftover.length} values still to write`] : []),
      ...(verified.unmatched.length
        ? [
            `${verified.unmatched.length} values of store views or websites the destination lacked (run migrate settings again once they exist)`,
          ]
        : []),
    ];
    return {
      status: 'differs',
      detail: `not merged (or changed since): ${parts.join('; ')}; ${rerun}`,
      repair: `migrate settings ${path}`,
    };
  } catch (error) {
    return {
      status: 'failed',
      detail: `could not be checked: ${errorText(error)}`,
      repair: `migrate settings ${path} --dry-run`,
    };
  }
}

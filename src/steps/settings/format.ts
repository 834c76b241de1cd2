/**
 * The settings step as the operator reads it: the integrity problems, what happens to the store
 * documents, the counts per action, and per action the paths (all with -v, the first few
 * otherwise). Values are never printed: settings hold API keys and passwords.
 */
import { textTable } from '../../report/table.js';
import type { SettingsProblem } from './integrity.js';
import { ACTION_KINDS, countActions, type SettingsAction, type SettingsPlan } from './plan.js';
import type { SettingsRules } from './rules.js';
import type { StoreMergeOutcome } from './stores.js';

/** Lines shown per list without -v. */
export const LIST_LIMIT = 20;

export function formatSettingsProblems(problems: readonly SettingsProblem[]): string {
  const counts = { error: 0, warning: 0, info: 0 };
  for (const p of problems) counts[p.severity]++;
  const head = `settings integrity check: ${counts.error} errors, ${counts.warning} warnings, ${counts.info} notes`;
  const order = { error: 0, warning: 1, info: 2 } as const;
  const lines = [...problems]
    .sort((a, b) => order[a.severity] - order[b.severity])
    .map((p) => `${p.severity.padEnd(7)} ${p.code}: ${p.message}\n        fix: ${p.fix}`);
  return [head, ...lines].join('\n');
}

export function formatStores(stores: readonly StoreMergeOutcome[], dryRun: boolean, all: boolean): string {
  if (stores.length === 0) return 'store documents: none listed in the settings map';
  const table = textTable(
    ['document', 'destination', 'source rows', 'insert', 'update', 'unchanged', 'destination-only'],
    stores.map((s) => [
      s.document,
      s.destination,
      String(s.sourceRows),
      String(s.inserted),
      String(s.updated),
      String(s.unchanged),
      String(s.destinationOnly),
    ]),
    ['left', 'left', 'right', 'right', 'right', 'right', 'right'],
  );
  const lines = [
    `store documents${dryRun ? ' (dry run: would be)' : ''}: ids kept, destination-only rows kept`,
    table,
  ];
  for (const s of stores) {
    const inserts = s.rows.filter((r) => r.action === 'insert').map((r) => keyLabel(r.key));
    const updates = s.rows
      .filter((r) => r.action === 'update')
      .map((r) => `${keyLabel(r.key)} (${r.changed.map((c) => c.column).join(', ')})`);
    if (inserts.length) lines.push(`  ${s.destination} insert: ${limited(inserts, all).join(', ')}`);
    if (updates.length) lines.push(`  ${s.destination} update: ${limited(updates, all).join(', ')}`);
  }
  return lines.join('\n');
}

/** The counts per action, then the rows of each non-empty action (`all`: every row). */
export function formatSettingsPlan(
  plan: SettingsPlan,
  table: string,
  dryRun: boolean,
  all: boolean,
  paths: boolean,
): string {
  const counts = countActions(plan.actions);
  const lines = [
    `settings ${table}${dryRun ? ' (dry run: would be)' : ' (one transaction, committed)'}:`,
    textTable(
      ['action', 'rows'],
      ACTION_KINDS.map((kind) => [kind, String(counts[kind])]),
      ['left', 'right'],
    ),
  ];
  if (!paths) return lines.join('\n');
  for (const kind of ACTION_KINDS) {
    const actions = plan.actions.filter((a) => a.kind === kind);
    if (actions.length === 0) continue;
    lines.push(`${kind} (${actions.length}):`);
    lines.push(...limited(actions.map(actionLabel), all).map((line) => `  ${line}`));
  }
  return lines.join('\n');
}

/** `stores:3 design/header/welcome_text (from stores:3 design/header/welcome) [rule]` */
export function actionLabel(action: SettingsAction): string {
  let label = `${action.scope}:${action.scopeId} ${action.path}`;
  if (action.from) label += ` (from ${action.scope}:${action.from.scopeId} ${action.from.path})`;
  if (action.rule) label += ` [${action.rule}]`;
  if (action.reencrypted) label += ' [re-encrypted]';
  return label;
}

/** The warnings an operator must act on: encrypted values and unmatched scopes not copied, values that look encrypted. */
export function settingsWarnings(
  plan: SettingsPlan,
  rules: Pick<SettingsRules, 'fileName' | 'encryptedAdvice'>,
): string[] {
  const fileName = rules.fileName;
  const warnings = plan.actions
    .filter((a) => a.kind === 'encrypted-skipped')
    .map(
      (a) =>
        `${a.path} (${a.scope}:${a.scopeId}): encrypted with the old platform's key, not copied${a.before !== undefined ? ' (the destination keeps its own value)' : ''}; ` +
        rules.encryptedAdvice,
    );
  for (const a of plan.actions.filter((x) => x.kind === 'scope-unmatched' || x.kind === 'scope-orphaned')) {
    warnings.push(`${a.path} (${a.scope}:${a.scopeId}): not copied: ${a.rule}`);
  }
  for (const a of plan.looksEncrypted) {
    warnings.push(
      `${a.path} (${a.scope}:${a.scopeId}): the value looks encrypted, but "encrypted" in ${fileName} does not list it; ` +
        'it is copied as it is. If the new platform cannot read it, add the path to "encrypted" (and a re-encrypting transform)',
    );
  }
  return warnings;
}

/** The integrity note on source paths no rule names and the destination has at no scope. */
export function formatUncovered(plan: SettingsPlan, all: boolean): string {
  const n = plan.uncoveredPaths.length;
  if (n === 0) return 'settings: every source path that no rule names is known to the destination';
  const head = `settings: ${n} source paths that no rule names are new to the destination (not there at any scope); they are inserted as they are`;
  return all ? [head, ...plan.uncoveredPaths.map((p) => `  ${p}`)].join('\n') : `${head} (-v lists them)`;
}

function limited(items: readonly string[], all: boolean): string[] {
  if (all || items.length <= LIST_LIMIT) return [...items];
  return [...items.slice(0, LIST_LIMIT), `... and ${items.length - LIST_LIMIT} more (-v lists all)`];
}

function keyLabel(values: readonly unknown[]): string {
  return values.map((v) => (Buffer.isBuffer(v) ? `0x${v.toString('hex')}` : String(v))).join(',');
}

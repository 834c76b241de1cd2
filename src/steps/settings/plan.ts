/**
 * The settings plan: from both sides' rows of the key/value table and the settings map, what
 * happens to every (scope, scope_id, path). Pure: it reads nothing and writes nothing, so a
 * dry run prints exactly what a real run, planning again from the same rows, executes.
 *
 * Merge, not replace: a source row is ignored, or renamed, moved to its new scope id,
 * transformed, and inserted or updated by its natural key; the source wins where both sides
 * have a value, except on keepDestination paths; destination rows the source lacks stay.
 */

import { keyText, sameValue } from '../../db/upsert-compare.js';
import { HandlerRejection, type Row, type Value } from '../../handlers/contract.js';
import { looksEncrypted } from './looks-encrypted.js';
import { ruleCovers, type SettingsRules } from './rules.js';
import { type BoundSettingsCipher, SettingsDecryptError } from './settings-cipher.js';

/** One row of a settings table, its scope id as text. */
export interface SettingRow {
  scope: string;
  scopeId: string;
  path: string;
  value: Value;
}

export type SettingsActionKind =
  | 'insert'
  | 'update'
  | 'unchanged'
  | 'keep-destination'
  | 'destination-only'
  | 'ignored'
  | 'encrypted-skipped'
  /** Its scope (a store view, a website) is not in the destination yet: copied once it is. */
  | 'scope-unmatched'
  /** Its scope id has no row in the source: nothing to match it by, never copied. */
  | 'scope-orphaned';

/** The kinds in the order reports list them. */
export const ACTION_KINDS: readonly SettingsActionKind[] = [
  'insert',
  'update',
  'unchanged',
  'keep-destination',
  'destination-only',
  'ignored',
  'encrypted-skipped',
  'scope-unmatched',
  'scope-orphaned',
];

export interface SettingsAction {
  kind: SettingsActionKind;
  /** The destination's key (after rename and scope id map); for 'ignored', the source's. */
  scope: string;
  scopeId: string;
  path: string;
  /** The source's key, when rename or the scope id map changed it. */
  from?: { scopeId: string; path: string };
  /** The destination's value; undefined when it has no row. */
  before: Value | undefined;
  /** The source's value after transforms (what insert and update write); undefined for destination-only. */
  after: Value | undefined;
  /** The rule that decided it, for ignored / keep-destination / encrypted-skipped; why, for scope-unmatched. */
  rule?: string;
  /** True when an `encrypted` path went through a transform (a re-encrypting handler). */
  reencrypted?: boolean;
}

export interface SettingsPlan {
  actions: SettingsAction[];
  /** Source rows a transform refused: the plan cannot run until they are dealt with. */
  rejected: Array<{ scope: string; scopeId: string; path: string; reason: string }>;
  /** Encrypted source values the old platform's key does not decrypt (a wrong key): nothing may be written. */
  undecryptable: Array<{ scope: string; scopeId: string; path: string; reason: string }>;
  /** Destination keys two source rows arrive at (rename or scope id map onto an existing path). */
  collisions: Array<{ scope: string; scopeId: string; path: string; sources: string[] }>;
  /** Natural keys the destination holds more than once (its table lacks the unique key). */
  destinationDuplicates: Array<{ scope: string; scopeId: string; path: string; count: number }>;
  /** Copied values that look encrypted although `encrypted` does not list their path. */
  looksEncrypted: SettingsAction[];
  /** Destination values on `encrypted` paths the new platform's key does not read (they are replaced): a wrong key? */
  unreadableDestination: string[];
  /** Source paths no rule names that the destination has at no scope: they arrive as they are. */
  uncoveredPaths: string[];
}

/**
 * Per scope whose ids are matched by code (settings.json `scopeCodes`): source id -> the
 * destination id, or why there is none (no such source row, or no destination row of its code).
 */
export type ScopeMatches = ReadonlyMap<string, ReadonlyMap<string, { id: string } | { missing: string }>>;

export interface PlanInput {
  rules: SettingsRules;
  /** Absent or empty: scope ids are kept unless scopeIdMap maps them. */
  scopeMatches?: ScopeMatches;
  source: readonly SettingRow[];
  destination: readonly SettingRow[];
  /** DATA_TYPE of the destination's scope, scope_id, path and value columns, for comparisons. */
  types: readonly [string, string, string, string];
}

export function planSettings(input: PlanInput): SettingsPlan {
  const { rules, types } = input;
  const keyTypes = types.slice(0, 3);
  const keyOf = (scope: string, scopeId: string, path: string) => keyText([scope, scopeId, path], keyTypes);

  const plan: SettingsPlan = {
    actions: [],
    rejected: [],
    undecryptable: [],
    collisions: [],
    destinationDuplicates: [],
    looksEncrypted: [],
    unreadableDestination: [],
    uncoveredPaths: [],
  };
  const destination = new Map<string, SettingRow>();
  const destinationPaths = new Set<string>();
  const duplicates = new Map<string, { row: SettingRow; count: number }>();
  for (const row of input.destination) {
    const key = keyOf(row.scope, row.scopeId, row.path);
    destinationPaths.add(row.path);
    if (destination.has(key)) {
      const seen = duplicates.get(key) ?? { row, count: 1 };
      seen.count++;
      duplicates.set(key, seen);
    } else destination.set(key, row);
  }
  for (const { row, count } of duplicates.values()) {
    plan.destinationDuplicates.push({ scope: row.scope, scopeId: row.scopeId, path: row.path, count });
  }

  const claimedBy = new Map<string, string>(); // destination key -> the source row that claims it
  const uncovered = new Set<string>();
  for (const row of input.source) {
    const ignoredBy = rules.ignore.matching(row.path);
    if (ignoredBy !== undefined) {
      plan.actions.push({
        kind: 'ignored',
        ...keyFields(row),
        before: undefined,
        after: row.value,
        rule: `ignore "${ignoredBy}"`,
      });
      continue;
    }
    const path = rules.rename.get(row.path) ?? row.path;
    let scopeId = rules.scopeIdMap.get(row.scope)?.get(row.scopeId);
    if (scopeId === undefined) {
      const matches = input.scopeMatches?.get(row.scope);
      const match = matches ? matches.get(row.scopeId) : { id: row.scopeId };
      if (match === undefined || 'missing' in match) {
        plan.actions.push({
          kind: match ? 'scope-unmatched' : 'scope-orphaned',
          ...keyFields(row),
          before: undefined,
          after: row.value,
          rule: match
            ? match.missing
            : `the source has no ${row.scope} row with id ${row.scopeId} (a setting left behind by a deleted one)`,
        });
        continue;
      }
      scopeId = match.id;
    }
    const key = keyOf(row.scope, scopeId, path);
    const here = { scope: row.scope, scopeId, path };
    const from =
      path !== row.path || scopeId !== row.scopeId ? { from: { scopeId: row.scopeId, path: row.path } } : {};
    const describe = `${row.scope}:${row.scopeId} ${row.path}`;
    const earlier = claimedBy.get(key);
    if (earlier !== undefined) {
      plan.collisions.push({ ...here, sources: [earlier, describe] });
      continue;
    }
    claimedBy.set(key, describe);
    const current = destination.get(key);
    const before = current ? current.value : undefined;

    const encryptedBy = rules.encrypted.matching(row.path);
    const transforms = rules.transforms.filter((t) => t.pattern.matches(row.path));
    if (encryptedBy !== undefined && transforms.length === 0 && !rules.cipher) {
      plan.actions.push({
        kind: 'encrypted-skipped',
        ...here,
        ...from,
        before,
        after: row.value,
        rule: `encrypted "${encryptedBy}"`,
      });
      continue;
    }
    let after: Value;
    try {
      after =
        encryptedBy !== undefined && transforms.length === 0 && rules.cipher
          ? reencrypt(rules.cipher, row.value, before, () =>
              plan.unreadableDestination.push(`${here.scope}:${here.scopeId} ${here.path}`),
            )
          : transformValue(rules, transforms, here, row.value);
    } catch (error) {
      if (error instanceof SettingsDecryptError) {
        plan.undecryptable.push({ ...here, reason: error.message });
        continue;
      }
      const reason = error instanceof HandlerRejection ? error.message : `handler failed: ${String(error)}`;
      plan.rejected.push({ ...here, reason });
      continue;
    }
    const reencrypted = encryptedBy !== undefined ? { reencrypted: true } : {};
    let action: SettingsAction;
    if (current === undefined) action = { kind: 'insert', ...here, ...from, before, after, ...reencrypted };
    else if (sameValue(current.value, after, types[3])) {
      action = { kind: 'unchanged', ...here, ...from, before, after, ...reencrypted };
    } else {
      const keptBy = rules.keepDestination.matching(path);
      action =
        keptBy !== undefined
          ? {
              kind: 'keep-destination',
              ...here,
              ...from,
              before,
              after,
              rule: `keepDestination "${keptBy}"`,
              ...reencrypted,
            }
          : { kind: 'update', ...here, ...from, before, after, ...reencrypted };
    }
    plan.actions.push(action);
    if (encryptedBy === undefined && looksEncrypted(row.path, row.value)) plan.looksEncrypted.push(action);
    if (!ruleCovers(rules, row.path, path) && !destinationPaths.has(path)) uncovered.add(path);
  }

  for (const [key, row] of destination) {
    if (!claimedBy.has(key)) {
      plan.actions.push({ kind: 'destination-only', ...keyFields(row), before: row.value, after: undefined });
    }
  }
  plan.actions.sort(compareActions);
  plan.uncoveredPaths = [...uncovered].sort();
  return plan;
}

/** Counts per kind, every kind present. */
export function countActions(actions: readonly SettingsAction[]): Record<SettingsActionKind, number> {
  const counts = Object.fromEntries(ACTION_KINDS.map((k) => [k, 0])) as Record<SettingsActionKind, number>;
  for (const action of actions) counts[action.kind]++;
  return counts;
}

/**
 * An encrypted value carried across: decrypted with the old platform's key, and encrypted with
 * the new one's unless the destination already holds the same plaintext (then its value stays,
 * so a second run plans no change although each encryption draws a fresh nonce). Empty stays empty.
 */
function reencrypt(
  cipher: BoundSettingsCipher,
  value: Value,
  before: Value | undefined,
  unreadable: () => void,
): Value {
  if (value === null) return null;
  const text = Buffer.isBuffer(value) ? value.toString('utf8') : value;
  if (text.trim() === '') return value;
  const plain = cipher.decryptSource(text);
  if (before !== undefined && before !== null) {
    const text = Buffer.isBuffer(before) ? before.toString('utf8') : before;
    const current = cipher.decryptDestination(text);
    if (current === plain) return before;
    if (current === undefined && text.trim() !== '') unreadable();
  }
  return cipher.encryptDestination(plain);
}

/** Runs the transforms matching a source path, in map order, on a destination-shaped row. */
function transformValue(
  rules: SettingsRules,
  transforms: SettingsRules['transforms'],
  key: { scope: string; scopeId: string; path: string },
  value: Value,
): Value {
  const { columns } = rules;
  const row: Row = {
    [columns.scope]: key.scope,
    [columns.scopeId]: key.scopeId,
    [columns.path]: key.path,
    [columns.value]: value,
  };
  for (const transform of transforms) {
    row[columns.value] = transform.handler.transform(row[columns.value] ?? null, row);
  }
  return row[columns.value] ?? null;
}

function keyFields(row: SettingRow): { scope: string; scopeId: string; path: string } {
  return { scope: row.scope, scopeId: row.scopeId, path: row.path };
}

function compareActions(a: SettingsAction, b: SettingsAction): number {
  return (
    ACTION_KINDS.indexOf(a.kind) - ACTION_KINDS.indexOf(b.kind) ||
    compareText(a.scope, b.scope) ||
    Number(a.scopeId) - Number(b.scopeId) ||
    compareText(a.scopeId, b.scopeId) ||
    compareText(a.path, b.path)
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The settings step's integrity check, before anything is written: the settings table and its
 * four columns exist on both sides, the destination can take new rows, and each store document
 * the settings map lists has a plan (from map.json) that can be merged by its key. Every
 * problem names what to fix and where.
 */
import { basename } from 'node:path';
import type { SchemaSnapshot, TableInfo } from '../../db/schema.js';
import type { DocumentPlan } from '../../mappings/plan.js';
import type { Resolution } from '../../mappings/resolve.js';
import { nearest } from '../../util/nearest.js';
import type { SettingsPlan } from './plan.js';
import type { SettingsRules } from './rules.js';
import type { StoreMergeOutcome } from './stores.js';

export type SettingsSeverity = 'error' | 'warning' | 'info';

export interface SettingsProblem {
  severity: SettingsSeverity;
  code: string;
  message: string;
  fix: string;
}

export interface SettingsIntegrity {
  problems: SettingsProblem[];
  /** The store documents' plans, in the order the settings map lists them. */
  storePlans: DocumentPlan[];
  sourceTable: string;
  destinationTable: string;
  /** DATA_TYPE of the destination's scope, scope_id, path and value columns. */
  types: [string, string, string, string];
  /** settings.json `scopeCodes` with the tables' full names, for the scopes whose tables exist. */
  scopeTables: ScopeTables[];
}

export interface ScopeTables {
  scope: string;
  sourceTable: string;
  destinationTable: string;
  id: string;
  code: string;
}

export interface IntegrityInput {
  rules: SettingsRules;
  source: SchemaSnapshot;
  destination: SchemaSnapshot;
  sourcePrefix: string;
  destPrefix: string;
  resolution: Resolution;
  /** map.json's file name, for fixes. */
  mapFileName: string;
}

const COLUMN_KEYS = ['scope', 'scopeId', 'path', 'value'] as const;

export function checkSettingsIntegrity(input: IntegrityInput): SettingsIntegrity {
  const { rules } = input;
  const problems: SettingsProblem[] = [];
  const sourceTable = input.sourcePrefix + rules.table;
  const destinationTable = input.destPrefix + rules.table;
  const source = tableOrProblem(input.source, sourceTable, 'source', rules, problems);
  const destination = tableOrProblem(input.destination, destinationTable, 'destination', rules, problems);
  if (source) checkColumns(source, 'source', rules, problems);
  const types: SettingsIntegrity['types'] = ['', '', '', ''];
  if (destination) {
    checkColumns(destination, 'destination', rules, problems);
    COLUMN_KEYS.forEach((key, i) => {
      types[i] = destination.columns.find((c) => c.name === rules.columns[key])?.dataType ?? '';
    });
    checkDestinationTable(destination, rules, problems);
  }
  const storePlans = storeDocumentPlans(input, problems);
  const scopeTables = scopeCodeTables(input, problems);
  return { problems, storePlans, sourceTable, destinationTable, types, scopeTables };
}

/** The tables `scopeCodes` names, each side with its id and code columns; a problem for each missing one. */
function scopeCodeTables(input: IntegrityInput, problems: SettingsProblem[]): ScopeTables[] {
  const found: ScopeTables[] = [];
  for (const [scope, tables] of input.rules.scopeCodes) {
    const sides = [
      ['source', input.source, input.sourcePrefix + tables.source, 'source'],
      ['destination', input.destination, input.destPrefix + tables.destination, 'destination'],
    ] as const;
    let ok = true;
    for (const [side, snapshot, table, key] of sides) {
      const info = snapshot.get(table);
      const lacking = info
        ? [tables.id, tables.code].filter((c) => !info.columns.some((column) => column.name === c))
        : [];
      if (info && lacking.length === 0) continue;
      ok = false;
      problems.push({
        severity: 'error',
        code: 'SETTINGS_SCOPE_TABLE_MISSING',
        message: info
          ? `"scopeCodes": { "${scope}": ... } in ${input.rules.fileName}: the ${side} table ${table} has no column ${lacking.join(', ')}`
          : `"scopeCodes": { "${scope}": ... } in ${input.rules.fileName} names the ${side} table ${table}, which the ${side} database does not have`,
        fix: `correct "scopeCodes" / "${scope}" / "${key}", "id" or "code" in ${input.rules.fileName}, or remove the entry (scope ids are then kept)`,
      });
    }
    if (ok) {
      found.push({
        scope,
        sourceTable: input.sourcePrefix + tables.source,
        destinationTable: input.destPrefix + tables.destination,
        id: tables.id,
        code: tables.code,
      });
    }
  }
  return found;
}

function tableOrProblem(
  snapshot: SchemaSnapshot,
  table: string,
  side: 'source' | 'destination',
  rules: SettingsRules,
  problems: SettingsProblem[],
): TableInfo | undefined {
  const info = snapshot.get(table);
  if (info) return info;
  const near = nearest(table, snapshot.keys());
  problems.push({
    severity: 'error',
    code: 'SETTINGS_TABLE_MISSING',
    message: `the ${side} database has no settings table ${table}`,
    fix: near
      ? `did you mean "${near}"? set "table" in ${rules.fileName} (without the table prefix)`
      : side === 'source'
        ? `set "table" in ${rules.fileName} to the source's key/value settings table, or check <source_prefix> in config.xml`
        : `create ${table} in the destination (install the new platform's schema first), or check <dest_prefix> in config.xml`,
  });
  return undefined;
}

function checkColumns(
  table: TableInfo,
  side: 'source' | 'destination',
  rules: SettingsRules,
  problems: SettingsProblem[],
): void {
  const names = table.columns.map((c) => c.name);
  for (const key of COLUMN_KEYS) {
    const column = rules.columns[key];
    if (names.includes(column)) continue;
    const near = nearest(column, names);
    problems.push({
      severity: 'error',
      code: 'SETTINGS_COLUMN_MISSING',
      message: `"columns": { "${key}": "${column}" } in ${rules.fileName} names a column the ${side} table ${table.name} does not have (it has ${names.join(', ')})`,
      fix: near
        ? `did you mean "${near}"? set "columns": { "${key}": "${near}" } in ${rules.fileName}`
        : `set "columns": { "${key}": "<column>" } in ${rules.fileName} to one of ${table.name}'s columns`,
    });
  }
}

/** The destination must take an INSERT of just the four columns, and should refuse duplicate keys. */
function checkDestinationTable(table: TableInfo, rules: SettingsRules, problems: SettingsProblem[]): void {
  const written = new Set(COLUMN_KEYS.map((k) => rules.columns[k]));
  // A misnamed column is the settings map's mistake (SETTINGS_COLUMN_MISSING says so): advice to
  // ALTER the table around the typo would mislead.
  if ([...written].some((name) => !table.columns.some((c) => c.name === name))) return;
  for (const column of table.columns) {
    if (
      written.has(column.name) ||
      column.nullable ||
      column.hasDefault ||
      column.autoIncrement ||
      column.generated
    ) {
      continue;
    }
    problems.push({
      severity: 'error',
      code: 'SETTINGS_COLUMN_UNFILLED',
      message: `the destination table ${table.name} has column ${column.name}, NOT NULL without a default: new settings rows cannot be inserted`,
      fix: `give ${table.name}.${column.name} a default in the destination (ALTER TABLE ... ALTER ${column.name} SET DEFAULT ...)`,
    });
  }
  const natural = [rules.columns.scope, rules.columns.scopeId, rules.columns.path];
  if (![table.primaryKey, ...table.uniqueKeys].some((key) => sameSet(key, natural))) {
    problems.push({
      severity: 'warning',
      code: 'SETTINGS_NO_UNIQUE_KEY',
      message: `the destination table ${table.name} has no unique key on (${natural.join(', ')}): the database cannot refuse duplicates`,
      fix: `add one: ALTER TABLE ${table.name} ADD UNIQUE KEY (${natural.join(', ')}); the step matches rows by those columns either way`,
    });
  }
}

/** The plans of the store documents, each mergeable by a key; problems for those that are not. */
function storeDocumentPlans(input: IntegrityInput, problems: SettingsProblem[]): DocumentPlan[] {
  const { rules, resolution } = input;
  const plans: DocumentPlan[] = [];
  const mapFile = input.mapFileName;
  const relevant = new Set<string>(rules.documents);
  for (const document of rules.documents) {
    const plan = resolution.plans.find((p) => p.document === document);
    if (!plan) {
      const ignored = resolution.ignored.find((i) => i.document === document);
      const inSource = input.source.has(input.sourcePrefix + document);
      const near = nearest(
        document,
        [...input.source.keys()].map((t) => t.slice(input.sourcePrefix.length)),
      );
      problems.push({
        severity: 'error',
        code: 'SETTINGS_DOCUMENT_UNMAPPED',
        message: ignored
          ? `${rules.fileName} lists document ${document}, but ${mapFile} ignores it (${ignored.rule})`
          : inSource
            ? `${rules.fileName} lists document ${document}, which ${mapFile} maps to no destination document`
            : `${rules.fileName} lists document ${document}, which the source does not have`,
        fix: ignored
          ? `remove "${document}" from ${rules.fileName} "documents", or from the ignore rule in ${mapFile}`
          : inSource
            ? `map it in ${mapFile}: source.documents.rename { "${document}": "<destination table>" } (see the problems below)`
            : near
              ? `did you mean "${near}"? correct "documents" in ${rules.fileName}`
              : `remove "${document}" from "documents" in ${rules.fileName}`,
      });
      continue;
    }
    relevant.add(plan.destinationDocument);
    const destination = input.destination.get(plan.destinationTable);
    if (!plan.key || !plan.destinationKey) {
      problems.push({
        severity: 'error',
        code: 'SETTINGS_DOCUMENT_NO_KEY',
        message: plan.key
          ? `${document}: its key (${plan.key.join(', ')}) is renamed away or transformed, so rows cannot be matched to ${plan.destinationDocument} by id`
          : `${document} has no primary key or NOT NULL unique key, so its rows cannot be matched to ${plan.destinationDocument}`,
        fix: plan.key
          ? `copy the key columns of ${document} unchanged (remove their transforms in ${mapFile}): settings mode keeps ids`
          : `add a primary key to ${plan.sourceTable} on the source`,
      });
      continue;
    }
    const destinationKey = plan.destinationKey;
    if (
      destination &&
      ![destination.primaryKey, ...destination.uniqueKeys].some((k) => sameSet(k, destinationKey))
    ) {
      problems.push({
        severity: 'error',
        code: 'SETTINGS_DOCUMENT_NO_KEY',
        message: `${plan.destinationDocument}: (${destinationKey.join(', ')}) is not a primary or unique key there, so rows cannot be merged by it`,
        fix: `give ${plan.destinationTable} a primary key on (${destinationKey.join(', ')}) in the destination`,
      });
      continue;
    }
    plans.push(plan);
  }
  for (const problem of resolution.problems) {
    if (!relevant.has(problem.document)) continue;
    problems.push({
      severity: problem.severity,
      code: problem.code,
      message: problem.message,
      fix: problem.fix,
    });
  }
  return plans;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/** The plan's own blockers, found from the rows: a value a transform refuses, two rows on one key. */
export function planProblems(
  plan: Pick<SettingsPlan, 'rejected' | 'undecryptable' | 'collisions' | 'destinationDuplicates'>,
  rules: SettingsRules,
  destinationTable: string,
): SettingsProblem[] {
  const problems: SettingsProblem[] = [];
  const file = rules.fileName;
  for (const r of plan.rejected) {
    problems.push({
      severity: 'error',
      code: 'SETTINGS_VALUE_REJECTED',
      message: `${r.scope}:${r.scopeId} ${r.path}: a transform refused the value: ${r.reason}`,
      fix: `correct the value in the source, add "${r.path}" to "ignore" in ${file}, or change the transform`,
    });
  }
  const failed = plan.undecryptable;
  if (failed.length > 0) {
    const shown = failed.slice(0, 10).map((u) => `${u.scope}:${u.scopeId} ${u.path} (${u.reason})`);
    problems.push({
      severity: 'error',
      code: 'SETTINGS_DECRYPT_FAILED',
      message:
        `${failed.length} encrypted source values cannot be decrypted with <source_crypt_key>: ${shown.join('; ')}` +
        (failed.length > shown.length ? `; and ${failed.length - shown.length} more` : ''),
      fix: `check <source_crypt_key> in config.xml: it must be ${rules.cipher?.sourceKeyWhere ?? "the old platform's key"}; a value that is not encrypted: add its path to "ignore" in ${file} and set it in the new admin`,
    });
  }
  for (const c of plan.collisions) {
    problems.push({
      severity: 'error',
      code: 'SETTINGS_PATH_COLLISION',
      message: `source rows ${c.sources.join(' and ')} both arrive at ${c.scope}:${c.scopeId} ${c.path}`,
      fix: `add one of them to "ignore", or change "rename" / "scopeIdMap" in ${file}`,
    });
  }
  for (const d of plan.destinationDuplicates) {
    problems.push({
      severity: 'error',
      code: 'SETTINGS_DESTINATION_DUPLICATE',
      message: `the destination has ${d.count} rows for ${d.scope}:${d.scopeId} ${d.path}; the step cannot tell which to update`,
      fix: `delete the extra rows from ${destinationTable} in the destination, and add a unique key on its scope, scope id and path columns`,
    });
  }
  return problems;
}

/** Everything the preview found that stops a real run: the plan's blockers and store rows a handler refused. */
export function previewProblems(
  preview: { plan: SettingsPlan; stores: readonly StoreMergeOutcome[] },
  rules: SettingsRules,
  integrity: Pick<SettingsIntegrity, 'destinationTable'>,
  mapFile: string,
): SettingsProblem[] {
  const problems = planProblems(preview.plan, rules, integrity.destinationTable);
  const unreadable = preview.plan.unreadableDestination;
  if (unreadable.length > 0) {
    problems.push({
      severity: 'warning',
      code: 'SETTINGS_DESTINATION_UNREADABLE',
      message: `${unreadable.length} destination values on encrypted paths cannot be read with <destination_crypt_key> and are replaced: ${unreadable.slice(0, 10).join(', ')}${unreadable.length > 10 ? ', ...' : ''}`,
      fix: "if the new admin had set them, check that <destination_crypt_key> is the new platform's key (all of its keys, in order); otherwise nothing to do",
    });
  }
  for (const store of preview.stores) {
    for (const r of store.rejected) {
      problems.push({
        severity: 'error',
        code: 'SETTINGS_DOCUMENT_ROW_REJECTED',
        message: `${store.document} ${r.key.map(String).join(',')}: ${r.reason}`,
        fix: `correct the row in the source, or the transform in ${basename(mapFile)}`,
      });
    }
  }
  return problems;
}

export function hasErrors(problems: readonly SettingsProblem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}

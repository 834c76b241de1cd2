/** Shared by the settings tests: a settings map in memory, the step run in-process, and table snapshots. */
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RowDataPacket } from 'mysql2';
import { loadConfig } from '../../../src/config/load-config.js';
import { DEFAULT_SETTINGS_COLUMNS, type SettingsMap } from '../../../src/mappings/settings-map.js';
import { closeConnections, loadMappingFiles, openConnections } from '../../../src/steps/plan-stage.js';
import { hasErrors, previewProblems } from '../../../src/steps/settings/integrity.js';
import type { SettingRow, SettingsPlan } from '../../../src/steps/settings/plan.js';
import { compileSettingsRules, type SettingsRules } from '../../../src/steps/settings/rules.js';
import {
  applySettings,
  checkSettings,
  previewSettings,
  type SettingsOutcome,
} from '../../../src/steps/settings/run-settings.js';
import { adminConnection } from '../../support/database.js';
import type { StoreEnv } from '../../support/store-env.js';

/** A settings map with defaults, as loadSettingsMap returns it, plus `overrides`. */
export function settingsMap(overrides: Partial<SettingsMap> = {}): SettingsMap {
  return {
    file: join(tmpdir(), 'settings.json'),
    table: 'core_config_data',
    columns: { ...DEFAULT_SETTINGS_COLUMNS },
    documents: [],
    ignore: [],
    rename: {},
    transform: [],
    keepDestination: [],
    encrypted: [],
    scopeIdMap: {},
    scopeCodes: {},
    ...overrides,
  };
}

export function rules(overrides: Partial<SettingsMap> = {}): Promise<SettingsRules> {
  return compileSettingsRules(settingsMap(overrides));
}

export function row(key: string, value: string | null): SettingRow {
  const [scopeAndId = '', path = ''] = key.split(' ');
  const [scope = '', scopeId = ''] = scopeAndId.split(':');
  return { scope, scopeId, path, value };
}

/** Edits the env's settings.json. */
export async function editSettingsMap(
  env: StoreEnv,
  edit: (map: Record<string, unknown>) => void,
): Promise<void> {
  const map = JSON.parse(await readFile(env.settingsFile, 'utf8')) as Record<string, unknown>;
  edit(map);
  await writeFile(env.settingsFile, JSON.stringify(map, null, 2));
}

/** Runs the settings step in-process (a dry run or a real one), as the command does. */
export async function runSettings(
  configFile: string,
  dryRun = false,
): Promise<SettingsOutcome & { errors: string[] }> {
  const config = await loadConfig(configFile);
  const files = await loadMappingFiles(config);
  if (!files.settings) throw new Error('the test config names no settings map');
  const compiled = await compileSettingsRules(files.settings);
  const connections = await openConnections(config);
  try {
    const integrity = await checkSettings(config, files, compiled, connections);
    const problems = [...integrity.problems];
    const preview = hasErrors(problems) ? undefined : await previewSettings(connections, compiled, integrity);
    if (preview) problems.push(...previewProblems(preview, compiled, integrity, config.options.mapFile));
    const errors = problems.filter((p) => p.severity === 'error').map((p) => `${p.code}: ${p.message}`);
    if (!preview) return { stores: [], plan: emptyPlan(), errors };
    if (dryRun || errors.length > 0) return { ...preview, errors };
    return { ...(await applySettings(connections, compiled, integrity)), errors };
  } finally {
    await closeConnections(connections);
  }
}

/** The destination's (or source's) settings as `scope:id path` -> value. */
export async function configValues(
  schema: string,
  table = 'core_config_data',
): Promise<Map<string, string | null>> {
  const conn = await adminConnection();
  try {
    const [rows] = await conn.query<RowDataPacket[]>(
      `SELECT scope, scope_id, path, value FROM \`${schema}\`.\`${table}\` ORDER BY scope, scope_id, path`,
    );
    return new Map(rows.map((r) => [`${r.scope}:${r.scope_id} ${r.path}`, r.value as string | null]));
  } finally {
    await conn.end();
  }
}

/** Inserts settings rows (`scope:id path` -> value) straight into a table. */
export async function insertConfig(schema: string, values: Record<string, string | null>): Promise<void> {
  const conn = await adminConnection();
  try {
    for (const [key, value] of Object.entries(values)) {
      const r = row(key, value);
      await conn.query(
        `INSERT INTO \`${schema}\`.core_config_data (scope, scope_id, path, value) VALUES (?, ?, ?, ?)`,
        [r.scope, r.scopeId, r.path, r.value],
      );
    }
  } finally {
    await conn.end();
  }
}

/** Runs statements on the test server as root. */
export async function sql(statements: string, values: unknown[] = []): Promise<RowDataPacket[]> {
  const conn = await adminConnection();
  try {
    const [rows] = await conn.query<RowDataPacket[]>(statements, values);
    return rows;
  } finally {
    await conn.end();
  }
}

function emptyPlan(): SettingsPlan {
  return {
    actions: [],
    rejected: [],
    undecryptable: [],
    collisions: [],
    destinationDuplicates: [],
    looksEncrypted: [],
    unreadableDestination: [],
    uncoveredPaths: [],
  };
}

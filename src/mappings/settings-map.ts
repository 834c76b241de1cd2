/**
 * The settings map (settings.json): rules for a core_config_data-style key/value table, and
 * the documents (websites, stores) that settings mode copies through the ordinary map. This
 * file reads and checks it; src/steps/settings binds its handlers and applies it. Checks the
 * JSON Schema cannot express (two renames onto one path, say) fail here too, before anything
 * connects, naming the file and the JSON path.
 */
import { ConfigError } from '../errors.js';
import { loadJsonFile } from './json-file.js';

/** The columns of the settings table. */
export interface SettingsColumns {
  scope: string;
  scopeId: string;
  path: string;
  value: string;
}

export interface SettingsTransformEntry {
  /** A source path, `*` allowed. */
  path: string;
  handler: string;
  params?: Record<string, unknown>;
}

/**
 * How one scope's ids are matched across: by code, through the scope's table on each side
 * (e.g. stores: 1.9's core_store and 2.4's store, by `code`). Tables without the prefix.
 */
export interface ScopeCodeTables {
  source: string;
  destination: string;
  id: string;
  code: string;
}

/** settings.json as written (see schemas/settings.schema.json). */
export interface SettingsMapFile {
  table?: string;
  columns?: Partial<SettingsColumns>;
  documents?: string[];
  ignore?: string[];
  rename?: Record<string, string>;
  transform?: SettingsTransformEntry[];
  keepDestination?: string[];
  encrypted?: string[];
  scopeIdMap?: Record<string, Record<string, string>>;
  scopeCodes?: Record<string, ScopeCodeTables>;
}

/** settings.json with every default filled in. */
export interface SettingsMap {
  file: string;
  table: string;
  columns: SettingsColumns;
  documents: string[];
  ignore: string[];
  rename: Record<string, string>;
  transform: SettingsTransformEntry[];
  keepDestination: string[];
  encrypted: string[];
  /** scope -> old id -> new id */
  scopeIdMap: Record<string, Record<string, string>>;
  /** scope -> the tables its ids are matched by code through; scopeIdMap entries come first. */
  scopeCodes: Record<string, ScopeCodeTables>;
}

export const DEFAULT_SETTINGS_COLUMNS: Readonly<SettingsColumns> = {
  scope: 'scope',
  scopeId: 'scope_id',
  path: 'path',
  value: 'value',
};

export async function loadSettingsMap(file: string): Promise<SettingsMap> {
  const data = await loadJsonFile<SettingsMapFile>(file, 'settings', 'settings_map_file');
  const map: SettingsMap = {
    file,
    table: data.table ?? 'core_config_data',
    columns: { ...DEFAULT_SETTINGS_COLUMNS, ...data.columns },
    documents: data.documents ?? [],
    ignore: data.ignore ?? [],
    rename: data.rename ?? {},
    transform: data.transform ?? [],
    keepDestination: data.keepDestination ?? [],
    encrypted: data.encrypted ?? [],
    scopeIdMap: data.scopeIdMap ?? {},
    scopeCodes: data.scopeCodes ?? {},
  };
  const problems = settingsMapProblems(map);
  if (problems.length > 0) {
    throw new ConfigError(`${file} is not a usable settings map:\n  - ${problems.join('\n  - ')}`, {
      code: 'MAP_FILE_INVALID',
      hint: 'fix the listed entries of the settings map (settings_map_file in config.xml)',
      context: { file },
    });
  }
  return map;
}

/** What the schema cannot say: each problem starts with its JSON path. */
function settingsMapProblems(map: SettingsMap): string[] {
  const problems: string[] = [];
  const listed = map.documents.indexOf(map.table);
  if (listed >= 0) {
    problems.push(
      `/documents/${listed}: "${map.table}" is the settings table itself; list only the tables copied before it (websites, stores)`,
    );
  }
  const columns = Object.entries(map.columns);
  for (const [name, column] of columns) {
    const other = columns.find(([n, c]) => n < name && c === column);
    if (other)
      problems.push(
        `/columns/${name}: "${column}" is also /columns/${other[0]}; the four columns must differ`,
      );
  }
  const renamedBy = new Map<string, string>();
  for (const [from, to] of Object.entries(map.rename)) {
    const earlier = renamedBy.get(to);
    if (earlier !== undefined) {
      problems.push(
        `/rename/${pointer(from)}: "${from}" and "${earlier}" are both renamed to "${to}"; one destination path can take only one of them`,
      );
    }
    renamedBy.set(to, from);
  }
  for (const [scope, ids] of Object.entries(map.scopeIdMap)) {
    const mappedBy = new Map<string, string>();
    for (const [from, to] of Object.entries(ids)) {
      const earlier = mappedBy.get(to);
      if (earlier !== undefined) {
        problems.push(
          `/scopeIdMap/${scope}/${from}: ids ${earlier} and ${from} both become ${to}; their settings would collide`,
        );
      }
      mappedBy.set(to, from);
    }
  }
  return problems;
}

/** A JSON Pointer segment (RFC 6901): paths contain '/', which must be escaped. */
function pointer(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** The source documents the settings step copies rather than the data step. */
export function settingsDocuments(map: SettingsMap | undefined): string[] {
  return map ? [map.table, ...map.documents] : [];
}

/**
 * The settings map (settings.json): rules for a core_config_data-style key/value table, and
 * the documents (websites, stores) that settings mode copies through the ordinary map.
 */
import { loadJsonFile } from './json-file.js';

export interface SettingsMapFile {
  table?: string;
  columns?: { scope?: string; scopeId?: string; path?: string; value?: string };
  documents?: string[];
  ignore?: string[];
  rename?: Record<string, string>;
  transform?: Array<{ path: string; handler: string; params?: Record<string, unknown> }>;
  keepDestination?: string[];
  encrypted?: string[];
  scopeIdMap?: Record<string, Record<string, string>>;
}

export interface SettingsMap extends SettingsMapFile {
  file: string;
  table: string;
  documents: string[];
}

export async function loadSettingsMap(file: string): Promise<SettingsMap> {
  const data = await loadJsonFile<SettingsMapFile>(file, 'settings', 'settings_map_file');
  return { ...data, file, table: data.table ?? 'core_config_data', documents: data.documents ?? [] };
}

/** The source documents the settings step copies rather than the data step. */
export function settingsDocuments(map: SettingsMap | undefined): string[] {
  return map ? [map.table, ...map.documents] : [];
}

/**
 * The delta log list (deltalog.json): which source documents get change tracking, by which
 * key, and the one prefix every change-log table and trigger of the tool carries.
 */
import { loadJsonFile } from './json-file.js';

export const DEFAULT_DELTA_PREFIX = 'm2_cl_';

export interface DeltaLogFile {
  prefix?: string;
  documents: Record<string, { key?: string[] }>;
}

export interface DeltaLog {
  file: string;
  prefix: string;
  documents: Record<string, { key?: string[] }>;
}

export async function loadDeltaLog(file: string): Promise<DeltaLog> {
  const data = await loadJsonFile<DeltaLogFile>(file, 'deltalog', 'deltalog_file');
  return { file, prefix: data.prefix ?? DEFAULT_DELTA_PREFIX, documents: data.documents };
}

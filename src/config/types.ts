/** The typed, validated form of config.xml. Paths are absolute (resolved against the config's folder). */

export interface TlsConfig {
  ca?: string;
  cert?: string;
  key?: string;
}

export interface DatabaseConfig {
  host: string;
  port: number;
  user: string;
  /** Never logged; use {@link describeDatabase} to show a database to the operator. */
  password: string;
  name: string;
  socket?: string;
  ssl?: TlsConfig;
}

export interface Options {
  /** `<profile>`: a built-in profile name or a path to a profile module (src/engine/profiles.ts). */
  profile?: string;
  /** From `<map_file>`, else from the profile: always set once config.xml is loaded. */
  mapFile: string;
  /**
   * Set when the profile gives several map files (Profile.mapFiles) and config.xml names no
   * `<map_file>`: they are merged into one set of rules (src/mappings/merge-map-files.ts);
   * `mapFile` is then the first of them.
   */
  mapFiles?: string[];
  settingsMapFile?: string;
  deltalogFile?: string;
  /** Rows per chunk; 0 sizes chunks automatically. */
  bulkSize: number;
  concurrency: number;
  /** Rows per key range of one document copied in parallel; a smaller document is one range. */
  partRows: number;
  directDocumentCopy: boolean;
  parallelAutoincInserts: boolean;
  /** From this many estimated rows a document's plain secondary indexes are built after its copy (deferred-indexes.ts); 0 never. */
  deferIndexesMinRows: number;
  sourcePrefix: string;
  destPrefix: string;
  logFile?: string;
  /** Destination table that records per-document progress. */
  progressTable: string;
  /** Folder for rejected/<document>.jsonl files. */
  rejectedDir: string;
  /** How often an idle `migrate delta` polls the change logs, in milliseconds. */
  deltaPollInterval: number;
  /** Seconds a statement may wait for the server; 0 = no limit. */
  queryTimeout: number;
  /** Seconds a statement that scans a whole table may wait for the server; 0 = no limit. */
  bulkReadTimeout: number;
  /** Seconds a streamed read may receive nothing while rows are awaited; 0 = no limit. */
  stallTimeout: number;
  /** Seconds one source DDL (change tracking install or removal) may wait for its table lock per try. */
  lockWaitTimeout: number;
  /** Seconds a source DDL keeps retrying while its table is held, before the run stops. */
  lockRetryTime: number;
  /** How long change logs must stay empty before `--until-caught-up` exits, in milliseconds. */
  deltaQuietPeriod: number;
  /** Copy and delta pause while the source's Threads_running is above this; 0 never. */
  maxThreadsRunning: number;
  /** Copy and delta pause while the source, a replica, lags its primary by more seconds; 0 never. */
  maxReplicaLag: number;
  /** Copy and delta pause while this file exists (the operator's pause switch). */
  throttleFlagFile?: string;
  /**
   * What `migrate delta` does with a destination row it did not write (a tester's order) under a
   * key the old store then inserted: overwrite it (the default) or keep it; both are recorded.
   */
  deltaConflict: 'overwrite' | 'keep';
  /** `<source_crypt_key>`: the old platform's encryption key. Never logged, printed or echoed. */
  sourceCryptKey?: string;
  /** `<destination_crypt_key>`: the new platform's encryption key(s). Never logged, printed or echoed. */
  destinationCryptKey?: string;
  /** Source rows that break the source's own foreign keys: a warning (default), an integrity error, or not looked for. */
  sourceOrphans: 'warn' | 'error' | 'off';
}

/** The `<hooks>` of config.xml: shell commands `migrate cutover` runs at its phases. */
export const HOOK_NAMES = ['before', 'maintenance_on', 'go_live', 'abort', 'after'] as const;
export type HookName = (typeof HOOK_NAMES)[number];

export interface HookCommand {
  /** A shell command line (run by /bin/sh -c in the config file's folder). */
  command: string;
  /** Seconds before the command is killed and its phase fails. */
  timeoutSeconds: number;
}

export interface Hooks {
  commands: Partial<Record<HookName, HookCommand>>;
  /**
   * Environment variables config.xml reads passwords from: removed from a hook's environment,
   * so a hook (and what it logs) never sees them.
   */
  secretVariables: string[];
}

export interface Config {
  /** Absolute path of the config.xml this came from. */
  file: string;
  source: DatabaseConfig;
  destination: DatabaseConfig;
  options: Options;
  /** `<hooks>`; absent when config.xml has none. */
  hooks?: Hooks;
}

/** A database as it may be shown in output and logs: no password. */
export function describeDatabase(db: DatabaseConfig): string {
  const where = db.socket ? `socket ${db.socket}` : `${db.host}:${db.port}`;
  return `${db.user}@${where}/${db.name}`;
}

/**
 * The children of config.xml's `<options>`, as one table: the element, the {@link Options}
 * property it fills, how its text is read, its default and what it does. The loader and the
 * tests are driven by this table, so adding an option is one line here (plus config.xml.example).
 */
import type { Options } from './types.js';

interface Common {
  /** The XML element name inside `<options>`. */
  element: string;
  /** Text used when the element is absent, read exactly like the element's text would be. */
  default?: string;
  required?: boolean;
  description: string;
}

/** How an option's text is read. Relative paths resolve against the config file's folder. */
export type OptionDef =
  | (Common & { kind: 'path'; mustExist?: boolean })
  | (Common & { kind: 'int'; min: number; max?: number })
  | (Common & { kind: 'bool' })
  | (Common & { kind: 'string'; pattern: RegExp; allowed: string })
  /** A key or password: never echoed in a message, its `${VAR}`s kept from hooks' environment. */
  | (Common & { kind: 'secret' });

export type OptionKind = OptionDef['kind'];

/** The definitions a property of the given type may have: numbers are ints, booleans bools. */
type DefFor<T> = [NonNullable<T>] extends [number]
  ? Extract<OptionDef, { kind: 'int' }>
  : [NonNullable<T>] extends [boolean]
    ? Extract<OptionDef, { kind: 'bool' }>
    : Extract<OptionDef, { kind: 'path' | 'string' | 'secret' }>;

const IDENTIFIER_CHARS = 'letters, digits, _ and $';

/** Every {@link Options} property must have exactly one entry, of a kind matching its type. */
// biome-ignore format: one line per option
export const OPTION_DEFS = {
  mapFile: { element: 'map_file', kind: 'path', mustExist: true, required: true, description: 'mapping file (JSON) for the data step; not needed when <profile> gives one' },
  settingsMapFile: { element: 'settings_map_file', kind: 'path', mustExist: true, description: 'settings map (JSON) for the settings step' },
  deltalogFile: { element: 'deltalog_file', kind: 'path', mustExist: true, description: 'delta log list (JSON): source tables that get change tracking' },
  profile: { element: 'profile', kind: 'string', pattern: /\S/, allowed: 'a built-in profile name (demo) or a path to a profile module', description: 'migration profile: its map file, settings map, delta log list, steps and handlers; explicit file options override' },
  bulkSize: { element: 'bulk_size', kind: 'int', min: 0, default: '0', description: 'rows per chunk; 0 sizes chunks automatically' },
  concurrency: { element: 'concurrency', kind: 'int', min: 1, max: 64, default: '4', description: 'documents copied at the same time' },
  partRows: { element: 'part_rows', kind: 'int', min: 1, default: '100000', description: 'rows per key range of one document copied in parallel; a smaller document is one range' },
  parallelAutoincInserts: { element: 'parallel_autoinc_inserts', kind: 'bool', default: '0', description: 'write a table with an AUTO_INCREMENT column that is copied in parallel parts with multi-row INSERTs instead of LOAD DATA: they do not take turns on its AUTO-INC lock, but cost the server more CPU' },
  deferIndexesMinRows: { element: 'defer_indexes_min_rows', kind: 'int', min: 0, default: '100000', description: "a document estimated at this many rows or more has its destination table's plain secondary indexes dropped for the copy and built again after it (sorted: much cheaper than row by row); primary, unique, FULLTEXT, SPATIAL and foreign-key indexes always stay; 0 never" },
  directDocumentCopy: { element: 'direct_document_copy', kind: 'bool', default: '0', description: 'copy untransformed documents with INSERT..SELECT when both databases share a server' },
  sourcePrefix: { element: 'source_prefix', kind: 'string', pattern: /^[A-Za-z0-9_$]*$/, allowed: IDENTIFIER_CHARS, default: '', description: 'table name prefix of the source database' },
  destPrefix: { element: 'dest_prefix', kind: 'string', pattern: /^[A-Za-z0-9_$]*$/, allowed: IDENTIFIER_CHARS, default: '', description: 'table name prefix of the destination database' },
  logFile: { element: 'log_file', kind: 'path', description: 'file the run log is appended to; none when absent' },
  progressTable: { element: 'progress_table', kind: 'string', pattern: /^[A-Za-z0-9_$]{1,64}$/, allowed: `1 to 64 ${IDENTIFIER_CHARS}`, default: 'migration_progress', description: 'destination table that records per-document progress' },
  rejectedDir: { element: 'rejected_dir', kind: 'path', default: 'rejected', description: 'folder for rejected/<document>.jsonl files' },
  deltaPollInterval: { element: 'delta_poll_interval', kind: 'int', min: 1, default: '1000', description: 'how often an idle `migrate delta` polls the change logs, in ms' },
  queryTimeout: { element: 'query_timeout', kind: 'int', min: 0, default: '60', description: 'seconds a statement may wait for the server before its connection is closed and the work retried; 0 = no limit' },
  bulkReadTimeout: { element: 'bulk_read_timeout', kind: 'int', min: 0, default: '3600', description: 'the same for statements that scan a whole table (counts, check hashes, the first row of a streamed read); 0 = no limit' },
  stallTimeout: { element: 'stall_timeout', kind: 'int', min: 0, default: '120', description: 'seconds a streamed read may receive nothing while rows are awaited before it is retried; 0 = no limit' },
  lockWaitTimeout: { element: 'lock_wait_timeout', kind: 'int', min: 1, max: 3600, default: '2', description: 'seconds one DDL on the source (tracking install, cleanup) may wait for a table lock before it gives up and retries; the shop waits at most about this long' },
  lockRetryTime: { element: 'lock_retry_time', kind: 'int', min: 0, default: '300', description: 'seconds a source DDL keeps retrying while another session holds its table, before the run stops with TRACKING_LOCK_TIMEOUT' },
  deltaQuietPeriod: { element: 'delta_quiet_period', kind: 'int', min: 0, default: '5000', description: 'how long change logs stay empty before --until-caught-up exits, in ms' },
  maxThreadsRunning: { element: 'max_threads_running', kind: 'int', min: 0, default: '25', description: "copy and delta pause while the source's Threads_running is above this; 0 never" },
  maxReplicaLag: { element: 'max_replica_lag', kind: 'int', min: 0, default: '10', description: 'copy and delta pause while the source, a replica, lags its primary by more seconds; 0 never' },
  throttleFlagFile: { element: 'throttle_flag_file', kind: 'path', description: 'copy and delta pause while this file exists; none when absent' },
  deltaConflict: { element: 'delta_conflict', kind: 'string', pattern: /^(overwrite|keep)$/, allowed: 'overwrite or keep', default: 'overwrite', description: 'what delta does with a destination row it did not write under a key the old store inserted: overwrite it, or keep it (both are recorded)' },
  sourceCryptKey: { element: 'source_crypt_key', kind: 'secret', description: "the old platform's encryption key (Magento 1.9: <crypt><key> of app/etc/local.xml), so the settings step can decrypt the values the settings map lists as encrypted; read from an environment variable, never written into config.xml; never printed" },
  destinationCryptKey: { element: 'destination_crypt_key', kind: 'secret', description: "the new platform's encryption key (Magento 2.4: crypt/key of app/etc/env.php, every key of it, space-separated), so the settings step re-encrypts those values for it; read from an environment variable; never printed" },
  sourceOrphans: { element: 'source_orphans', kind: 'string', pattern: /^(warn|error|off)$/, allowed: 'warn, error or off', default: 'warn', description: "what the integrity stage makes of source rows that break the source's own foreign keys: a warning, an error that stops the run (exit 3), or off (not looked for)" },
} as const satisfies { [K in Exclude<keyof Options, ProfileOnlyOption>]-?: DefFor<Options[K]> };

/** Options only a profile sets (no element in config.xml). */
type ProfileOnlyOption = 'mapFiles';

export type OptionProperty = keyof typeof OPTION_DEFS;

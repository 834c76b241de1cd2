/**
 * The catalogue of every error code the library throws: its exit status, the next step an
 * operator takes when the error itself names none, and what it means. `MigrateError` accepts
 * only these codes (a type error otherwise), so a new code is added here first; README's table
 * "Exit statuses and troubleshooting" lists exactly these codes with these statuses (a test
 * compares them). Codes that are not thrown (integrity problems, rejected rows' reasons,
 * QUERY_TIMEOUT before its retries) are not here.
 */

/** Exit statuses, as fixed by DESIGN.md. */
export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
  integrity: 3,
  volume: 4,
  /** Another run of the same source/destination pair holds the run lock; nothing was done. */
  locked: 5,
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface ErrorCodeEntry {
  exit: ExitCode;
  /** The next step when the error gives no hint of its own. */
  next: string;
  meaning: string;
}

const usage = ExitCode.usage;
const failed = ExitCode.failed;

export const ERROR_CODES = {
  USAGE: { exit: usage, next: 'see migrate --help', meaning: 'a bad command-line option or value' },
  CONFIG_FILE_UNREADABLE: {
    exit: usage,
    next: 'check the path of config.xml (or of the file it names)',
    meaning: 'config.xml or a file it names cannot be read',
  },
  CONFIG_XML_MALFORMED: {
    exit: usage,
    next: 'fix the XML at the line given',
    meaning: 'config.xml is not well-formed XML',
  },
  CONFIG_UNKNOWN_ELEMENT: {
    exit: usage,
    next: 'fix the element name (config.xml.example lists every option)',
    meaning: 'config.xml has an element the tool does not know',
  },
  CONFIG_UNKNOWN_ATTRIBUTE: {
    exit: usage,
    next: 'fix the attribute name (config.xml.example lists them)',
    meaning: 'config.xml has an attribute the tool does not know',
  },
  CONFIG_DUPLICATE_ELEMENT: {
    exit: usage,
    next: 'keep one of the two elements',
    meaning: 'an element appears twice in config.xml',
  },
  CONFIG_MISSING: {
    exit: usage,
    next: 'add the element named (config.xml.example shows it)',
    meaning: 'a required element is missing from config.xml',
  },
  CONFIG_MISSING_ATTRIBUTE: {
    exit: usage,
    next: 'add the attribute named',
    meaning: 'a required attribute is missing from config.xml',
  },
  CONFIG_VALUE_INVALID: {
    exit: usage,
    next: 'fix the value as the message says',
    meaning: 'an option in config.xml has a value it cannot take',
  },
  CONFIG_ENV_UNSET: {
    exit: usage,
    next: 'export the variables named, then run again',
    meaning: 'environment variables that config.xml uses are not set',
  },
  DB_UNREACHABLE: {
    exit: usage,
    next: "check host, port and socket of that side's <database>, and that the server runs",
    meaning: 'nothing answers at the configured address',
  },
  DB_ACCESS_DENIED: {
    exit: usage,
    next: "check user and password of that side's <database>",
    meaning: 'the server refused the user or password',
  },
  DB_UNKNOWN_DATABASE: {
    exit: usage,
    next: "check name of that side's <database>",
    meaning: 'the configured database does not exist',
  },
  DB_CONNECT_FAILED: {
    exit: usage,
    next: "check that side's <database> in config.xml",
    meaning: 'a connection failed for another reason (given)',
  },
  PRIVILEGES_MISSING: {
    exit: usage,
    next: 'run `migrate preflight config.xml`: it prints the GRANTs that fix it',
    meaning: 'a database user lacks a privilege the run needs',
  },
  PREFLIGHT_FAILED: {
    exit: failed,
    next: 'run `migrate preflight config.xml` again; if it repeats, check the server',
    meaning: 'the preflight could not read the server facts it checks',
  },
  MAP_FILE_UNREADABLE: {
    exit: usage,
    next: 'check the path of the mapping file',
    meaning: 'a mapping file cannot be read',
  },
  MAP_FILE_MALFORMED: {
    exit: usage,
    next: 'fix the JSON at the line and column given',
    meaning: 'a mapping file is not valid JSON',
  },
  MAP_FILE_INVALID: {
    exit: usage,
    next: 'fix the entry at the path given',
    meaning: 'a mapping file breaks its schema',
  },
  MAP_FILES_CONFLICT: {
    exit: usage,
    next: 'keep the entry in one of the two map files named',
    meaning: "a profile's map files set the same key, or one ignores a document another maps",
  },
  HANDLER_UNKNOWN: {
    exit: usage,
    next: 'use a built-in handler name or a module path (README, Handlers)',
    meaning: 'a transform names no known handler',
  },
  HANDLER_PARAMS_INVALID: {
    exit: usage,
    next: 'fix "params" of that transform',
    meaning: 'a transform has params its handler refuses',
  },
  HANDLER_MODULE_INVALID: {
    exit: usage,
    next: 'fix the handler module or its path',
    meaning: 'a handler module cannot be loaded or started',
  },
  PROFILE_UNKNOWN: {
    exit: usage,
    next: 'name a built-in profile or a module path in <profile>',
    meaning: '<profile> names no known profile',
  },
  PROFILE_MODULE_INVALID: {
    exit: usage,
    next: 'fix the profile module or its path',
    meaning: 'a profile module cannot be loaded or is not a profile',
  },
  CONFIRMATION_NEEDED: {
    exit: usage,
    next: 'add --yes once you are sure',
    meaning: 'a destructive option needs confirmation and there is no terminal to ask on',
  },
  NOTHING_SELECTED: {
    exit: usage,
    next: 'compare the globs with the names `migrate data --dry-run` prints',
    meaning: '--only / --skip matched no document',
  },
  SETTINGS_MAP_MISSING: {
    exit: usage,
    next: 'add <settings_map_file> to config.xml',
    meaning: 'migrate settings has no settings map',
  },
  SETTINGS_INTEGRITY: {
    exit: ExitCode.integrity,
    next: 'change the settings.json entries each fix line names',
    meaning: "the settings map's integrity check failed; nothing was written",
  },
  SETTINGS_WRITE_REFUSED: {
    exit: failed,
    next: 'fix the value, then run `migrate settings` again (everything was rolled back)',
    meaning: 'the destination refused a setting',
  },
  SETTINGS_PLAN_DRIFT: {
    exit: failed,
    next: 'run `migrate settings` again',
    meaning: 'the settings changed between the plan and the write',
  },
  DESTINATION_NOT_EMPTY: {
    exit: failed,
    next: 'run `migrate data config.xml --reset --only <documents>`, empty the tables yourself, or --skip them',
    meaning: 'destination tables hold rows the tool did not write',
  },
  COPY_FAILED: {
    exit: failed,
    next: 'fix the cause, then run `migrate data config.xml` again: it resumes',
    meaning: 'a part of the copy failed after its retries',
  },
  INDEX_REBUILD_FAILED: {
    exit: failed,
    next: 'fix the cause (server tmpdir space, bulk_read_timeout), then run `migrate data config.xml` again: it builds the indexes first',
    meaning: 'the destination indexes the copy deferred could not be built again',
  },
  DEFERRED_INDEXES_PENDING: {
    exit: failed,
    next: 'run `migrate data config.xml` until it finishes (it builds the indexes), then drop the progress table',
    meaning: 'the progress table records destination indexes the copy dropped and has not built again',
  },
  STEP_FAILED: {
    exit: failed,
    next: 'fix the cause, then run `migrate data config.xml` again: the step resumes',
    meaning: 'an engine step (merge, computed document, profile step) failed',
  },
  PROGRESS_TABLE_UPGRADE: {
    exit: failed,
    next: 'grant the destination user ALTER on the progress table once, then run again',
    meaning: 'the progress table of an earlier version could not be upgraded',
  },
  LEDGER_MISMATCH: {
    exit: failed,
    next: 'run the command again; report a bug if it repeats',
    meaning: "a chunk's rows read did not equal rows written plus rejected; it was rolled back",
  },
  REJECTED_WRITE_FAILED: {
    exit: failed,
    next: 'free space or point <rejected_dir> elsewhere, then run the same command again',
    meaning: 'the rejected-rows file could not be written; the chunk was rolled back',
  },
  REJECTED_FILE_CORRUPT: {
    exit: failed,
    next: 'repair or delete the line named, then retry',
    meaning: '--retry-rejected found a line that is not an entry',
  },
  DELTA_NOT_CONFIGURED: {
    exit: usage,
    next: 'add <deltalog_file> to config.xml and run `migrate data` (it installs tracking first)',
    meaning: 'migrate delta has no delta log list',
  },
  DELTA_DOCUMENT_UNKNOWN: {
    exit: usage,
    next: 'track only documents the map copies',
    meaning: 'deltalog.json names a document that is not copied',
  },
  DELTA_KEY_MISSING: {
    exit: usage,
    next: 'give the document a key in deltalog.json',
    meaning: 'a tracked document has no key',
  },
  DELTA_KEY_UNMAPPED: {
    exit: usage,
    next: 'track by a key the map copies unchanged',
    meaning: "a tracked document's key does not arrive unchanged",
  },
  DELTA_PREFIX_EMPTY: {
    exit: usage,
    next: 'set a non-empty prefix in deltalog.json',
    meaning: 'the change-log prefix is empty',
  },
  DELTA_BEFORE_COPY: {
    exit: failed,
    next: 'run `migrate data` until the copy is complete',
    meaning: 'the bulk copy of a tracked document is not complete',
  },
  STEP_TRACKING_CHANGED: {
    exit: failed,
    next: 'drain delta with the earlier version, then `migrate cleanup config.xml` and reset the steps reading the table',
    meaning: "a step source's change log records other columns than the profile's steps now need",
  },
  CHANGE_LOG_MISSING: {
    exit: failed,
    next: 're-copy the documents named with `migrate data config.xml --reset --only <documents>`',
    meaning: 'change tracking of a document disappeared',
  },
  TRACKING_LOCK_TIMEOUT: {
    exit: failed,
    next: 'let the session named finish or KILL it, then run the same command again',
    meaning: 'installing or removing tracking could not get its table within <lock_retry_time>',
  },
  TRACKING_NAME_TAKEN: {
    exit: failed,
    next: 'rename or drop that trigger, or choose another prefix in deltalog.json',
    meaning: "a trigger of the store's already has one of the tool's trigger names",
  },
  TRACKING_INSTALL_FAILED: {
    exit: failed,
    next: 'fix the cause given, then run `migrate data` again',
    meaning: 'installing change tracking on a document failed',
  },
  STOPPED: {
    exit: ExitCode.interrupted,
    next: 'run the same command again to resume',
    meaning: 'stopped by Ctrl+C while waiting for a table lock',
  },
  RUN_LOCKED: {
    exit: ExitCode.locked,
    next: 'wait for the other run to end, or stop it',
    meaning: 'another run of this source and destination holds the run lock',
  },
  RUN_LOCK_LOST: {
    exit: failed,
    next: 'check the destination server and network, then run the same command again',
    meaning: 'the run lock was lost and could not be taken again',
  },
  CHECK_FAILED: {
    exit: failed,
    next: 'fix the cause, then run the check again',
    meaning: 'the check hit an error',
  },
  CHECK_SCHEMA_CHANGED: {
    exit: failed,
    next: 'run the check again',
    meaning: 'a table changed under the check',
  },
  DEMO_STORE_FAILED: {
    exit: failed,
    next: 'check MIGRATE_DEMO_MYSQL_URL: its user must create databases, tables and triggers',
    meaning: 'the demo could not create its databases',
  },
  CUTOVER_HOOKS_MISSING: {
    exit: usage,
    next: 'add <maintenance_on>, <go_live> and <abort> to <hooks> in config.xml, or run with --rehearse',
    meaning: 'a cut-over that moves traffic needs its three traffic hooks',
  },
  CUTOVER_NOT_READY: {
    exit: failed,
    next: 'finish `migrate data`, let `migrate delta` catch up, then cut over again',
    meaning:
      'a document is not copied or tracked, or too many rows differ before downtime; nothing was touched',
  },
  CUTOVER_NOT_DRAINED: {
    exit: failed,
    next: 'find what still writes to the old shop (its maintenance hook), then cut over again',
    meaning: 'the change logs did not go quiet in the window; the cut-over was aborted',
  },
  CUTOVER_DELTA_FAILED: {
    exit: failed,
    next: 'fix the cause named in the message, then cut over again',
    meaning: 'a document could not be applied in the window; the cut-over was aborted',
  },
  CUTOVER_REJECTED_ROWS: {
    exit: failed,
    next: 'fix the rows in the rejected files, `migrate data <config> --retry-rejected`, then cut over again',
    meaning: 'the destination refused a changed row in the window; the cut-over was aborted',
  },
  CUTOVER_VERIFY_FAILED: {
    exit: ExitCode.volume,
    next: 'repair the documents the message names (it gives the command), then cut over again',
    meaning: "the window's verify found differences; the cut-over was aborted",
  },
  HOOK_FAILED: {
    exit: failed,
    next: 'read the hook output in the log, fix the hook or what it calls, then run again',
    meaning: 'a hook exited non-zero or outlived its timeout',
  },
} as const satisfies Record<string, ErrorCodeEntry>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The codes whose exit status is 2 (bad usage, config or mapping): the only ones a ConfigError takes. */
export type UsageErrorCode = {
  [K in ErrorCode]: (typeof ERROR_CODES)[K]['exit'] extends typeof ExitCode.usage ? K : never;
}[ErrorCode];

/** The exit status a code may be thrown with: its catalogue entry's. */
export type ExitOf<C extends ErrorCode> = (typeof ERROR_CODES)[C]['exit'];

/** True for a code whose exit status is 2, the codes a ConfigError takes. */
export function isUsageErrorCode(code: ErrorCode): code is UsageErrorCode {
  return ERROR_CODES[code].exit === ExitCode.usage;
}

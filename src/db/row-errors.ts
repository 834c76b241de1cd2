/**
 * Which database errors belong to one row (so the row is rejected and the rest of the chunk is
 * written, invariant 4) and which belong to the statement, the connection or the schema (so the
 * caller rolls the whole chunk back and retries or stops). Also reads the warnings a statement
 * left behind, because a warning means a value did not land exactly.
 */
import type { Queryable } from './database.js';

/**
 * Errors caused by the values of one row. A multi-row statement that fails with one of them
 * is rolled back by InnoDB (the statement only; the transaction stays open), and the same
 * rows split in smaller statements find the row that causes it. Names are the server's.
 */
const ROW_LEVEL_ERRORS: ReadonlyMap<number, string> = new Map([
  // The value does not fit its column (strict mode makes these errors, not truncations).
  [1048, 'ER_BAD_NULL_ERROR'],
  [1263, 'ER_WARN_NULL_TO_NOTNULL'],
  [1264, 'ER_WARN_DATA_OUT_OF_RANGE'],
  [1265, 'WARN_DATA_TRUNCATED'],
  [1292, 'ER_TRUNCATED_WRONG_VALUE'],
  [1366, 'ER_TRUNCATED_WRONG_VALUE_FOR_FIELD'],
  [1367, 'ER_ILLEGAL_VALUE_FOR_TYPE'],
  [1406, 'ER_DATA_TOO_LONG'],
  [1411, 'ER_WRONG_VALUE_FOR_TYPE'],
  [1525, 'ER_WRONG_VALUE'],
  [1690, 'ER_DATA_OUT_OF_RANGE'], // an expression over the row's values (generated column, trigger)
  [1300, 'ER_INVALID_CHARACTER_STRING'],
  [1416, 'ER_CANT_CREATE_GEOMETRY_OBJECT'],
  [3037, 'ER_GIS_INVALID_DATA'], // MySQL
  [3643, 'ER_WRONG_SRID_FOR_COLUMN'], // MySQL
  [3140, 'ER_INVALID_JSON_TEXT'], // MySQL's JSON type
  // LOAD DATA: a line with too few or too many fields.
  [1261, 'ER_WARN_TOO_FEW_RECORDS'],
  [1262, 'ER_WARN_TOO_MANY_RECORDS'],
  // The row conflicts with a key or a constraint.
  [1062, 'ER_DUP_ENTRY'],
  [1586, 'ER_DUP_ENTRY_WITH_KEY_NAME'],
  [1859, 'ER_DUP_UNKNOWN_IN_INDEX'],
  [1216, 'ER_NO_REFERENCED_ROW'], // foreign key checks on
  [1452, 'ER_NO_REFERENCED_ROW_2'],
  [1761, 'ER_FOREIGN_DUPLICATE_KEY_WITH_CHILD_INFO'],
  [1762, 'ER_FOREIGN_DUPLICATE_KEY_WITHOUT_CHILD_INFO'],
  [3819, 'ER_CHECK_CONSTRAINT_VIOLATED'], // MySQL CHECK
  // MariaDB CHECK, also the json_valid() check of MariaDB's JSON columns. (MySQL's own 4025 is
  // a DDL error, so on an INSERT this number is always MariaDB's; mysql2 names it after MySQL's.)
  [4025, 'ER_CONSTRAINT_FAILED'],
  [1644, 'ER_SIGNAL_EXCEPTION'], // a trigger of the destination refused the row
]);
// Deliberately absent, so they are rethrown: 1364 ER_NO_DEFAULT_FOR_FIELD (a column missing
// from the statement: every row fails, the plan is wrong), 1054/1146 (schema), 1205/1213 (lock
// wait timeout, deadlock: retry the chunk), 1290/1792 (read-only), 1153/2013 (connection).

/** Names for the numbers of the server's errors and warnings that mysql2 lacks or misnames. */
const OTHER_NAMES: ReadonlyMap<number, string> = new Map([
  [1592, 'ER_BINLOG_UNSAFE_STATEMENT'],
  [1287, 'ER_WARN_DEPRECATED_SYNTAX'],
  [4038, 'ER_JSON_SYNTAX'], // MariaDB
  [4166, 'ER_LOAD_INFILE_CAPABILITY_DISABLED'], // MariaDB
]);

/**
 * Warnings that say nothing about the data written: the binary log's opinion of the statement
 * and deprecation notices. Every other warning or note (truncation, rounding, a NULL made a
 * default) means a value did not land exactly, and is treated like an error.
 */
const HARMLESS_WARNINGS = new Set([1592, 1287]);

/** What the server said, without the statement text knex prefixes to an error's message. */
export interface DatabaseProblem {
  errno: number;
  /** The server's name for it, e.g. ER_DATA_TOO_LONG. */
  code: string;
  /** The server's message, e.g. "Data too long for column 'sku' at row 1". */
  message: string;
}

/** The server's errno, name and message of a driver error; undefined for other errors. */
export function databaseProblem(error: unknown): DatabaseProblem | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { errno, code, sqlMessage } = error as { errno?: unknown; code?: unknown; sqlMessage?: unknown };
  if (typeof errno !== 'number') return undefined;
  return {
    errno,
    code: errorName(errno, typeof code === 'string' ? code : undefined),
    message: typeof sqlMessage === 'string' ? sqlMessage : String((error as { message?: unknown }).message),
  };
}

/**
 * True when the error is caused by the values of a single row (see ROW_LEVEL_ERRORS): the
 * statement failed but the transaction and the connection are fine, and splitting the
 * statement will isolate the row. False for everything else, which the caller must see.
 */
export function isRowLevelError(error: unknown): boolean {
  const problem = databaseProblem(error);
  if (!problem || (error as { fatal?: unknown }).fatal === true) return false;
  return ROW_LEVEL_ERRORS.has(problem.errno);
}

/** The server's name for an error or warning number. */
export function errorName(errno: number, driverName?: string): string {
  return ROW_LEVEL_ERRORS.get(errno) ?? OTHER_NAMES.get(errno) ?? driverName ?? `ERRNO_${errno}`;
}

interface WarningRow {
  Level: string;
  Code: string | number;
  Message: string;
}

const SEVERITY: Record<string, number> = { Error: 3, Warning: 2, Note: 1 };

/**
 * The most severe warning the last statement left that says something about the data, or
 * undefined if it left only harmless ones. `count` is the statement's warning count. Call it
 * right after the statement: any other statement (even ROLLBACK TO SAVEPOINT) clears the list.
 */
export async function dataWarning(
  tx: Pick<Queryable, 'query' | 'execute'>,
  count: number,
): Promise<DatabaseProblem | undefined> {
  const warnings = await tx.query<WarningRow>('SHOW WARNINGS');
  if (warnings.length === 0) {
    return {
      errno: 0,
      code: 'WARNING',
      message: `the statement left ${count} warning(s) that SHOW WARNINGS does not list (is max_error_count 0?)`,
    };
  }
  let worst: WarningRow | undefined;
  for (const warning of warnings) {
    if (HARMLESS_WARNINGS.has(Number(warning.Code))) continue;
    if (!worst || (SEVERITY[warning.Level] ?? 0) > (SEVERITY[worst.Level] ?? 0)) worst = warning;
  }
  if (!worst) return undefined;
  const errno = Number(worst.Code);
  return { errno, code: errorName(errno), message: worst.Message };
}

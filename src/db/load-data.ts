/**
 * The row writer's fast path: one batch as one `LOAD DATA LOCAL INFILE` statement, streamed
 * from memory. LOAD DATA LOCAL cannot stop the client's transfer halfway, so the server loads
 * it as if IGNORE were given even in strict mode: a bad value becomes a warning and is truncated
 * or defaulted, a duplicate row is skipped. So the statement runs after a SAVEPOINT, and any
 * warning or a short row count rolls it back to that savepoint: the caller then writes the
 * batch with INSERTs, which find and reject the bad rows one by one.
 */
import { Readable } from 'node:stream';
import type { Value } from '../handlers/contract.js';
import { BINARY_TYPES, GEOMETRY_TYPES, INTEGER_TYPES, TEXT_TYPES } from './column-types.js';
import type { ExecuteResult, Queryable } from './database.js';
import { columnList, quoteIdentifier } from './identifiers.js';
import { LOAD_DATA_PACKET_BYTES, loadDataChunks, RawLoadData } from './load-data-text.js';
import { databaseProblem, dataWarning, isRowLevelError } from './row-errors.js';
import { sqlString } from './sql-literal.js';

/** Where LOAD DATA streams come from: the destination Database (see Database.registerInfile). */
export interface InfileRegistry {
  registerInfile(stream: Readable): string;
}

/**
 * The columns' data types (information_schema DATA_TYPE, e.g. `varchar`) that the round-trip
 * tests of test/db/row-writer.test.ts prove to load exactly through LOAD DATA, on the same
 * footing as INSERT. A type not listed (MariaDB's INET6/UUID, MySQL's VECTOR, anything new)
 * has not been proven, so a table with one is written by INSERTs.
 */
const LOAD_DATA_TYPES = new Set<string>([
  ...INTEGER_TYPES,
  'decimal',
  'float',
  'double',
  'bit',
  'date',
  'datetime',
  'timestamp',
  'time',
  'year',
  ...TEXT_TYPES,
  ...BINARY_TYPES,
  'enum',
  'set',
  'json',
  ...GEOMETRY_TYPES,
]);

/** True when every column type is known to travel through LOAD DATA exactly. */
export function loadDataSafe(columnTypes: readonly string[]): boolean {
  return columnTypes.every((type) => LOAD_DATA_TYPES.has(type.toLowerCase()));
}

/**
 * Refusals of LOAD DATA LOCAL itself, not of the data: 1148 ER_NOT_ALLOWED_COMMAND (older
 * servers), 3948 ER_CLIENT_LOCAL_FILES_DISABLED (MySQL 8), 4166 ER_LOAD_INFILE_CAPABILITY_DISABLED
 * (MariaDB 10.5+); all of them mean local_infile is off. No row was read.
 */
const REFUSED = new Set([1148, 3948, 4166]);

export function isLoadDataRefused(error: unknown): boolean {
  const problem = databaseProblem(error);
  return problem !== undefined && REFUSED.has(problem.errno);
}

/** The savepoint the row writer sets before a statement it may have to take back. */
export const SAVEPOINT = quoteIdentifier('store_migrate_row_writer');

/** How one LOAD DATA attempt ended. */
export type LoadDataOutcome =
  | { kind: 'written' }
  /** A value did not land exactly (an error or a warning); nothing of the batch is left written. */
  | { kind: 'rows-refused' }
  /** The server does not allow LOAD DATA LOCAL; nothing was written. */
  | { kind: 'refused' };

/**
 * Loads `rows` into `table` in one LOAD DATA LOCAL statement through `tx`, which must be a
 * transaction (the savepoint lives in it). Errors that are neither about rows nor a refusal
 * (deadlock, lost connection, missing table, ...) are thrown unchanged.
 */
export async function loadDataRows(
  tx: Pick<Queryable, 'query' | 'execute'>,
  infiles: InfileRegistry,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly Value[])[] | RawLoadData,
): Promise<LoadDataOutcome> {
  const text =
    rows instanceof RawLoadData ? rows.text.values() : loadDataChunks(rows, LOAD_DATA_PACKET_BYTES);
  const source = detachableStream(text);
  const name = infiles.registerInfile(source.stream);
  const sql = loadDataStatement(name, table, columns);
  await tx.execute(`SAVEPOINT ${SAVEPOINT}`);
  let result: ExecuteResult;
  try {
    result = await tx.execute(sql);
  } catch (error) {
    if (isLoadDataRefused(error)) return { kind: 'refused' };
    if (!isRowLevelError(error)) throw error;
    await tx.execute(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
    return { kind: 'rows-refused' };
  } finally {
    // The registry keeps a stream the server never asked for (the statement failed first);
    // detached, it holds no rows.
    source.detach();
  }
  if (result.affectedRows === rows.length && result.warningStatus === 0) return { kind: 'written' };
  const warning = result.warningStatus > 0 ? await dataWarning(tx, result.warningStatus) : undefined;
  if (result.affectedRows === rows.length && warning === undefined) return { kind: 'written' };
  await tx.execute(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
  return { kind: 'rows-refused' };
}

/** The statement that reads the text of loadDataChunks from the registered stream `name` into `table`. */
export function loadDataStatement(name: string, table: string, columns: readonly string[]): string {
  return (
    `LOAD DATA LOCAL INFILE ${sqlString(name)} INTO TABLE ${quoteIdentifier(table)} CHARACTER SET utf8mb4 ` +
    `FIELDS TERMINATED BY '\\t' ENCLOSED BY '' ESCAPED BY '\\\\' LINES STARTING BY '' TERMINATED BY '\\n' ` +
    `(${columnList(columns)})`
  );
}

/** A byte stream over `chunks` that can be cut loose from them (it then ends at once). */
function detachableStream(chunks: Iterator<Buffer>): { stream: Readable; detach(): void } {
  let source: Iterator<Buffer> | undefined = chunks;
  const stream = new Readable({
    read() {
      let next: IteratorResult<Buffer> | undefined;
      try {
        next = source?.next();
      } catch (error) {
        this.destroy(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      this.push(next === undefined || next.done ? null : next.value);
    },
  });
  return {
    stream,
    detach() {
      source?.return?.(undefined);
      source = undefined;
    },
  };
}

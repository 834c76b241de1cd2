/**
 * The destination row writer, the hot path of the bulk copy: writes a batch of rows into one
 * table inside the caller's transaction (which commits the chunk's progress mark with it,
 * invariant 2), with multi-row INSERTs sized in bytes below max_allowed_packet, or with one
 * LOAD DATA LOCAL INFILE statement. Plain INSERT only: no REPLACE, no IGNORE, no ON DUPLICATE
 * KEY UPDATE (invariant 3). A row the destination refuses is isolated by splitting the statement
 * and comes back as a RejectedRow with the server's message, the others are written
 * (invariant 4); so does a row too large for max_allowed_packet on either path, before anything
 * is sent (a LOAD DATA line the server cannot hold breaks the connection, not just the row). Values are written exactly as read (invariant 6): a statement that leaves a
 * warning (a rounded decimal, say) is taken back and its rows are treated like refused ones.
 * Every row is accounted for: written + rejected = rows given (the caller's ledger holds it).
 * The session must keep unique checks on (plan-stage.ts): with them off, MariaDB 10.6+ writes
 * the first transaction into an empty table as one bulk operation, and a key collision in it
 * fails the whole chunk at commit (INSERT, LOAD DATA) or, with INSERT ... SELECT, loses it
 * without an error, where no split can find the row.
 * Rows kept as the source's bytes (writeRawRows, writeRawInsertValues) obey the same rules:
 * anything but a clean LOAD DATA or clean INSERTs goes through their values and the same code.
 */
import type { Value } from '../handlers/contract.js';
import type { Queryable } from './database.js';
import { columnList, quoteIdentifier } from './identifiers.js';
import type { RawInsertValues } from './insert-values-text.js';
import { type InfileRegistry, loadDataRows, SAVEPOINT } from './load-data.js';
import {
  loadDataLineBytes,
  loadDataLineBytesAtMost,
  type RawLoadData,
  rawLoadDataLineBytesAtMost,
} from './load-data-text.js';
import type { RawRows } from './raw-rows.js';
import { type DatabaseProblem, databaseProblem, dataWarning, isRowLevelError } from './row-errors.js';
import { sqlLiteral } from './sql-literal.js';

export { type InfileRegistry, loadDataSafe } from './load-data.js';
export { isRowLevelError } from './row-errors.js';

/** A row the destination refused, with the server's reason. */
export interface RejectedRow {
  values: Value[];
  /** The database's message, e.g. "Data too long for column 'sku' at row 1". */
  error: string;
  /** The server's name for it, e.g. ER_DATA_TOO_LONG; ER_NET_PACKET_TOO_LARGE for a row too big to send. */
  code: string;
  /** The server's error or warning number (0 when the writer itself refused the row). */
  errno: number;
}

export interface WriteResult {
  /** Rows now in the table (in the caller's transaction). */
  written: number;
  rejected: RejectedRow[];
  /**
   * The method in force for this table, to pass on as useLoadData for the next batch:
   * 'load-data' when LOAD DATA was asked for and the server allows it (also when a refused row
   * made this one batch go through INSERTs, see fellBack); 'insert' when INSERTs were asked
   * for, or the server refuses LOAD DATA LOCAL (local_infile off), which is for good.
   */
  method: 'insert' | 'load-data';
  /** True when LOAD DATA did not take this batch exactly (a row was refused) and INSERTs wrote it. */
  fellBack: boolean;
  /**
   * True when the server refused LOAD DATA LOCAL (local_infile off): pass useLoadData: false from
   * now on. The writer also remembers it per InfileRegistry and does not ask again.
   */
  loadDataRefused: boolean;
  /** INSERT and LOAD DATA statements sent, including those the split of refused rows took. */
  statements: number;
}

export interface RowWriterOptions {
  /** The destination table, in the transaction's current database. */
  table: string;
  /** The columns each row's values are in, in order. */
  columns: readonly string[];
  /** The destination session's @@max_allowed_packet: no INSERT statement comes near it. */
  maxAllowedPacket: number;
  /** Try LOAD DATA LOCAL INFILE first (see loadDataSafe for the tables that may). */
  useLoadData: boolean;
  /** Required with useLoadData: the destination Database, which hands streams to the driver. */
  infiles?: InfileRegistry;
}

/**
 * Bytes an INSERT statement aims for. Measured on MariaDB 10.11 with 200,000 rows of 20
 * columns (about 290 bytes a row as SQL) in transactions of 10,000 rows: 128 KB to 512 KB
 * statements wrote about 60,000 rows/s, 1 MB and larger about 54,000. 512 KB keeps round trips
 * few, and the statements a refused row makes the writer split (and that knex copies into the
 * message of every error) small.
 */
export const TARGET_STATEMENT_BYTES = 512 * 1024;

/** How often one statement is split at a row the server named before it is halved instead. */
const NAMED_ROW_SPLITS = 4;

/** Room left in a packet beyond the SQL text: the command byte, with margin. */
const PACKET_HEADROOM = 1024;

/** What the writer needs of a transaction. */
export type Statements = Pick<Queryable, 'query' | 'execute'>;

/** Registries whose server refused LOAD DATA LOCAL: the writer uses INSERTs for them. */
const refusedRegistries = new WeakSet<InfileRegistry>();

/**
 * Writes `rows` (each an array of values in `options.columns` order) into `options.table`
 * through `tx`, which must be a transaction of the destination owned by the caller: the
 * writer sets and rolls back to savepoints in it but never commits or rolls it back.
 *
 * Rows the destination refuses (see isRowLevelError, and any warning about a value) come back
 * in `rejected`; every other row is written. Any other error (deadlock, lock wait timeout,
 * lost connection, missing table, read-only server, ...) is thrown unchanged (its `sqlMessage`
 * holds the server's text; knex puts the whole statement before it in `message`): roll the
 * transaction back and retry or stop.
 */
export async function writeRows(
  tx: Statements,
  rows: readonly (readonly Value[])[],
  options: RowWriterOptions,
): Promise<WriteResult> {
  checkShape(rows, options);
  const result: WriteResult = {
    written: 0,
    rejected: [],
    method: 'insert',
    fellBack: false,
    loadDataRefused: false,
    statements: 0,
  };
  if (rows.length === 0) return result;

  if (options.useLoadData) {
    const infiles = options.infiles;
    if (!infiles) {
      throw new TypeError('writeRows: useLoadData needs options.infiles (the destination Database)');
    }
    if (refusedRegistries.has(infiles)) {
      result.loadDataRefused = true;
    } else {
      const loadable = withoutOversizedLines(rows, options.maxAllowedPacket, result);
      if (loadable.length === 0) {
        result.method = 'load-data';
        return result;
      }
      result.statements++;
      const outcome = await loadDataRows(tx, infiles, options.table, options.columns, loadable);
      if (outcome.kind === 'refused') {
        refusedRegistries.add(infiles);
        result.loadDataRefused = true;
        result.rejected = []; // the INSERTs below judge every row again, by their own measure
      } else {
        result.method = 'load-data';
        if (outcome.kind === 'written') {
          result.written = loadable.length;
          await tx.execute(`RELEASE SAVEPOINT ${SAVEPOINT}`);
          return result;
        }
        result.fellBack = true; // the INSERTs below find the refused rows
        await new InsertWriter(tx, options, result).write(loadable);
        await tx.execute(`RELEASE SAVEPOINT ${SAVEPOINT}`);
        return result;
      }
    }
  }

  await new InsertWriter(tx, options, result).write(rows);
  // Every statement was preceded by the savepoint; a batch of only oversized rows sent none.
  if (result.statements > 0) await tx.execute(`RELEASE SAVEPOINT ${SAVEPOINT}`);
  return result;
}

/**
 * writeRows for rows kept as the server's bytes (src/db/raw-rows.ts) with their LOAD DATA text
 * (rawLoadData, which checked it is valid UTF-8): LOAD DATA takes them without a value per field. Every
 * other case (INSERTs asked for, a server that refuses LOAD DATA LOCAL, a row that might not fit
 * in a packet, a row the server refuses) goes through the rows' values and the same code as
 * writeRows, so the outcome is the same as writeRows(tx, raw.values(), options).
 */
export async function writeRawRows(
  tx: Statements,
  data: RawLoadData,
  options: RowWriterOptions,
): Promise<WriteResult> {
  const raw = data.rows;
  const infiles = options.infiles;
  const fits = rawLoadDataLineBytesAtMost(raw) <= options.maxAllowedPacket - PACKET_HEADROOM;
  if (
    !options.useLoadData ||
    !infiles ||
    refusedRegistries.has(infiles) ||
    raw.length === 0 ||
    raw.columns !== options.columns.length ||
    !fits
  ) {
    return writeRows(tx, raw.values(), options);
  }
  const result: WriteResult = {
    written: 0,
    rejected: [],
    method: 'load-data',
    fellBack: false,
    loadDataRefused: false,
    statements: 1,
  };
  const outcome = await loadDataRows(tx, infiles, options.table, options.columns, data);
  if (outcome.kind === 'refused') {
    refusedRegistries.add(infiles);
    const inserted = await writeRows(tx, raw.values(), options);
    return { ...inserted, statements: inserted.statements + 1 };
  }
  return settleRawChunk(tx, raw, options, result, outcome.kind === 'rows-refused');
}

/**
 * writeRows for rows kept as the server's bytes with their INSERT tuples (insert-values-text.ts):
 * one multi-row INSERT per body, after one savepoint, without a value per field. A statement
 * that might not fit in a packet, a row the server refuses or a warning about a value sends the
 * chunk through its values and the same code as writeRows (the savepoint takes back what went
 * in), so the outcome is the same as writeRows(tx, raw.values(), options). `method` stays what
 * was asked for: LOAD DATA is still in force for the table's chunks that need it.
 */
export async function writeRawInsertValues(
  tx: Statements,
  data: RawInsertValues,
  options: RowWriterOptions,
): Promise<WriteResult> {
  const raw = data.rows;
  const prefix = insertPrefix(options);
  const room = options.maxAllowedPacket - PACKET_HEADROOM - Buffer.byteLength(prefix);
  if (raw.length === 0 || raw.columns !== options.columns.length || data.bodyBytes.some((b) => b > room)) {
    return writeRows(tx, raw.values(), options);
  }
  const result: WriteResult = {
    written: 0,
    rejected: [],
    method: options.useLoadData ? 'load-data' : 'insert',
    fellBack: false,
    loadDataRefused: false,
    statements: 0,
  };
  await tx.execute(`SAVEPOINT ${SAVEPOINT}`);
  let refused = false;
  for (const body of data.bodies) {
    result.statements++;
    let warnings: number;
    try {
      warnings = (await tx.execute(prefix + body)).warningStatus;
    } catch (error) {
      if (!isRowLevelError(error)) throw error;
      refused = true; // InnoDB has rolled the statement back; the savepoint takes back the others
      break;
    }
    if (warnings > 0 && (await dataWarning(tx, warnings)) !== undefined) {
      refused = true;
      break;
    }
  }
  if (refused) await tx.execute(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
  return settleRawChunk(tx, raw, options, result, refused);
}

/**
 * The end of a chunk written from its bytes after SAVEPOINT: when the server refused a row the
 * chunk goes through its values and the INSERT writer, which finds the refused rows; otherwise
 * every row is in.
 */
async function settleRawChunk(
  tx: Statements,
  raw: RawRows,
  options: RowWriterOptions,
  result: WriteResult,
  refused: boolean,
): Promise<WriteResult> {
  if (refused) {
    result.fellBack = true;
    await new InsertWriter(tx, options, result).write(raw.values());
  } else {
    result.written = raw.length;
  }
  await tx.execute(`RELEASE SAVEPOINT ${SAVEPOINT}`);
  return result;
}

/** `INSERT INTO t (columns) VALUES `: what every statement of the INSERT path starts with. */
function insertPrefix(options: RowWriterOptions): string {
  return `INSERT INTO ${quoteIdentifier(options.table)} (${columnList(options.columns)}) VALUES `;
}

/**
 * The rows whose LOAD DATA line fits in max_allowed_packet; the others go to `result.rejected`
 * with the reason, as the INSERT path rejects a row too large for any statement.
 */
function withoutOversizedLines(
  rows: readonly (readonly Value[])[],
  maxAllowedPacket: number,
  result: WriteResult,
): readonly (readonly Value[])[] {
  const limit = maxAllowedPacket - PACKET_HEADROOM;
  let loadable: (readonly Value[])[] | undefined;
  for (const [i, row] of rows.entries()) {
    const fits = loadDataLineBytesAtMost(row) <= limit || loadDataLineBytes(row) <= limit;
    if (fits) {
      loadable?.push(row);
      continue;
    }
    loadable ??= rows.slice(0, i);
    result.rejected.push({
      values: [...row],
      errno: 0,
      code: 'ER_NET_PACKET_TOO_LARGE',
      error:
        `the row needs ${loadDataLineBytes(row)} bytes as a LOAD DATA line, more than max_allowed_packet ` +
        `(${maxAllowedPacket} bytes) allows; raise max_allowed_packet on the destination server and copy this row again`,
    });
  }
  return loadable ?? rows;
}

function checkShape(rows: readonly (readonly Value[])[], options: RowWriterOptions): void {
  if (options.columns.length === 0) throw new TypeError('writeRows: no columns');
  for (const row of rows) {
    if (row.length !== options.columns.length) {
      throw new TypeError(`writeRows: a row has ${row.length} values for ${options.columns.length} columns`);
    }
  }
}

/** One row rendered as an INSERT tuple, with its size in bytes. */
interface Tuple {
  values: readonly Value[];
  sql: string;
  bytes: number;
}

/** The INSERT path: statements grouped by bytes, split when one is refused. */
class InsertWriter {
  private readonly prefix: string;
  private readonly prefixBytes: number;
  /** Bytes a statement aims for. */
  private readonly target: number;
  /** Bytes no statement may exceed. */
  private readonly limit: number;

  constructor(
    private readonly tx: Statements,
    private readonly options: RowWriterOptions,
    private readonly result: WriteResult,
  ) {
    this.prefix = insertPrefix(options);
    this.prefixBytes = Buffer.byteLength(this.prefix);
    this.limit = options.maxAllowedPacket - PACKET_HEADROOM;
    this.target = Math.min(TARGET_STATEMENT_BYTES, this.limit);
    if (this.limit < this.prefixBytes + 64) {
      throw new RangeError(
        `writeRows: maxAllowedPacket ${options.maxAllowedPacket} is too small for any row`,
      );
    }
  }

  async write(rows: readonly (readonly Value[])[]): Promise<void> {
    let group: Tuple[] = [];
    let groupBytes = this.prefixBytes;
    for (const values of rows) {
      const tuple = render(values);
      if (this.prefixBytes + tuple.bytes > this.limit) {
        this.reject(values, {
          errno: 0,
          code: 'ER_NET_PACKET_TOO_LARGE',
          message:
            `the row needs ${this.prefixBytes + tuple.bytes} bytes as an INSERT statement, more than ` +
            `max_allowed_packet (${this.options.maxAllowedPacket} bytes) allows; raise max_allowed_packet ` +
            'on the destination server and copy this row again',
        });
        continue;
      }
      // +1 for the comma between tuples
      if (group.length > 0 && groupBytes + 1 + tuple.bytes > this.target) {
        await this.insert(group);
        group = [];
        groupBytes = this.prefixBytes;
      }
      groupBytes += (group.length > 0 ? 1 : 0) + tuple.bytes;
      group.push(tuple);
    }
    if (group.length > 0) await this.insert(group);
  }

  /**
   * Inserts `tuples` in one statement. When the server refuses it, the refused row is found by
   * splitting: at the row the server names ("... at row 7": the rows before it went in, so they
   * go again in one statement, the named row alone, the rest on its own), or else in halves,
   * down to single rows, which are rejected. `hints` bounds the splits at a named row, which
   * resend the rest of the statement each time: a statement with many bad rows is halved instead.
   */
  private async insert(tuples: readonly Tuple[], hints = NAMED_ROW_SPLITS): Promise<void> {
    const problem = await this.attempt(tuples);
    if (problem === undefined) {
      this.result.written += tuples.length;
      return;
    }
    if (tuples.length === 1) {
      this.reject((tuples[0] as Tuple).values, problem);
      return;
    }
    const named = hints > 0 ? namedRow(problem, tuples.length) : undefined;
    if (named !== undefined) {
      if (named > 0) await this.insert(tuples.slice(0, named), 0);
      await this.insert(tuples.slice(named, named + 1));
      if (named + 1 < tuples.length) await this.insert(tuples.slice(named + 1), hints - 1);
      return;
    }
    const half = Math.ceil(tuples.length / 2);
    await this.insert(tuples.slice(0, half), hints);
    await this.insert(tuples.slice(half), hints);
  }

  /** Runs one INSERT; returns why its rows were refused (nothing is then left written), or undefined. */
  private async attempt(tuples: readonly Tuple[]): Promise<DatabaseProblem | undefined> {
    let sql = this.prefix + (tuples[0] as Tuple).sql;
    for (let i = 1; i < tuples.length; i++) sql += ',' + (tuples[i] as Tuple).sql;
    await this.tx.execute(`SAVEPOINT ${SAVEPOINT}`);
    this.result.statements++;
    let warnings: number;
    try {
      warnings = (await this.tx.execute(sql)).warningStatus;
    } catch (error) {
      // InnoDB has rolled the statement back; the transaction goes on.
      if (isRowLevelError(error)) return databaseProblem(error);
      throw error;
    }
    if (warnings === 0) return undefined;
    const warning = await dataWarning(this.tx, warnings);
    if (warning !== undefined) await this.tx.execute(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
    return warning;
  }

  private reject(values: readonly Value[], problem: DatabaseProblem): void {
    this.result.rejected.push({
      values: [...values],
      error: problem.message,
      code: problem.code,
      errno: problem.errno,
    });
  }
}

/**
 * The 0-based index of the tuple a message names ("Data too long for column 'sku' at row 7"
 * counts the tuples of a multi-row INSERT from 1), if it names one within the statement.
 * Duplicate-key and NOT NULL errors name no row.
 */
function namedRow(problem: DatabaseProblem, tuples: number): number | undefined {
  const match = / at row (\d+)$/.exec(problem.message);
  if (!match) return undefined;
  const row = Number(match[1]);
  return row >= 1 && row <= tuples ? row - 1 : undefined;
}

function render(values: readonly Value[]): Tuple {
  let sql = '(' + sqlLiteral(values[0] as Value);
  for (let i = 1; i < values.length; i++) sql += ',' + sqlLiteral(values[i] as Value);
  sql += ')';
  return { values, sql, bytes: Buffer.byteLength(sql) };
}

/**
 * One side's connection pool (knex over mysql2), with the session every connection of the
 * tool must have: UTC time zone, a deliberate sql_mode that keeps zero dates and id 0,
 * utf8mb4, and values read as strings and Buffers so they round-trip exactly (invariant 6).
 * Bindings are put into the statement by bindPlaceholders before knex sees it, so a `?` in a
 * value or a name is never taken for a placeholder.
 */
import type { Readable } from 'node:stream';
import knexFactory, { type Knex } from 'knex';
import type { ConnectionOptions } from 'mysql2';
import type { DatabaseConfig } from '../config/types.js';
import { describeDatabase } from '../config/types.js';
import type { Value } from '../handlers/contract.js';
import { bindPlaceholders } from './bind-placeholders.js';
import { translateConnectError } from './connect-errors.js';
import { connectionOptions } from './connection-options.js';
import {
  exactRows,
  exactTextCast,
  mayHaveReplacedBytes,
  type ResultField,
  textColumns,
} from './exact-text.js';
import { RawRowReader, type RawRows } from './raw-rows.js';
import { EXACT_VALUES, readValuesAsText } from './type-cast.js';
import {
  BULK_STATEMENT,
  ROW_READER,
  type StatementLimits,
  type WatchedClient,
  watchedClient,
} from './watched-client.js';

export type Side = 'source' | 'destination';

/** The column flag (ZEROFILL_FLAG in the protocol) of an integer column the server pads with zeros. */
const ZEROFILL_FLAG = 64;

/**
 * STRICT: a value the destination cannot hold is an error (a rejected row), never silently
 * truncated. No NO_ZERO_DATE / NO_ZERO_IN_DATE: zero dates are copied as they are.
 * NO_AUTO_VALUE_ON_ZERO: id 0 (Magento's admin store and website) stays 0.
 */
export const SESSION_SQL_MODE = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION,NO_AUTO_VALUE_ON_ZERO';

export interface SessionOptions {
  /** Source reads run in read-only transactions, so the tool cannot write there by mistake. */
  readOnly?: boolean;
  /** Off during a bulk copy: rows arrive in table order, not dependency order. */
  foreignKeyChecks?: boolean;
  uniqueChecks?: boolean;
  /**
   * READ COMMITTED: an `INSERT ... SELECT` from the live source then reads a snapshot instead
   * of share-locking the source rows, so the shop's own writes are not held up by the copy.
   */
  readCommitted?: boolean;
}

export interface OpenOptions {
  side: Side;
  /** The connection budget of this side. */
  poolSize: number;
  session?: SessionOptions;
  /** How long a statement may wait for the server (see watched-client.ts); DEFAULT_LIMITS otherwise. */
  limits?: Partial<StatementLimits>;
}

/** query_timeout, bulk_read_timeout and stall_timeout's defaults (see src/config/options.ts). */
export const DEFAULT_LIMITS: StatementLimits = {
  statementMs: 60_000,
  bulkMs: 3_600_000,
  stallMs: 120_000,
};

/** Lets a streamed read notice Ctrl+C while it waits for rows (the CLI's StopSignal fits). */
export interface StreamOptions {
  stop?: { readonly requested: boolean };
}

/** A streamed read ended because a stop was requested: its rows are incomplete, nothing is wrong. */
export class ReadStopped extends Error {
  constructor() {
    super('the read was stopped (Ctrl+C)');
    this.name = 'ReadStopped';
  }
}

/** How often a streamed read looks at its stop signal while it waits. */
const STOP_CHECK_MS = 200;

/** Anything that runs SQL: the pool itself or a transaction. */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, bindings?: readonly unknown[]): Promise<T[]>;
  /** Rows as arrays in select-list order: no per-row objects on the hot path. */
  queryArrays(sql: string, bindings?: readonly unknown[]): Promise<Value[][]>;
  execute(sql: string, bindings?: readonly unknown[]): Promise<ExecuteResult>;
}

export interface ExecuteResult {
  affectedRows: number;
  insertId: number;
  warningStatus: number;
}

export class Database implements Queryable {
  private readonly infiles = new Map<string, Readable>();
  private infileCounter = 0;

  /**
   * The same statements with bulk_read_timeout instead of query_timeout: for counts, hashes and
   * other statements whose time grows with a whole table rather than a chunk.
   */
  readonly bulk: Queryable = {
    query: <T>(sql: string, bindings: readonly unknown[] = []) =>
      queryOn<T>(this.knex, sql, bindings, BULK_STATEMENT),
    queryArrays: (sql: string, bindings: readonly unknown[] = []) =>
      queryArraysOn(this.knex, sql, bindings, BULK_STATEMENT),
    execute: (sql: string, bindings: readonly unknown[] = []) =>
      executeOn(this.knex, sql, bindings, BULK_STATEMENT),
  };

  private constructor(
    readonly knex: Knex,
    readonly config: DatabaseConfig,
    readonly side: Side,
    private readonly watched: WatchedClient,
  ) {}

  /**
   * Ends every statement in flight at once (they fail with StatementInterrupted, their
   * transactions roll back): for Ctrl+C while a server does not answer. Returns how many.
   */
  interrupt(): number {
    return this.watched.interrupt();
  }

  /** Opens a pool and proves it works with one round trip; connection problems become one clear error. */
  static async open(config: DatabaseConfig, options: OpenOptions): Promise<Database> {
    const session = options.session ?? {};
    let db: Database | undefined;
    const connection: ConnectionOptions = {
      ...connectionOptions(config),
      decimalNumbers: false,
      jsonStrings: true,
      // typeCast is given per query (EXACT_VALUES), not here: a connection-wide callback would
      // also run for the bulk copy's reads, which are cheaper without one (queryArraysParsed).
      infileStreamFactory: (path: string) => {
        const stream = db?.takeInfile(path);
        if (!stream) throw new Error(`no LOAD DATA stream registered under ${path}`);
        return stream;
      },
    };
    const watched = watchedClient(options.side, { ...DEFAULT_LIMITS, ...options.limits });
    const knex = knexFactory({
      client: watched.client,
      connection: connection as Knex.StaticConnectionConfig,
      pool: {
        min: 0,
        max: Math.max(1, options.poolSize),
        afterCreate: (conn: RawConnection, done: (err: Error | null, conn: RawConnection) => void) => {
          const statements = sessionStatements(session);
          const next = (err: Error | null) => {
            const statement = statements.shift();
            if (err || !statement) done(err, conn);
            else conn.query(statement, next);
          };
          next(null);
        },
      },
      acquireConnectionTimeout: 60_000,
      log: { warn: () => {}, deprecate: () => {}, debug: () => {}, error: () => {} },
    });
    db = new Database(knex, config, options.side, watched);
    try {
      await db.query('SELECT 1');
    } catch (error) {
      await knex.destroy().catch(() => {});
      throw translateConnectError(error, config, options.side);
    }
    return db;
  }

  /** The database (schema) name this side works in. */
  get schema(): string {
    return this.config.name;
  }

  /** For output and logs: never contains the password. */
  describe(): string {
    return describeDatabase(this.config);
  }

  async query<T = Record<string, unknown>>(sql: string, bindings: readonly unknown[] = []): Promise<T[]> {
    return queryOn<T>(this.knex, sql, bindings);
  }

  async queryArrays(sql: string, bindings: readonly unknown[] = []): Promise<Value[][]> {
    return queryArraysOn(this.knex, sql, bindings);
  }

  /**
   * queryArrays for a select list that driverParsedColumns accepts: mysql2's compiled parser
   * reads it without a per-value callback, and the integer columns it returns as (exact) JS
   * numbers are turned back into the text the server sent (ZEROFILL columns padded to their
   * width), so callers see the same values as queryArrays.
   */
  async queryArraysParsed(
    sql: string,
    bindings: readonly unknown[],
    integerColumns: readonly number[],
  ): Promise<Value[][]> {
    const [rows, fields] = (await this.knex
      .raw(bindPlaceholders(sql, bindings))
      .options({ rowsAsArray: true })) as [
      unknown[][],
      ReadonlyArray<ResultField & { flags: number; columnLength: number }>,
    ];
    if (mayHaveReplacedBytes(rows as Value[][], textColumns(fields))) {
      return rereadExact(this.knex, sql, bindings, {});
    }
    const widths = integerColumns.map((i) => {
      const field = fields[i];
      return field && (field.flags & ZEROFILL_FLAG) !== 0 ? field.columnLength : 0;
    });
    for (const row of rows) {
      for (const [n, i] of integerColumns.entries()) {
        const value = row[i];
        if (typeof value === 'number') row[i] = String(value).padStart(widths[n] ?? 0, '0');
      }
    }
    return rows as Value[][];
  }

  /**
   * Rows kept as the server's bytes (raw-rows.ts): `sql` must be a SELECT whose select list
   * starts with ROW_MARKER, followed by `columns` columns; the marker is not among the result's.
   */
  async queryRaw(sql: string, bindings: readonly unknown[], columns: number): Promise<RawRows> {
    const reader = new RawRowReader();
    let rows: unknown[];
    let fields: ResultField[];
    try {
      [rows, fields] = (await this.knex
        .raw(bindPlaceholders(sql, bindings))
        .options({ rowsAsArray: true, [ROW_READER]: reader })) as [unknown[], ResultField[]];
    } catch (error) {
      reader.abandon();
      throw error;
    }
    if (fields.length !== columns + 1 || rows.length !== reader.count) {
      reader.abandon();
      throw new Error(
        fields.length !== columns + 1
          ? `queryRaw: the select list has ${fields.length} columns, expected the marker and ${columns}`
          : `queryRaw: the driver read ${rows.length} rows, the row reader ${reader.count} (a mysql2 version it does not know?)`,
      );
    }
    return reader.finish(fields.slice(1));
  }

  async execute(sql: string, bindings: readonly unknown[] = []): Promise<ExecuteResult> {
    return executeOn(this.knex, sql, bindings);
  }

  /**
   * Streams a large result row by row (arrays), for tables that cannot be paged by key. It
   * fails (and the retry rules take over) when the connection is lost, when the server sends
   * nothing for stall_timeout while rows are awaited, or the first row takes longer than
   * bulk_read_timeout; it throws ReadStopped soon after `options.stop` is requested.
   */
  async *streamArrays(
    sql: string,
    bindings: readonly unknown[] = [],
    options: StreamOptions = {},
  ): AsyncGenerator<Value[]> {
    const stream = this.knex
      .raw(bindPlaceholders(sql, bindings))
      .options({ rowsAsArray: true, typeCast: exactTextCast(readValuesAsText), ...BULK_STATEMENT })
      .stream() as unknown as Readable;
    const stop = options.stop;
    const watch = stop
      ? setInterval(() => {
          if (stop.requested) stream.destroy(new ReadStopped());
        }, STOP_CHECK_MS)
      : undefined;
    try {
      for await (const row of stream) yield row as Value[];
    } finally {
      clearInterval(watch);
      stream.destroy();
    }
  }

  /**
   * Runs `work` in one transaction on one connection: commit on success, rollback on throw.
   * Throws what `work` threw, also when the rollback fails too (as it does on a lost or closed
   * connection, where knex would report only the ROLLBACK's error and hide the cause).
   */
  async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    let failure: { error: unknown } | undefined;
    try {
      return await this.knex.transaction(async (trx) => {
        try {
          return await work(wrapTransaction(trx));
        } catch (error) {
          failure = { error };
          throw error;
        }
      });
    } catch (error) {
      throw failure ? failure.error : error;
    }
  }

  /**
   * Registers a stream for `LOAD DATA LOCAL INFILE '<name>'` and returns the name to put in
   * the statement. The stream is handed to the driver once, when the server asks for it.
   */
  registerInfile(stream: Readable): string {
    const name = `store-migrate-infile-${++this.infileCounter}`;
    this.infiles.set(name, stream);
    return name;
  }

  private takeInfile(name: string): Readable | undefined {
    const stream = this.infiles.get(name);
    this.infiles.delete(name);
    return stream;
  }

  async close(): Promise<void> {
    await this.knex.destroy();
  }
}

interface RawConnection {
  query(sql: string, callback: (err: Error | null) => void): void;
}

function sessionStatements(session: SessionOptions): string[] {
  const assignments = [
    "time_zone = '+00:00'",
    `sql_mode = '${SESSION_SQL_MODE}'`,
    'character_set_results = utf8mb4',
  ];
  if (session.foreignKeyChecks === false) assignments.push('foreign_key_checks = 0');
  if (session.uniqueChecks === false) assignments.push('unique_checks = 0');
  const statements = [`SET ${assignments.join(', ')}`];
  if (session.readOnly) statements.push('SET SESSION TRANSACTION READ ONLY');
  if (session.readCommitted) statements.push('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
  return statements;
}

function wrapTransaction(trx: Knex.Transaction): Queryable {
  return {
    query: <T>(sql: string, bindings: readonly unknown[] = []) => queryOn<T>(trx, sql, bindings),
    queryArrays: (sql: string, bindings: readonly unknown[] = []) => queryArraysOn(trx, sql, bindings),
    execute: (sql: string, bindings: readonly unknown[] = []) => executeOn(trx, sql, bindings),
  };
}

type Runner = Knex | Knex.Transaction;

/** Extra query options: BULK_STATEMENT for the bulk limit, nothing for the ordinary one. */
type Kind = Readonly<Record<string, unknown>>;

async function queryOn<T>(
  knex: Runner,
  sql: string,
  bindings: readonly unknown[],
  kind: Kind = {},
): Promise<T[]> {
  const [rows] = (await knex.raw(bindPlaceholders(sql, bindings)).options({ ...EXACT_VALUES, ...kind })) as [
    T[],
    unknown,
  ];
  return rows;
}

async function queryArraysOn(
  knex: Runner,
  sql: string,
  bindings: readonly unknown[],
  kind: Kind = {},
): Promise<Value[][]> {
  const [rows, fields] = (await knex
    .raw(bindPlaceholders(sql, bindings))
    .options({ rowsAsArray: true, ...EXACT_VALUES, ...kind })) as [Value[][], ResultField[]];
  if (mayHaveReplacedBytes(rows, textColumns(fields))) return rereadExact(knex, sql, bindings, kind);
  return rows;
}

/**
 * The same read again with every value as bytes, text kept as bytes where it does not decode
 * exactly (exact-text.ts): only after a first read found U+FFFD in some text.
 */
async function rereadExact(
  knex: Runner,
  sql: string,
  bindings: readonly unknown[],
  kind: Kind,
): Promise<Value[][]> {
  const [rows, fields] = (await knex
    .raw(bindPlaceholders(sql, bindings))
    .options({ rowsAsArray: true, typeCast: false, ...kind })) as [(Buffer | null)[][], ResultField[]];
  return exactRows(rows, fields);
}

async function executeOn(
  knex: Runner,
  sql: string,
  bindings: readonly unknown[],
  kind: Kind = {},
): Promise<ExecuteResult> {
  const [result] = (await knex
    .raw(bindPlaceholders(sql, bindings))
    .options({ ...EXACT_VALUES, ...kind })) as [ExecuteResult, unknown];
  return result;
}

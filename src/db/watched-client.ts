/**
 * knex's mysql2 client with a watch on every statement, so a server that dies or stops
 * answering ends the statement with an error instead of leaving the run waiting for good:
 *
 * - every statement (BEGIN and COMMIT included) gets a deadline: the kind's limit
 *   (query_timeout for ordinary statements, bulk_read_timeout for the ones that scan a whole
 *   table); past it the connection is closed, which fails the statement at once;
 * - a streamed read fails when its connection is lost (mysql2 reports that only to the
 *   connection, and knex's stream then waits forever), and when no byte arrives for
 *   stall_timeout while the reader waits for rows (a frozen server or a silently dropped link);
 * - every statement in flight can be interrupted at once (Ctrl+C while a server does not answer).
 *
 * Closing the connection is the only cancel that works when the server does not answer: a
 * `KILL QUERY` would need that same server. The server rolls back the closed connection's
 * transaction, so the chunk in hand is retried from the progress store (invariant 2).
 */
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import type { Knex } from 'knex';

/** Limits in milliseconds; 0 means none. */
export interface StatementLimits {
  /** Any statement not marked otherwise: a chunk read or write, a lookup, BEGIN, COMMIT. */
  statementMs: number;
  /** A statement marked `bulk` (see BULK_STATEMENT): a count, a hash or a read of a whole table. */
  bulkMs: number;
  /** A streamed read that receives no byte for this long while its reader waits for rows. */
  stallMs: number;
}

/** The config.xml option behind each limit, for messages that say what to change. */
const OPTION_OF: Record<keyof StatementLimits, string> = {
  statementMs: 'query_timeout',
  bulkMs: 'bulk_read_timeout',
  stallMs: 'stall_timeout',
};

/**
 * The query option (see Knex.Raw.options) whose value, an object with `next(packet)`, takes the
 * result's row packets instead of mysql2's row parser (src/db/raw-rows.ts, RawRowReader).
 */
export const ROW_READER = 'storeMigrateRowReader';

/** The query option (see Knex.Raw.options) that gives a statement the bulk limit instead of the ordinary one. */
export const BULK_STATEMENT = { storeMigrateBulk: true } as const;

/** The error a statement ends with when its server does not answer in time (the retry rules retry it). */
export class ServerSilentError extends Error {
  readonly code = 'QUERY_TIMEOUT';
  /** So errorText shows the code and this text, not the statement knex puts in front of the message. */
  readonly sqlMessage: string;

  constructor(side: string, limit: keyof StatementLimits, ms: number) {
    const seconds = ms / 1000;
    const what =
      limit === 'stallMs'
        ? `sent no data for ${seconds} s in the middle of a read`
        : `did not answer a statement within ${seconds} s`;
    const message =
      `the ${side} server ${what} (${OPTION_OF[limit]}); the connection was closed. ` +
      `If the server is busy rather than stuck, raise <${OPTION_OF[limit]}> in config.xml`;
    super(message);
    this.name = 'ServerSilentError';
    this.sqlMessage = message;
  }
}

/** The error statements end with when they are interrupted (see WatchedClient.interrupt). */
export class StatementInterrupted extends Error {
  readonly code = 'STOPPED';
  readonly sqlMessage = 'stopped by Ctrl+C while waiting for the server';

  constructor() {
    super('stopped by Ctrl+C while waiting for the server');
    this.name = 'StatementInterrupted';
  }
}

/** True when `error` (or its cause) comes from an interrupt. */
export function isInterrupted(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    if (current instanceof StatementInterrupted) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

export interface WatchedClient {
  /** The knex client class (pass it as knex's `client`). */
  client: typeof Knex.Client;
  /**
   * Closes the connection of every statement in flight, which then fails with
   * StatementInterrupted; returns how many. The server rolls back their transactions.
   */
  interrupt(): number;
}

/** The part of a mysql2 connection the watch uses. */
interface WatchedConnection {
  stream: Socket;
  on(event: 'error', listener: (error: Error) => void): unknown;
  off(event: 'error', listener: (error: Error) => void): unknown;
  query(options: object, bindings: unknown, callback?: (...results: unknown[]) => void): QueryCommand;
}

/** mysql2's query command: 'end' when the server has sent the whole result. */
interface QueryCommand {
  once(event: 'end', listener: () => void): unknown;
  stream(options?: object): Readable;
}

interface QueryObject {
  sql: string;
  bindings?: unknown;
  options?: Record<string, unknown>;
}

interface Mysql2Client {
  _query(connection: unknown, obj: QueryObject): Promise<unknown>;
}

type Mysql2ClientClass = new (config: Knex.Config) => Mysql2Client;

const require = createRequire(import.meta.url);
const KnexMysql2Client = require('knex/lib/dialects/mysql2/index.js') as Mysql2ClientClass;

/** How often a streamed read checks for a stall; a stall is reported within this much of its limit. */
const STALL_CHECK_MS = 250;

/** A knex client class for one side's pool, and the interrupt of its statements. */
export function watchedClient(side: string, limits: StatementLimits): WatchedClient {
  /** The connections that have a statement in flight. */
  const busy = new Set<WatchedConnection>();
  const watched = class WatchedMysql2Client extends KnexMysql2Client {
    override async _query(connection: unknown, obj: QueryObject): Promise<unknown> {
      const bulk = takeBulkMark(obj);
      const reader = takeRowReader(obj);
      const limit: keyof StatementLimits = bulk ? 'bulkMs' : 'statementMs';
      const ms = limits[limit];
      const conn = connection as WatchedConnection;
      const timer =
        ms > 0
          ? setTimeout(() => conn.stream.destroy(new ServerSilentError(side, limit, ms)), ms)
          : undefined;
      busy.add(conn);
      try {
        return await super._query(reader ? withRowReader(conn, reader) : connection, obj);
      } finally {
        clearTimeout(timer);
        busy.delete(conn);
      }
    }

    /** knex's _stream, plus: a lost connection and a stall fail the stream (and so the reader). */
    _stream(connection: unknown, obj: QueryObject, stream: Writable, options?: object): Promise<void> {
      const bulk = takeBulkMark(obj);
      const conn = connection as WatchedConnection;
      const socket = conn.stream;
      return new Promise<void>((resolve, reject) => {
        const started = Date.now();
        let lastData = started;
        let sawData = false;
        const onData = () => {
          sawData = true;
          lastData = Date.now();
        };
        const check = setInterval(() => {
          const now = Date.now();
          // The reader has rows to work on (the socket is paused when it has many): silence is
          // not the server's.
          if (socket.isPaused() || (stream as unknown as Readable).readableLength > 0) {
            lastData = now;
            return;
          }
          const limit: keyof StatementLimits = sawData ? 'stallMs' : bulk ? 'bulkMs' : 'statementMs';
          const ms = sawData ? limits.stallMs : Math.max(limits[limit], limits.stallMs);
          if (ms > 0 && now - lastData > ms) socket.destroy(new ServerSilentError(side, limit, ms));
        }, STALL_CHECK_MS);
        let ended = false;
        const command = conn.query({ sql: obj.sql, ...obj.options }, obj.bindings);
        // The whole result has arrived: nothing more to wait for from the server.
        command.once('end', () => {
          clearInterval(check);
          ended = true;
        });
        const query = command.stream(options);
        const fail = (error: Error) => {
          done();
          reject(error);
          query.destroy(error);
          stream.destroy(error);
        };
        const done = () => {
          busy.delete(conn);
          clearInterval(check);
          socket.off('data', onData);
          conn.off('error', fail);
        };
        busy.add(conn);
        socket.on('data', onData);
        // mysql2 tells only the connection that it was lost: pass that on to the reader.
        conn.on('error', fail);
        query.on('error', fail);
        stream.on('error', (error: Error) => {
          done();
          reject(error);
        });
        stream.on('end', () => {
          done();
          resolve();
        });
        stream.on('close', () => {
          done();
          // A reader that stopped early leaves the rest of the result on the connection, which
          // mysql2 would read to the end before the next statement: close it instead.
          if (!ended) socket.destroy();
          resolve();
        });
        query.pipe(stream);
      });
    }
  };
  return {
    client: watched as unknown as typeof Knex.Client,
    interrupt() {
      const connections = [...busy];
      for (const conn of connections) conn.stream.destroy(new StatementInterrupted());
      return connections.length;
    },
  };
}

/** What mysql2 calls for each row packet of a result (its row parser's one method the reader replaces). */
interface RowReader {
  next(packet: unknown): unknown;
}

/** Reads and removes the ROW_READER option, so mysql2 never sees an option it does not know. */
function takeRowReader(obj: QueryObject): RowReader | undefined {
  const options = obj.options;
  if (!options || !(ROW_READER in options)) return undefined;
  const { [ROW_READER]: reader, ...rest } = options;
  obj.options = rest;
  return reader as RowReader;
}

/**
 * `conn` whose query() gives the command it starts `reader` as its row parser: mysql2 sets the
 * parser it compiles once the result's fields have arrived (Query.readField), after query()
 * returned, so the command's `_rowParser` is made a property that keeps the reader. The result's
 * header, fields, errors, end and packet framing stay mysql2's.
 */
function withRowReader(conn: WatchedConnection, reader: RowReader): WatchedConnection {
  return new Proxy(conn, {
    get(target, property, receiver) {
      if (property !== 'query') return Reflect.get(target, property, receiver);
      return (...args: Parameters<WatchedConnection['query']>) => {
        const command = target.query(...args);
        Object.defineProperty(command, '_rowParser', {
          configurable: true,
          get: () => reader,
          set: () => {},
        });
        return command;
      };
    },
  });
}

/** Reads and removes the bulk mark, so mysql2 never sees an option it does not know. */
function takeBulkMark(obj: QueryObject): boolean {
  const options = obj.options;
  if (!options || !('storeMigrateBulk' in options)) return false;
  const { storeMigrateBulk, ...rest } = options;
  obj.options = rest;
  return storeMigrateBulk === true;
}

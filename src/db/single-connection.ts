/**
 * One plain connection outside any pool, with the tool's session basics (utf8mb4, UTC, values
 * as text), for work that must stay on one server session for the whole run: a named lock
 * lives and dies with its session, so a pool that silently replaced the connection would
 * silently drop the lock. Connection failures become the same errors as a pool's.
 */
import mysql from 'mysql2/promise';
import type { DatabaseConfig } from '../config/types.js';
import { translateConnectError } from './connect-errors.js';
import { connectionOptions } from './connection-options.js';
import type { Queryable, Side } from './database.js';

export type SingleConnection = mysql.Connection;

/** Connecting and setting the session up must end by then: a server that stops answering mid-way would hold the socket for good. */
const SETUP_DEADLINE_MS = 15_000;

export async function openSingleConnection(config: DatabaseConfig, side: Side): Promise<SingleConnection> {
  let connection: SingleConnection | undefined;
  let deadline: NodeJS.Timeout | undefined;
  try {
    connection = await mysql.createConnection(connectionOptions(config));
    const opened = connection;
    await Promise.race([
      opened.query("SET time_zone = '+00:00'"),
      new Promise<never>((_, reject) => {
        deadline = setTimeout(
          () => reject(new Error(`no answer within ${SETUP_DEADLINE_MS / 1000} s`)),
          SETUP_DEADLINE_MS,
        );
      }),
    ]);
    return opened;
  } catch (error) {
    if (connection) destroySession(connection);
    throw translateConnectError(error, config, side);
  } finally {
    clearTimeout(deadline);
  }
}

/** The connection seen as the tool's {@link Queryable} `query`: rows only. */
export function sessionQueries(connection: SingleConnection): Pick<Queryable, 'query'> {
  return {
    async query<T = Record<string, unknown>>(sql: string, bindings: readonly unknown[] = []) {
      const [rows] = await connection.query(sql, bindings as unknown[]);
      return rows as T[];
    },
  };
}

/**
 * Closes the session's socket at once. mysql2's own destroy() only half-closes it (stream.end()),
 * which waits for the server's side: a server that stopped answering never closes it, and the
 * open socket keeps a finished run alive for good.
 */
export function destroySession(connection: SingleConnection): void {
  const inner = (connection as unknown as { connection?: { stream?: { destroy(): void } } }).connection;
  connection.destroy();
  inner?.stream?.destroy();
}

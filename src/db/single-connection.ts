/**
 * One plain connection outside any pool, with the tool's session basics (utf8mb4, UTC, values
 * as text), for work that must stay on one server session for the whole run: a named lock
 * lives and dies with its session, so a pool that silently replaced the connection would
 * silently drop the lock. Connection failures become the same errors as a pool's.
 */
import { readFileSync } from 'node:fs';
import mysql from 'mysql2/promise';
import type { DatabaseConfig } from '../config/types.js';
import { translateConnectError } from './connect-errors.js';
import type { Queryable, Side } from './database.js';

export type SingleConnection = mysql.Connection;

export async function openSingleConnection(config: DatabaseConfig, side: Side): Promise<SingleConnection> {
  try {
    const connection = await mysql.createConnection({
      host: config.host,
      port: config.port,
      user: config.user,
      password: config.password,
      database: config.name,
      ...(config.socket ? { socketPath: config.socket } : {}),
      ...(config.ssl
        ? {
            ssl: {
              ...(config.ssl.ca ? { ca: readFileSync(config.ssl.ca) } : {}),
              ...(config.ssl.cert ? { cert: readFileSync(config.ssl.cert) } : {}),
              ...(config.ssl.key ? { key: readFileSync(config.ssl.key) } : {}),
            },
          }
        : {}),
      charset: 'UTF8MB4_GENERAL_CI',
      timezone: 'Z',
      dateStrings: true,
      supportBigNumbers: true,
      bigNumberStrings: true,
      connectTimeout: 10_000,
    });
    await connection.query("SET time_zone = '+00:00'");
    return connection;
  } catch (error) {
    throw translateConnectError(error, config, side);
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

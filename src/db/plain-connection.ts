/**
 * A plain mysql2 connection (no pool, no session set-up) to a server, for the work around a
 * migration rather than the migration itself: the demo's stores, the benchmark, test set-up.
 * Values come back the way the tool's sessions read them where mysql2 can do that without a
 * callback: utf8mb4, UTC, dates and big numbers as text.
 */
import mysql from 'mysql2/promise';
import type { ServerAddress } from './throwaway-server.js';

export function openPlainConnection(
  server: ServerAddress,
  extra: mysql.ConnectionOptions = {},
): Promise<mysql.Connection> {
  return mysql.createConnection({
    host: server.host,
    port: server.port,
    user: server.user,
    password: server.password,
    charset: 'UTF8MB4_GENERAL_CI',
    timezone: 'Z',
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    ...extra,
  });
}

/**
 * What every connection the tool opens (pool or single session) starts from: where to connect
 * (TCP or socket, TLS files) and the session basics that keep values exact — utf8mb4, UTC,
 * dates and big numbers as text.
 */
import { readFileSync } from 'node:fs';
import { type ConnectionOptions, format } from 'mysql2';
import type { DatabaseConfig } from '../config/types.js';

export function connectionOptions(config: DatabaseConfig): ConnectionOptions {
  return {
    host: config.host,
    port: config.port,
    user: config.user,
    password: config.password,
    database: config.name,
    ...(config.socket ? { socketPath: config.socket } : {}),
    ...(config.ssl ? { ssl: readTls(config.ssl) } : {}),
    charset: 'UTF8MB4_GENERAL_CI',
    timezone: 'Z',
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    connectTimeout: 10_000,
    queryFormat: statementText,
  };
}

/**
 * The text mysql2 sends for a statement: the tool's statements come with their values inlined
 * (bind-placeholders.ts), and mysql2 would otherwise scan every statement for placeholders,
 * 512 KB multi-row INSERTs too (a quarter of the client CPU of the INSERT tuples, issue 16).
 * Values, when some caller passes them, are placed as mysql2 does.
 */
function statementText(
  this: { config?: { stringifyObjects?: boolean } },
  sql: string,
  values: unknown,
  timezone?: string,
): string {
  if (values === undefined || values === null || (Array.isArray(values) && values.length === 0)) return sql;
  return format(sql, values as Parameters<typeof format>[1], this?.config?.stringifyObjects, timezone);
}

function readTls(ssl: NonNullable<DatabaseConfig['ssl']>): { ca?: Buffer; cert?: Buffer; key?: Buffer } {
  return {
    ...(ssl.ca ? { ca: readFileSync(ssl.ca) } : {}),
    ...(ssl.cert ? { cert: readFileSync(ssl.cert) } : {}),
    ...(ssl.key ? { key: readFileSync(ssl.key) } : {}),
  };
}

/**
 * What every connection the tool opens (pool or single session) starts from: where to connect
 * (TCP or socket, TLS files) and the session basics that keep values exact — utf8mb4, UTC,
 * dates and big numbers as text.
 */
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'mysql2';
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
  };
}

function readTls(ssl: NonNullable<DatabaseConfig['ssl']>): { ca?: Buffer; cert?: Buffer; key?: Buffer } {
  return {
    ...(ssl.ca ? { ca: readFileSync(ssl.ca) } : {}),
    ...(ssl.cert ? { cert: readFileSync(ssl.cert) } : {}),
    ...(ssl.key ? { key: readFileSync(ssl.key) } : {}),
  };
}

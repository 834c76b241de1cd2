/**
 * Turns a driver's connection failure into one line an operator can act on. The password is
 * never part of the message: mysql2 only says whether one was used.
 */
import type { DatabaseConfig } from '../config/types.js';
import { describeDatabase } from '../config/types.js';
import type { UsageErrorCode } from '../error-codes.js';
import { ConfigError } from '../errors.js';
import type { Side } from './database.js';

interface DriverError {
  code?: string;
  errno?: number;
  message?: string;
}

export function translateConnectError(error: unknown, config: DatabaseConfig, side: Side): ConfigError {
  const e = (typeof error === 'object' && error !== null ? error : {}) as DriverError;
  const where = `the ${side} database ${describeDatabase(config)}`;
  const element = `<${side}><database> in config.xml`;
  const make = (code: UsageErrorCode, message: string, hint: string) =>
    new ConfigError(message, { code, hint, cause: error });
  switch (e.code) {
    case 'ECONNREFUSED':
      return make(
        'DB_UNREACHABLE',
        `cannot connect to ${where}: nothing is listening there`,
        `check host and port in ${element}, and that the server is running`,
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return make(
        'DB_UNREACHABLE',
        `cannot connect to ${where}: the host name does not resolve`,
        `check host in ${element}`,
      );
    case 'ETIMEDOUT':
      return make(
        'DB_UNREACHABLE',
        `cannot connect to ${where}: the connection timed out`,
        `check host, port and firewalls between this machine and the server (${element})`,
      );
    case 'ENOENT':
      return make(
        'DB_UNREACHABLE',
        `cannot connect to ${where}: the socket file does not exist`,
        `check socket in ${element}`,
      );
    case 'ER_ACCESS_DENIED_ERROR':
    case 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR':
      return make(
        'DB_ACCESS_DENIED',
        `${where} refused the user name or password`,
        `check user and password in ${element} (a \${VAR} password is read from the environment)`,
      );
    case 'ER_DBACCESS_DENIED_ERROR':
      return make(
        'DB_ACCESS_DENIED',
        `user ${config.user} may not use database ${config.name} on ${where}`,
        `GRANT the privileges listed by \`migrate preflight\` to ${config.user}, or fix name in ${element}`,
      );
    case 'ER_BAD_DB_ERROR':
      return make(
        'DB_UNKNOWN_DATABASE',
        `${where} has no database named ${config.name}`,
        `check name in ${element}, or create the database first`,
      );
    default:
      return make(
        'DB_CONNECT_FAILED',
        `cannot connect to ${where}: ${e.message ?? String(error)}`,
        `check ${element}`,
      );
  }
}

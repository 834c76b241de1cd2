/**
 * SQL literals for the multi-row INSERTs of the row writer: values are escaped here, once,
 * instead of being sent as bindings, because that is the bulk copy's hot path. The session
 * never has NO_BACKSLASH_ESCAPES (see SESSION_SQL_MODE), so backslash escapes are valid.
 *
 * A `?` inside a string literal is written `\?` (MySQL reads `\?` in a string literal as `?`: a
 * backslash before a character without an escape meaning is dropped). Statements no longer
 * need it (bind-placeholders.ts skips quoted text); it is kept so a statement stays valid
 * whatever reads its placeholders.
 */
import type { Value } from '../handlers/contract.js';
import { backslashEscaper } from './escape-text.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL and Ctrl-Z are exactly what must be escaped
const SPECIAL = /[\0\n\r\x1a'\\?]/g;

/** The escape of each special character, indexed by its char code. */
const ESCAPE: string[] = [];
ESCAPE[0x00] = '\\0';
ESCAPE[0x0a] = '\\n';
ESCAPE[0x0d] = '\\r';
ESCAPE[0x1a] = '\\Z';
ESCAPE[0x27] = "\\'";
ESCAPE[0x5c] = '\\\\';
ESCAPE[0x3f] = '\\?';

/**
 * `text` as a single-quoted SQL string literal. Escapes \0 \n \r Ctrl-Z ' \ like sqlstring
 * does (a `"` needs no escape inside single quotes), and `?` for knex. Measured faster than
 * mysql2's `escape` (see the row writer's notes), which would also need a second pass for `?`.
 */
export function sqlString(text: string): string {
  return `'${escapeSqlText(text)}'`;
}

const escapeSqlText = backslashEscaper(SPECIAL, ESCAPE);

/**
 * A value as an SQL literal: NULL, a string literal for text (numbers, dates, JSON... are all
 * text here and the server converts them exactly as it would their own output), and a hex
 * literal for bytes (binary strings, BIT, GEOMETRY in its internal SRID + WKB form).
 */
export function sqlLiteral(value: Value): string {
  if (value === null) return 'NULL';
  if (typeof value === 'string') return sqlString(value);
  if (Buffer.isBuffer(value)) return "X'" + value.toString('hex') + "'";
  throw new TypeError(`a row value must be a string, a Buffer or null, got ${describe(value)}`);
}

function describe(value: unknown): string {
  if (typeof value === 'object' && value !== null) return value.constructor?.name ?? 'an object';
  return typeof value;
}

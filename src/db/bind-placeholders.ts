/**
 * Puts bindings into a statement's placeholders ourselves, before the statement reaches knex.
 * knex (and then mysql2) read every `?` of a statement as a placeholder, also one inside a
 * string literal ('a?b', from a map value) or a quoted name (`q?t`), which broke a direct copy
 * with "Expected 0 bindings, saw 2". Here only a `?` outside quotes and comments is a
 * placeholder; the statement handed on has no bindings left, so nothing reads it again.
 *
 * Values are escaped as mysql2 would escape them for the same query (text, Buffers as hex,
 * numbers, NULL); the session never has NO_BACKSLASH_ESCAPES or ANSI_QUOTES (SESSION_SQL_MODE).
 */
import mysql, { type SqlValue } from 'mysql2/promise';

/** `sql` with each placeholder replaced by its binding as an SQL literal. */
export function bindPlaceholders(sql: string, bindings: readonly unknown[]): string {
  // The bulk copy's multi-row INSERTs have no bindings: they are not scanned at all.
  if (bindings.length === 0) return sql;
  const positions = placeholderPositions(sql);
  if (positions.length !== bindings.length) {
    throw new TypeError(`a statement has ${positions.length} placeholders for ${bindings.length} bindings`);
  }
  let out = '';
  let from = 0;
  for (const [n, at] of positions.entries()) {
    out += sql.slice(from, at) + literal(bindings[n]);
    from = at + 1;
  }
  return out + sql.slice(from);
}

/** Where the placeholders are: each `?` outside string literals, quoted names and comments. */
export function placeholderPositions(sql: string): number[] {
  const found: number[] = [];
  const n = sql.length;
  let i = 0;
  while (i < n) {
    const c = sql[i];
    if (c === "'" || c === '"' || c === '`') {
      i = endOfQuoted(sql, i, c);
    } else if (c === '#' || (c === '-' && sql[i + 1] === '-' && /\s/.test(sql[i + 2] ?? ''))) {
      const eol = sql.indexOf('\n', i);
      i = eol < 0 ? n : eol + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
    } else {
      if (c === '?') found.push(i);
      i++;
    }
  }
  return found;
}

/** The index just past the quoted token opening at `start` (backslash escapes, doubled quotes). */
function endOfQuoted(sql: string, start: number, quote: string): number {
  const backslash = quote !== '`';
  let i = start + 1;
  while (i < sql.length) {
    const c = sql[i];
    if (backslash && c === '\\') {
      i += 2;
    } else if (c === quote) {
      if (sql[i + 1] !== quote) return i + 1;
      i += 2;
    } else {
      i++;
    }
  }
  return i;
}

function literal(value: unknown): string {
  if (typeof value === 'bigint') return value.toString();
  return mysql.escape(value as SqlValue, false, 'Z');
}

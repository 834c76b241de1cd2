/**
 * Keyset pagination: `WHERE key > last ORDER BY key LIMIT n`, for single and composite keys.
 * Composite comparisons are spelt out as `a > ? OR (a = ? AND b > ?)` rather than a row
 * constructor, which not every MariaDB version turns into an index range.
 */
import type { Value } from '../handlers/contract.js';
import { quoteIdentifier } from './identifiers.js';

export interface SqlFragment {
  sql: string;
  bindings: Value[];
}

/** `key > values` (strict) or `key >= values`, lexicographic over the key columns. */
export function keyAfter(key: readonly string[], values: readonly Value[], alias?: string): SqlFragment {
  return compare(key, values, '>', alias);
}

/** `key <= values`, lexicographic. */
export function keyAtMost(key: readonly string[], values: readonly Value[], alias?: string): SqlFragment {
  return compare(key, values, '<', alias, true);
}

function compare(
  key: readonly string[],
  values: readonly Value[],
  op: '>' | '<',
  alias: string | undefined,
  inclusive = false,
): SqlFragment {
  const col = (name: string) => (alias ? `${quoteIdentifier(alias)}.` : '') + quoteIdentifier(name);
  const alternatives: string[] = [];
  const bindings: Value[] = [];
  for (let i = 0; i < key.length; i++) {
    const parts: string[] = [];
    for (let j = 0; j < i; j++) {
      parts.push(`${col(key[j] ?? '')} = ?`);
      bindings.push(values[j] ?? null);
    }
    const last = i === key.length - 1;
    parts.push(`${col(key[i] ?? '')} ${op}${last && inclusive ? '=' : ''} ?`);
    bindings.push(values[i] ?? null);
    alternatives.push(parts.length === 1 ? (parts[0] ?? '') : `(${parts.join(' AND ')})`);
  }
  return { sql: `(${alternatives.join(' OR ')})`, bindings };
}

/** Joins conditions with AND; `TRUE` when there are none. */
export function allOf(fragments: ReadonlyArray<SqlFragment | undefined>): SqlFragment {
  const present = fragments.filter((f): f is SqlFragment => f !== undefined);
  if (present.length === 0) return { sql: 'TRUE', bindings: [] };
  return { sql: present.map((f) => f.sql).join(' AND '), bindings: present.flatMap((f) => f.bindings) };
}

export function orderBy(key: readonly string[], alias?: string): string {
  return key.map((k) => (alias ? `${quoteIdentifier(alias)}.` : '') + quoteIdentifier(k)).join(', ');
}

/** `key IN (values...)`: one placeholder per value, a row constructor for a composite key. */
export function keyIn(
  key: readonly string[],
  keys: readonly (readonly Value[])[],
  alias?: string,
): SqlFragment {
  if (keys.length === 0) return { sql: 'FALSE', bindings: [] };
  const col = (name: string) => (alias ? `${quoteIdentifier(alias)}.` : '') + quoteIdentifier(name);
  if (key.length === 1) {
    return {
      sql: `${col(key[0] ?? '')} IN (${keys.map(() => '?').join(', ')})`,
      bindings: keys.map((k) => k[0] ?? null),
    };
  }
  const tuple = `(${key.map(() => '?').join(', ')})`;
  return {
    sql: `(${key.map(col).join(', ')}) IN (${keys.map(() => tuple).join(', ')})`,
    bindings: keys.flatMap((k) => key.map((_, i) => k[i] ?? null)),
  };
}

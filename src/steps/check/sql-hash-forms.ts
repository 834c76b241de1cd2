/**
 * The per-column SQL the database hashes, on both sides of a document copied by SQL alone.
 * Both must produce the same bytes for the same stored value, although the source expression
 * has the source's type: a source INT 5 copied into a DECIMAL(12,4) reads back as `5.0000`.
 * So the source expression is cast to what the destination column stores where a CAST is
 * known to print exactly that (integers, decimals, dates, times, text), left alone where the
 * types already print alike, and where neither holds (FLOAT narrowing, YEAR, padded BINARY,
 * MySQL's normalized JSON) the document is hashed in JavaScript instead (stream-side.ts).
 */

import { GEOMETRY_TYPES, INTEGER_TYPES } from '../../db/column-types.js';
import { quoteIdentifier } from '../../db/identifiers.js';
import type { ColumnInfo } from '../../db/schema.js';
import type { DocumentPlan } from '../../mappings/plan.js';
import { selectList } from '../data/sql-select-list.js';
import { ALIAS } from './keyed-table.js';

export type ServerFlavor = 'mariadb' | 'mysql';

/** A destination column and, when it is copied unchanged, the source column it comes from. */
export interface ColumnPair {
  destination: ColumnInfo;
  /** Null when a handler computes the value. */
  source: ColumnInfo | null;
}

export type SqlHashForms =
  | { ok: true; source: string[]; destination: string[] }
  | { ok: false; reason: string };

const INTEGERS = new Set<string>(INTEGER_TYPES);
const TEXTS = new Set(['varchar', 'tinytext', 'text', 'mediumtext', 'longtext', 'enum', 'set']);
const BYTES = new Set(['varbinary', 'tinyblob', 'blob', 'mediumblob', 'longblob']);
const BINARY_FAMILY = new Set<string>([...BYTES, 'binary', 'bit', ...GEOMETRY_TYPES]);
const DATETIMES = new Set(['datetime', 'timestamp']);

export function sqlHashForms(
  plan: DocumentPlan,
  pairs: readonly ColumnPair[],
  flavor: ServerFlavor,
): SqlHashForms {
  if (!plan.sqlExpressible) return { ok: false, reason: 'a handler has no SQL form' };
  const expressions = selectList(plan, ALIAS);
  const source: string[] = [];
  const destination: string[] = [];
  for (const [i, pair] of pairs.entries()) {
    const dest = pair.destination;
    const expression = expressions[i] ?? 'NULL';
    const stored =
      pair.source && printsAlike(pair.source, dest)
        ? readForm(expression, pair.source)
        : castTo(expression, dest, flavor);
    if (stored === null) {
      const from = pair.source ? pair.source.columnType : 'a handler';
      return {
        ok: false,
        reason: `${dest.name} (${dest.columnType}) from ${from}: SQL cannot print the stored value exactly`,
      };
    }
    source.push(hashPart(stored, dest));
    destination.push(
      hashPart(readForm(`${quoteIdentifier(ALIAS)}.${quoteIdentifier(dest.name)}`, dest), dest),
    );
  }
  return { ok: true, source, destination };
}

/** FLOAT prints 6 digits in MariaDB; read through DOUBLE, as the copy reads it. */
function readForm(expression: string, column: ColumnInfo): string {
  return column.dataType === 'float' ? `(${expression} + 0E0)` : expression;
}

/**
 * The MD5 of a value's bytes as they are (binary columns) or of its text in one character set
 * (everything else), 'N' for NULL. A digest of the value rather than its text form: HEX of a
 * value bigger than half of max_allowed_packet is NULL with a warning, which made big values
 * hash like NULL (a blind spot) or differ only where one server's packet was smaller (a false
 * alarm). MD5 reads the value whatever its size and always prints 32 digits.
 */
function hashPart(expression: string, column: ColumnInfo): string {
  return BINARY_FAMILY.has(column.dataType)
    ? `IFNULL(MD5(CONCAT(${expression})), 'N')`
    : `IFNULL(MD5(CONVERT(${expression} USING utf8mb4)), 'N')`;
}

/** True when a source column's value, copied unchanged, reads back from the destination as the same text. */
export function printsAlike(from: ColumnInfo, to: ColumnInfo): boolean {
  const a = from.dataType;
  const b = to.dataType;
  if (a === b && from.columnType === to.columnType) return true;
  if (INTEGERS.has(a) && INTEGERS.has(b)) return true;
  if ((a === 'decimal' || a === 'numeric') && (b === 'decimal' || b === 'numeric'))
    return from.numericScale === to.numericScale;
  if (a === 'float' && (b === 'float' || b === 'double')) return true;
  if (DATETIMES.has(a) && DATETIMES.has(b)) return from.datetimePrecision === to.datetimePrecision;
  if (a === 'time' && b === 'time') return from.datetimePrecision === to.datetimePrecision;
  if ((TEXTS.has(a) || a === 'char') && TEXTS.has(b)) return true;
  if (a === 'char' && b === 'char') return true;
  if ((BYTES.has(a) || a === 'binary') && BYTES.has(b)) return true;
  return false;
}

/** The expression cast to what the destination column stores, or null when no CAST prints that. */
function castTo(expression: string, to: ColumnInfo, flavor: ServerFlavor): string | null {
  const type = to.dataType;
  if (INTEGERS.has(type)) return `CAST(${expression} AS ${to.unsigned ? 'UNSIGNED' : 'SIGNED'})`;
  if (type === 'decimal' || type === 'numeric') {
    const precision = to.numericPrecision ?? 10;
    return `CAST(${expression} AS DECIMAL(${precision},${to.numericScale ?? 0}))`;
  }
  if (type === 'double' || type === 'real') return `(${expression} + 0E0)`;
  if (type === 'date') return `CAST(${expression} AS DATE)`;
  if (DATETIMES.has(type)) return `CAST(${expression} AS DATETIME(${to.datetimePrecision ?? 0}))`;
  if (type === 'time') return `CAST(${expression} AS TIME(${to.datetimePrecision ?? 0}))`;
  if (TEXTS.has(type)) return expression;
  if (type === 'char') return `RTRIM(${expression})`;
  // MariaDB's JSON is LONGTEXT and keeps the text; MySQL stores binary JSON and prints it normalized.
  if (type === 'json' && flavor === 'mariadb') return expression;
  return null;
}

/**
 * Type changes that can lose data: shorter strings, smaller integers, fewer decimals, signed to
 * unsigned, narrower character sets, less fractional-second precision. The integrity check
 * reports them as warnings: the data may well fit, and a row that does not is rejected, not
 * truncated (the session is strict).
 */
import { BINARY_TYPES, TEXT_TYPES } from '../db/column-types.js';
import type { ColumnInfo } from '../db/schema.js';

const INTEGER_BYTES: Record<string, number> = {
  tinyint: 1,
  smallint: 2,
  mediumint: 3,
  int: 4,
  integer: 4,
  bigint: 8,
};
const STRING_TYPES = new Set<string>([...TEXT_TYPES, 'enum', 'set']);
const BINARY = new Set<string>(BINARY_TYPES);
const TEMPORAL_TYPES = new Set(['datetime', 'timestamp', 'time']);
/** Characters each charset can hold, as a rank: a lower rank cannot hold all of a higher one. */
const CHARSET_RANK: Record<string, number> = { ascii: 0, latin1: 1, utf8: 2, utf8mb3: 2, utf8mb4: 3 };

/** Why a value of `source` may not fit `destination`, or undefined when it always fits. */
export function narrowing(source: ColumnInfo, destination: ColumnInfo): string | undefined {
  const s = source.dataType;
  const d = destination.dataType;
  const change = `${source.columnType} -> ${destination.columnType}`;

  if (s in INTEGER_BYTES && d in INTEGER_BYTES) {
    const sb = INTEGER_BYTES[s] ?? 0;
    const db = INTEGER_BYTES[d] ?? 0;
    if (db < sb) return `smaller integer (${change})`;
    if (!source.unsigned && destination.unsigned)
      return `signed to unsigned: negative values do not fit (${change})`;
    if (source.unsigned && !destination.unsigned && db === sb)
      return `unsigned to signed of the same size (${change})`;
    return undefined;
  }
  if (s === 'decimal' && d === 'decimal') {
    const sScale = source.numericScale ?? 0;
    const dScale = destination.numericScale ?? 0;
    if (dScale < sScale) return `fewer decimals (${change})`;
    const sWhole = (source.numericPrecision ?? 0) - sScale;
    const dWhole = (destination.numericPrecision ?? 0) - dScale;
    if (dWhole < sWhole) return `fewer integer digits (${change})`;
    if (!source.unsigned && destination.unsigned)
      return `signed to unsigned: negative values do not fit (${change})`;
    return undefined;
  }
  if (STRING_TYPES.has(s) && STRING_TYPES.has(d)) {
    if (
      source.maxLength !== null &&
      destination.maxLength !== null &&
      destination.maxLength < source.maxLength
    ) {
      return `shorter string (${change})`;
    }
    const sRank = CHARSET_RANK[source.charset ?? ''];
    const dRank = CHARSET_RANK[destination.charset ?? ''];
    if (sRank !== undefined && dRank !== undefined && dRank < sRank) {
      return `narrower character set (${source.charset} -> ${destination.charset})`;
    }
    return undefined;
  }
  if (BINARY.has(s) && BINARY.has(d)) {
    if (
      source.maxLength !== null &&
      destination.maxLength !== null &&
      destination.maxLength < source.maxLength
    ) {
      return `shorter binary (${change})`;
    }
    return undefined;
  }
  if (TEMPORAL_TYPES.has(s) && s === d) {
    if ((destination.datetimePrecision ?? 0) < (source.datetimePrecision ?? 0)) {
      return `less fractional-second precision (${change})`;
    }
    return undefined;
  }
  if (s === d) return undefined;
  if (s === 'float' && d === 'double') return undefined;
  if (s in INTEGER_BYTES && d === 'decimal') {
    const digits = { tinyint: 3, smallint: 5, mediumint: 8, int: 10, integer: 10, bigint: 20 }[s] ?? 20;
    const whole = (destination.numericPrecision ?? 0) - (destination.numericScale ?? 0);
    return whole < digits ? `integer into a decimal with ${whole} integer digits (${change})` : undefined;
  }
  if (s === 'date' && (d === 'datetime' || d === 'timestamp')) return undefined;
  if ((s in INTEGER_BYTES || s === 'decimal') && STRING_TYPES.has(d)) return undefined;
  return `type changes (${change})`;
}

/**
 * The text or bytes a destination column holds for a value, computed in JavaScript. The deep
 * check compares a source row run through the plan with the destination row; a source INT 5
 * written into a DECIMAL(12,4) column reads back as `5.0000`, so both sides are brought to the
 * form the destination column stores before they are hashed. Applying it to a value read from
 * the destination changes nothing, so both sides can go through the same function.
 */
import type { ColumnInfo } from '../../db/schema.js';
import type { Value } from '../../handlers/contract.js';

/** What a canonical form needs to know about the destination column. */
export type ColumnShape = Pick<ColumnInfo, 'dataType' | 'numericScale' | 'datetimePrecision' | 'maxLength'>;

const INTEGER_TYPES = new Set(['tinyint', 'smallint', 'mediumint', 'int', 'integer', 'bigint']);
const TEMPORAL_WITH_FRACTION = new Set(['datetime', 'timestamp', 'time']);

export function canonicalValue(value: Value, column: ColumnShape): Value {
  if (value === null) return null;
  const type = column.dataType;
  if (type === 'binary' && column.maxLength !== null) {
    const bytes = Buffer.isBuffer(value) ? value : Buffer.from(value, 'utf8');
    if (bytes.length >= column.maxLength) return bytes;
    return Buffer.concat([bytes, Buffer.alloc(column.maxLength - bytes.length)]);
  }
  if (Buffer.isBuffer(value)) return value;
  if (INTEGER_TYPES.has(type)) return normalizeDecimal(value, 0);
  if (type === 'decimal' || type === 'numeric') return normalizeDecimal(value, column.numericScale ?? 0);
  if (type === 'float') return normalizeFloat(value, Math.fround);
  if (type === 'double' || type === 'real') return normalizeFloat(value, (n) => n);
  if (TEMPORAL_WITH_FRACTION.has(type)) return normalizeFraction(value, column.datetimePrecision ?? 0);
  if (type === 'char') return value.replace(/ +$/, '');
  return value;
}

const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?$/;

/**
 * A decimal number's text with exactly `scale` fraction digits, rounded half away from zero as
 * MySQL and MariaDB round a value stored into a DECIMAL. Text that is not a plain decimal
 * number is returned unchanged (the copy would have refused it, or stored it as text).
 */
export function normalizeDecimal(text: string, scale: number): string {
  const match = DECIMAL_TEXT.exec(text.trim());
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) return text;
  const negative = match[1] === '-';
  const whole = match[2] || '0';
  const fraction = match[3] ?? '';
  let digits = BigInt(whole + fraction.slice(0, scale).padEnd(scale, '0'));
  if ((fraction[scale] ?? '0') >= '5') digits += 1n;
  let body = digits.toString().padStart(scale + 1, '0');
  if (scale > 0) body = `${body.slice(0, -scale)}.${body.slice(-scale)}`;
  return negative && digits !== 0n ? `-${body}` : body;
}

/** Floating-point text as the number it denotes (at FLOAT or DOUBLE precision), in one spelling. */
function normalizeFloat(text: string, precision: (n: number) => number): string {
  const trimmed = text.trim();
  if (trimmed === '' || !Number.isFinite(Number(trimmed))) return text;
  return String(precision(Number(trimmed)));
}

/** DATETIME / TIMESTAMP / TIME text with exactly `digits` fraction digits (padding only adds zeros). */
function normalizeFraction(text: string, digits: number): string {
  const dot = text.lastIndexOf('.');
  const hasFraction = dot >= 0 && /^\d+$/.test(text.slice(dot + 1));
  const base = hasFraction ? text.slice(0, dot) : text;
  const fraction = hasFraction ? text.slice(dot + 1) : '';
  if (fraction.length > digits && /[^0]/.test(fraction.slice(digits))) return text;
  const kept = fraction.slice(0, digits).padEnd(digits, '0');
  return digits > 0 ? `${base}.${kept}` : base;
}

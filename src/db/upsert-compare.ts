/**
 * Equality of two column values as read (text and Buffers), the way the destination would
 * store them. An upsert that updates only what differs must not see a difference where the
 * server stores the same thing ('5.00' in a DECIMAL(12,4) column reads back as '5.0000'):
 * otherwise every run would "update" the row again and a second run would never be quiet.
 * Text is compared exactly, byte for byte: a change of case or accent is a change.
 */
import type { Value } from '../handlers/contract.js';

const INTEGER_OR_DECIMAL = new Set([
  'tinyint',
  'smallint',
  'mediumint',
  'int',
  'integer',
  'bigint',
  'decimal',
  'numeric',
  'year',
]);
const FLOATING = new Set(['float', 'double', 'real', 'double precision']);
const TEMPORAL_WITH_FRACTION = new Set(['datetime', 'timestamp', 'time']);

/**
 * True when `a` and `b` are the same value for a destination column of `dataType`
 * (information_schema DATA_TYPE, lower case); without a type, exact equality.
 */
export function sameValue(a: Value, b: Value, dataType?: string): boolean {
  if (a === null || b === null) return a === b;
  if (Buffer.isBuffer(a) || Buffer.isBuffer(b)) return toBuffer(a).equals(toBuffer(b));
  if (a === b) return true;
  return canonical(a, dataType) === canonical(b, dataType);
}

/**
 * One string per key, equal for keys the destination stores alike (see {@link sameValue}), so
 * rows can be matched by key in a Map.
 */
export function keyText(values: readonly Value[], types?: readonly (string | undefined)[]): string {
  return JSON.stringify(
    values.map((value, i) => {
      if (value === null) return null;
      if (Buffer.isBuffer(value)) return `x${value.toString('hex')}`;
      return `s${canonical(value, types?.[i])}`;
    }),
  );
}

/** The text a value of this type is compared by. */
function canonical(text: string, dataType: string | undefined): string {
  const type = dataType?.toLowerCase();
  if (type === undefined) return text;
  if (INTEGER_OR_DECIMAL.has(type)) return canonicalDecimal(text) ?? text;
  if (FLOATING.has(type)) {
    const n = Number(text);
    return text.trim() !== '' && Number.isFinite(n) ? `n${n}` : text;
  }
  if (TEMPORAL_WITH_FRACTION.has(type)) return text.replace(/(\.\d*?)0*$/, '$1').replace(/\.$/, '');
  // CHAR columns drop trailing spaces on read, whatever was written.
  if (type === 'char') return text.replace(/ +$/, '');
  if (type === 'json') return canonicalJson(text) ?? text;
  return text;
}

/** '-007.500' -> '-7.5'; '-0.0' -> '0'; undefined when the text is not a plain decimal. */
function canonicalDecimal(text: string): string | undefined {
  const match = /^\s*([+-]?)(\d*)(?:\.(\d*))?\s*$/.exec(text);
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) return undefined;
  const whole = (match[2] ?? '').replace(/^0+/, '') || '0';
  const fraction = (match[3] ?? '').replace(/0+$/, '');
  const digits = fraction ? `${whole}.${fraction}` : whole;
  return match[1] === '-' && digits !== '0' ? `-${digits}` : digits;
}

/** MySQL's JSON type reorders keys and respaces: compare the parsed value, keys sorted. */
function canonicalJson(text: string): string | undefined {
  try {
    return JSON.stringify(JSON.parse(text), (_key, value: unknown) =>
      value !== null && typeof value === 'object' && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
        : value,
    );
  } catch {
    return undefined;
  }
}

function toBuffer(value: string | Buffer): Buffer {
  return Buffer.isBuffer(value) ? value : Buffer.from(value, 'utf8');
}

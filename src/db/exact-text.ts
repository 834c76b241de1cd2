/**
 * Text read exactly or not at all as text. The session reads text as UTF-8; bytes that are not
 * valid UTF-8 (a utf8mb3 column holding ED A0 80, a surrogate's encoding, which MariaDB stores)
 * decode to U+FFFD replacement characters, and copied on, they silently replace the value. So a
 * text value whose bytes do not decode exactly is returned as those bytes (a Buffer) instead:
 * the copy and delta then reject the row it is in (transform-row.ts), never write it changed.
 *
 * Cheap on the common path: a value is looked at again only when its decoded text contains
 * U+FFFD. Reads that can be repeated (keyed chunks, delta re-reads) are then read once more as
 * raw bytes (rereadExact); a stream cannot be, so its text columns are read as bytes and
 * decoded here once each column is known to be text (exactTextCast).
 */
import type { Value } from '../handlers/contract.js';
import { type CastField, CHARSET_DECIDES } from './type-cast.js';

const REPLACEMENT = '\uFFFD';
const BINARY_CHARSET = 63;

/** mysql2's column types (its Types constants) that carry text or bytes, by their character set. */
const STRING_TYPES = new Set([15, 253, 254, 249, 250, 251, 252]); // VARCHAR, VAR_STRING, STRING, *BLOB
const JSON_TYPE = 245;
const BYTES_TYPES = new Set([16, 255]); // BIT, GEOMETRY

/** What this module needs of mysql2's column definitions. */
export interface ResultField {
  characterSet: number;
  columnType: number;
}

/** The indexes of the columns that arrive as text (a string type in a character set other than binary). */
export function textColumns(fields: readonly ResultField[] | undefined): number[] {
  if (!fields) return [];
  const found: number[] = [];
  for (const [i, field] of fields.entries()) {
    if (STRING_TYPES.has(field.columnType) && field.characterSet !== BINARY_CHARSET) found.push(i);
  }
  return found;
}

/** True when some text value of `rows` holds U+FFFD: only then may a decoding have replaced bytes. */
export function mayHaveReplacedBytes(rows: readonly (readonly Value[])[], text: readonly number[]): boolean {
  if (text.length === 0) return false;
  for (const row of rows) {
    for (const i of text) {
      const value = row[i];
      if (typeof value === 'string' && value.indexOf(REPLACEMENT) !== -1) return true;
    }
  }
  return false;
}

/** UTF-8 bytes as text when they decode exactly, else the bytes themselves. */
export function exactText(bytes: Buffer): string | Buffer {
  const text = bytes.toString('utf8');
  if (text.indexOf(REPLACEMENT) === -1 || Buffer.from(text, 'utf8').equals(bytes)) return text;
  return bytes;
}

/**
 * Rows read with `typeCast: false` (every value bytes) as the values readValuesAsText gives,
 * except that text which does not decode exactly stays bytes.
 */
export function exactRows(
  rows: readonly (readonly (Buffer | null)[])[],
  fields: readonly ResultField[],
): Value[][] {
  return rows.map((row) =>
    row.map((bytes, i) => {
      if (bytes === null) return null;
      const field = fields[i];
      if (!field) return bytes;
      if (field.columnType === JSON_TYPE) return bytes.toString('utf8');
      if (BYTES_TYPES.has(field.columnType)) return bytes;
      if (STRING_TYPES.has(field.columnType)) {
        return field.characterSet === BINARY_CHARSET ? bytes : exactText(bytes);
      }
      return bytes.toString('latin1'); // numbers, dates, times: the server's ASCII text
    }),
  );
}

/**
 * A typeCast for streamed reads: like readValuesAsText, except that once a column has given
 * text, its later values are read as bytes and decoded here (exactText). A column's first
 * value is read by mysql2, which tells text from bytes; if that very value holds U+FFFD, its
 * bytes cannot be checked any more, and it is returned as the bytes of what was decoded, so
 * its row is rejected rather than copied with a replacement character.
 */
export function exactTextCast(
  base: (field: CastField, next: () => unknown) => unknown,
): (field: CastField, next: () => unknown) => unknown {
  const kinds = new WeakMap<CastField, 'text' | 'bytes'>();
  return (field, next) => {
    const kind = kinds.get(field);
    if (kind === 'text') {
      const bytes = field.buffer();
      return bytes === null ? null : exactText(bytes);
    }
    const value = base(field, next);
    if (kind === undefined && value !== null && value !== undefined && CHARSET_DECIDES.has(field.type)) {
      kinds.set(field, typeof value === 'string' ? 'text' : 'bytes');
      if (typeof value === 'string' && value.indexOf(REPLACEMENT) !== -1) return Buffer.from(value, 'utf8');
    }
    return value;
  };
}

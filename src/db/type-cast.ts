/**
 * How mysql2 turns wire values into JS values: every value stays text (a string) or bytes (a
 * Buffer), never a Number, Date or parsed object, so it is written back exactly as it was read
 * (invariant 6). Binary-collated columns, BIT and GEOMETRY arrive as Buffers.
 */

/** The part of mysql2's typeCast field wrapper this module uses. */
export interface CastField {
  readonly type: string;
  string(encoding?: string): string | null;
  buffer(): Buffer | null;
}

/** Column types whose character set decides between text and bytes; mysql2's own reader gets that right. */
const CHARSET_DECIDES = new Set([
  'STRING',
  'VAR_STRING',
  'VARCHAR',
  'TINY_BLOB',
  'MEDIUM_BLOB',
  'LONG_BLOB',
  'BLOB',
]);

export function readValuesAsText(field: CastField, next: () => unknown): unknown {
  if (field.type === 'JSON') return field.string('utf8'); // MySQL 8 sends JSON with the binary charset
  if (field.type === 'BIT' || field.type === 'GEOMETRY') return field.buffer();
  if (CHARSET_DECIDES.has(field.type)) return next();
  return field.string(); // numbers, decimals, dates, times: their exact text
}

/**
 * How mysql2 turns wire values into JS values: every value stays text (a string) or bytes (a
 * Buffer), never a Date, parsed object or floating-point number, so it is written back exactly as
 * it was read (invariant 6). Binary-collated columns, BIT and GEOMETRY arrive as Buffers.
 *
 * Two ways: readValuesAsText, a callback mysql2 runs for every value (EXACT_VALUES, for every
 * query), and, for the bulk copy's reads, mysql2's own parser where it is exact for every column
 * (driverParsedColumns). There the one exception is integers of at most 32 bits, which pass
 * through a JS number (that holds each of them exactly) and are turned back into the text the
 * server sent at once (Database.queryArraysParsed, ZEROFILL padding included).
 */

import { BINARY_TYPES, SMALL_INTEGER_TYPES, TEXT_TYPES } from './column-types.js';

/** The part of mysql2's typeCast field wrapper this module uses. */
export interface CastField {
  readonly type: string;
  string(encoding?: string): string | null;
  buffer(): Buffer | null;
}

/** Column types whose character set decides between text and bytes; mysql2's own reader gets that right. */
export const CHARSET_DECIDES = new Set([
  'STRING',
  'VAR_STRING',
  'VARCHAR',
  'TINY_BLOB',
  'MEDIUM_BLOB',
  'LONG_BLOB',
  'BLOB',
]);

/** The per-query options that read every value as exact text or bytes (see readValuesAsText). */
export const EXACT_VALUES = { typeCast: readValuesAsText } as const;

export function readValuesAsText(field: CastField, next: () => unknown): unknown {
  if (field.type === 'JSON') return field.string('utf8'); // MySQL 8 sends JSON with the binary charset
  if (field.type === 'BIT' || field.type === 'GEOMETRY') return field.buffer();
  if (CHARSET_DECIDES.has(field.type)) return next();
  return field.string(); // numbers, decimals, dates, times: their exact text
}

/**
 * Column types (information_schema DATA_TYPE) that mysql2's own compiled row parser, with the
 * session's connection options (dateStrings, bigNumberStrings, jsonStrings), returns exactly as
 * readValuesAsText would: text, or bytes for binary-collated columns and BIT.
 */
const PARSED_AS_TEXT = new Set<string>([
  'bigint',
  'decimal',
  'date',
  'datetime',
  'timestamp',
  'time',
  ...TEXT_TYPES,
  ...BINARY_TYPES,
  'enum',
  'set',
  'json',
  'bit',
]);

/** Types the parser returns as JS numbers: integers of at most 32 bits, which a number holds exactly. */
const PARSED_AS_INTEGER = new Set<string>(SMALL_INTEGER_TYPES);

/**
 * Whether a select list with these column types can be read by mysql2's parser without the
 * per-value callback (about a third less client CPU for the bulk copy's reads), and which of its
 * columns then arrive as integers to turn back into text. Undefined when any column could not be
 * read exactly that way: FLOAT and DOUBLE (parsed into floating-point numbers), YEAR (0000 and
 * 2000 would both read back as a number), GEOMETRY (parsed into objects), and any type not listed.
 */
export function driverParsedColumns(types: readonly string[]): { integerColumns: number[] } | undefined {
  const integerColumns: number[] = [];
  for (const [i, raw] of types.entries()) {
    const type = raw.toLowerCase();
    if (PARSED_AS_INTEGER.has(type)) integerColumns.push(i);
    else if (!PARSED_AS_TEXT.has(type)) return undefined;
  }
  return { integerColumns };
}

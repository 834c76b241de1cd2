/**
 * The bulk copy's reads of a source table (src/steps/data/copy-part.ts): one keyset chunk (`WHERE
 * <range> ORDER BY key LIMIT n`), as values or, for plans that copy every column unchanged, as
 * the server's bytes with their LOAD DATA text (raw-rows.ts); and a keyless table in one
 * streamed read. Values come back exact (strings and Buffers), never through a JS Number.
 */
import type { Value } from '../handlers/contract.js';
import type { Database, StreamOptions } from './database.js';
import { qualifiedName } from './identifiers.js';
import { type RawInsertValues, rawInsertValues } from './insert-values-text.js';
import { orderBy, type SqlFragment } from './keyset.js';
import { type RawLoadData, rawLoadData } from './load-data-text.js';
import { ROW_MARKER } from './raw-rows.js';
import { readColumns } from './select-list.js';
import { driverParsedColumns } from './type-cast.js';

export interface SourceTable {
  schema: string;
  table: string;
  /** Columns read, in the order rows come back, and their data types (information_schema DATA_TYPE). */
  columns: readonly string[];
  types: readonly string[];
}

/**
 * A chunk as read: values, or the server's bytes with the text that writes them without a value
 * per field (LOAD DATA text, or INSERT tuples for an AUTO_INCREMENT table written in parallel).
 */
export type SourceChunk = Value[][] | RawLoadData | RawInsertValues;

/** The text a chunk kept as bytes is made into at read time. */
export type BytesText = 'load-data' | 'insert-values';

/**
 * Up to `limit` rows of the table within `where`, in `key` order. `asBytes` keeps them as the
 * server's bytes with that text when their text is valid UTF-8 (else the values come back, for
 * the values' path to reject the inexact text).
 */
export async function readSourceChunk(
  source: Database,
  table: SourceTable & { key: readonly string[] },
  where: SqlFragment,
  limit: number,
  asBytes: BytesText | undefined,
): Promise<SourceChunk> {
  const from = `FROM ${qualifiedName(table.schema, table.table)} WHERE ${where.sql} ORDER BY ${orderBy(table.key)} LIMIT ${limit}`;
  const select = readColumns(table.columns, table.types);
  if (asBytes) {
    const raw = await source.queryRaw(
      `SELECT ${ROW_MARKER}, ${select} ${from}`,
      where.bindings,
      table.columns.length,
    );
    const data = asBytes === 'insert-values' ? rawInsertValues(raw) : rawLoadData(raw);
    if (data) return data;
    const values = raw.values();
    raw.release();
    return values;
  }
  const sql = `SELECT ${select} ${from}`;
  const parsed = driverParsedColumns(table.types);
  return parsed
    ? source.queryArraysParsed(sql, where.bindings, parsed.integerColumns)
    : source.queryArrays(sql, where.bindings);
}

/** Every row of a table in one streamed read (a table without a usable key). */
export function streamSourceTable(
  source: Database,
  table: SourceTable,
  options: StreamOptions,
): AsyncIterable<Value[]> {
  return source.streamArrays(
    `SELECT ${readColumns(table.columns, table.types)} FROM ${qualifiedName(table.schema, table.table)}`,
    [],
    options,
  );
}

/**
 * What a live database holds: base tables, their columns in order, their keys and sizes,
 * read from information_schema. The resolver and the integrity check work on this snapshot,
 * never on SQL of their own.
 */
import type { Queryable } from './database.js';

export interface ColumnInfo {
  name: string;
  /** Lower-case base type: int, varchar, decimal, datetime, ... */
  dataType: string;
  /** The full type as declared: `int(10) unsigned`, `varchar(255)`, `decimal(12,4)`. */
  columnType: string;
  nullable: boolean;
  /** True when the column has a default (an explicit NULL default of a nullable column counts). */
  hasDefault: boolean;
  autoIncrement: boolean;
  /** Generated (virtual or stored) columns cannot be written. */
  generated: boolean;
  /** Characters for text types, bytes for binary types. */
  maxLength: number | null;
  numericPrecision: number | null;
  numericScale: number | null;
  datetimePrecision: number | null;
  charset: string | null;
  unsigned: boolean;
}

export interface TableInfo {
  name: string;
  columns: ColumnInfo[];
  /** Primary key columns in key order; empty when the table has none. */
  primaryKey: string[];
  /** Unique keys other than the primary key, each with its columns in key order. */
  uniqueKeys: string[][];
  estimatedRows: number;
  estimatedBytes: number;
  /** The table's COMMENT: how the tool recognises the change logs it created (change-log-shape.ts). */
  comment: string;
}

export type SchemaSnapshot = Map<string, TableInfo>;

interface ColumnRow {
  table_name: string;
  column_name: string;
  data_type: string;
  column_type: string;
  is_nullable: string;
  column_default: string | null;
  extra: string;
  character_maximum_length: string | null;
  numeric_precision: string | null;
  numeric_scale: string | null;
  datetime_precision: string | null;
  character_set_name: string | null;
  generation_expression: string | null;
}

interface KeyRow {
  table_name: string;
  index_name: string;
  column_name: string;
}

interface TableRow {
  table_name: string;
  table_rows: string | null;
  data_length: string | null;
  table_comment: string | null;
}

/** Reads every base table of `schema` (views are not documents). */
export async function readSchema(db: Queryable, schema: string): Promise<SchemaSnapshot> {
  const tables = await db.query<TableRow>(
    `SELECT TABLE_NAME AS table_name, TABLE_ROWS AS table_rows, DATA_LENGTH AS data_length,
            TABLE_COMMENT AS table_comment
       FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE'`,
    [schema],
  );
  const columns = await db.query<ColumnRow>(
    `SELECT TABLE_NAME AS table_name, COLUMN_NAME AS column_name, DATA_TYPE AS data_type,
            COLUMN_TYPE AS column_type, IS_NULLABLE AS is_nullable, COLUMN_DEFAULT AS column_default,
            EXTRA AS extra, CHARACTER_MAXIMUM_LENGTH AS character_maximum_length,
            NUMERIC_PRECISION AS numeric_precision, NUMERIC_SCALE AS numeric_scale,
            DATETIME_PRECISION AS datetime_precision, CHARACTER_SET_NAME AS character_set_name,
            GENERATION_EXPRESSION AS generation_expression
       FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION`,
    [schema],
  );
  const keys = await db.query<KeyRow>(
    `SELECT TABLE_NAME AS table_name, INDEX_NAME AS index_name, COLUMN_NAME AS column_name
       FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND NON_UNIQUE = 0
      ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`,
    [schema],
  );

  const snapshot: SchemaSnapshot = new Map();
  for (const t of tables) {
    snapshot.set(t.table_name, {
      name: t.table_name,
      columns: [],
      primaryKey: [],
      uniqueKeys: [],
      estimatedRows: Number(t.table_rows ?? 0),
      estimatedBytes: Number(t.data_length ?? 0),
      comment: t.table_comment ?? '',
    });
  }
  for (const c of columns) snapshot.get(c.table_name)?.columns.push(toColumnInfo(c));

  const uniques = new Map<string, Map<string, string[]>>();
  for (const k of keys) {
    const table = snapshot.get(k.table_name);
    if (!table) continue;
    if (k.index_name === 'PRIMARY') {
      table.primaryKey.push(k.column_name);
      continue;
    }
    const byIndex = uniques.get(k.table_name) ?? new Map<string, string[]>();
    uniques.set(k.table_name, byIndex);
    byIndex.set(k.index_name, [...(byIndex.get(k.index_name) ?? []), k.column_name]);
  }
  for (const [tableName, byIndex] of uniques) snapshot.get(tableName)?.uniqueKeys.push(...byIndex.values());
  return snapshot;
}

/**
 * The columns rows can be paged by: the primary key, else the first unique key whose columns
 * are all NOT NULL (a unique key over nullable columns admits duplicates of NULL). Null when
 * there is none: such a table is copied in one streamed read.
 */
export function pagingKey(table: TableInfo): string[] | null {
  if (table.primaryKey.length > 0) return table.primaryKey;
  const notNull = (name: string) => table.columns.find((c) => c.name === name)?.nullable === false;
  return table.uniqueKeys.find((key) => key.every(notNull)) ?? null;
}

function toColumnInfo(c: ColumnRow): ColumnInfo {
  const nullable = c.is_nullable === 'YES';
  const extra = c.extra.toLowerCase();
  const generated =
    /\b(virtual|stored|persistent) generated\b|\bvirtual\b|\bpersistent\b/.test(extra) ||
    Boolean(c.generation_expression);
  return {
    name: c.column_name,
    dataType: c.data_type.toLowerCase(),
    columnType: c.column_type.toLowerCase(),
    nullable,
    // MySQL reports no default as SQL NULL; MariaDB reports it as SQL NULL too, and an explicit
    // DEFAULT NULL as the string 'NULL'. Either way a nullable column can be left out of an INSERT.
    hasDefault: c.column_default !== null || nullable,
    autoIncrement: extra.includes('auto_increment'),
    generated,
    maxLength: toNumber(c.character_maximum_length),
    numericPrecision: toNumber(c.numeric_precision),
    numericScale: toNumber(c.numeric_scale),
    datetimePrecision: toNumber(c.datetime_precision),
    charset: c.character_set_name,
    unsigned: c.column_type.toLowerCase().includes('unsigned'),
  };
}

function toNumber(value: string | null): number | null {
  return value === null ? null : Number(value);
}

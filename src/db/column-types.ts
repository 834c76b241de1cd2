/**
 * Column data types (information_schema DATA_TYPE, lower case) by family: the vocabulary of the
 * rules that decide something per type (how a value is read, whether LOAD DATA carries it
 * exactly, whether a conversion narrows it, how a key is split).
 */

/** Integers of at most 32 bits: a JS number holds every value exactly. */
export const SMALL_INTEGER_TYPES = ['tinyint', 'smallint', 'mediumint', 'int', 'integer'] as const;

export const INTEGER_TYPES = [...SMALL_INTEGER_TYPES, 'bigint'] as const;

/** Character strings, read and written as text in their column's character set. */
export const TEXT_TYPES = ['char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext'] as const;

/** Byte strings, read and written as bytes. */
export const BINARY_TYPES = ['binary', 'varbinary', 'tinyblob', 'blob', 'mediumblob', 'longblob'] as const;

export const GEOMETRY_TYPES = [
  'geometry',
  'point',
  'linestring',
  'polygon',
  'multipoint',
  'multilinestring',
  'multipolygon',
  'geometrycollection',
] as const;

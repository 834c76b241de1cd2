/**
 * The foreign keys a schema declares, read from information_schema: what referential integrity
 * means for that database. The check verifies the destination's, the integrity stage the
 * source's; rows loaded with foreign_key_checks=0 (as a bulk copy does) may break them silently.
 */
import type { Queryable } from './database.js';

export interface ForeignKey {
  /** The constraint's name, unique within its schema. */
  name: string;
  schema: string;
  /** The child table and its referencing columns, in constraint order. */
  table: string;
  columns: string[];
  /** The child table's primary key (empty without one): how an orphan row is named. */
  tableKey: string[];
  parentSchema: string;
  parentTable: string;
  parentColumns: string[];
}

interface ConstraintColumnRow {
  name: string;
  table_name: string;
  column_name: string;
  parent_schema: string;
  parent_table: string;
  parent_column: string;
}

interface KeyColumnRow {
  table_name: string;
  column_name: string;
}

/** Every foreign key whose child table is in `schema`, ordered by table and name. */
export async function readForeignKeys(db: Queryable, schema: string): Promise<ForeignKey[]> {
  const columns = await db.query<ConstraintColumnRow>(
    `SELECT k.CONSTRAINT_NAME AS name, k.TABLE_NAME AS table_name, k.COLUMN_NAME AS column_name,
            k.REFERENCED_TABLE_SCHEMA AS parent_schema, k.REFERENCED_TABLE_NAME AS parent_table,
            k.REFERENCED_COLUMN_NAME AS parent_column
       FROM information_schema.REFERENTIAL_CONSTRAINTS r
       JOIN information_schema.KEY_COLUMN_USAGE k
         ON k.CONSTRAINT_SCHEMA = r.CONSTRAINT_SCHEMA AND k.CONSTRAINT_NAME = r.CONSTRAINT_NAME
        AND k.TABLE_NAME = r.TABLE_NAME
      WHERE r.CONSTRAINT_SCHEMA = ? AND k.REFERENCED_TABLE_NAME IS NOT NULL
      ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION`,
    [schema],
  );
  const primary = await db.query<KeyColumnRow>(
    `SELECT TABLE_NAME AS table_name, COLUMN_NAME AS column_name
       FROM information_schema.KEY_COLUMN_USAGE
      WHERE TABLE_SCHEMA = ? AND CONSTRAINT_NAME = 'PRIMARY'
      ORDER BY TABLE_NAME, ORDINAL_POSITION`,
    [schema],
  );
  const keys = new Map<string, string[]>();
  for (const row of primary) keys.set(row.table_name, [...(keys.get(row.table_name) ?? []), row.column_name]);

  const byConstraint = new Map<string, ForeignKey>();
  for (const row of columns) {
    const id = `${row.table_name}\0${row.name}`;
    let key = byConstraint.get(id);
    if (!key) {
      key = {
        name: row.name,
        schema,
        table: row.table_name,
        columns: [],
        tableKey: keys.get(row.table_name) ?? [],
        parentSchema: row.parent_schema,
        parentTable: row.parent_table,
        parentColumns: [],
      };
      byConstraint.set(id, key);
    }
    key.columns.push(row.column_name);
    key.parentColumns.push(row.parent_column);
  }
  return [...byConstraint.values()];
}

/**
 * The SQL of change tracking on the source (src/steps/delta/tracking.ts installs it, cleanup.ts
 * removes it): the key columns' exact types, which tables exist, the change-log table, the
 * AFTER trigger that logs a row's key, and their removal. Callers run the DDL through
 * runSourceDdl (short lock_wait_timeout, retried: invariant 9); the names, the comment and
 * the signature that make them the tool's come from the caller.
 */
import type { Queryable } from './database.js';
import { qualifiedName, quoteIdentifier } from './identifiers.js';

/** ER_NO_SUCH_TABLE: what a trigger's INSERT meets when its change log was dropped. */
const NO_SUCH_TABLE = 1146;

export interface ColumnTypeInfo {
  column_name: string;
  column_type: string;
  character_set_name: string | null;
  collation_name: string | null;
}

/** Each column's full type with its character set and collation, so a change log's key columns hold the same values. */
export async function columnTypes(db: Queryable, schema: string, table: string): Promise<ColumnTypeInfo[]> {
  return db.query<ColumnTypeInfo>(
    `SELECT COLUMN_NAME AS column_name, COLUMN_TYPE AS column_type, CHARACTER_SET_NAME AS character_set_name,
            COLLATION_NAME AS collation_name
       FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?`,
    [schema, table],
  );
}

/** The names of the tables (and views) in `schema`. */
export async function tableNames(db: Queryable, schema: string): Promise<Set<string>> {
  const rows = await db.query<{ name: string }>(
    'SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?',
    [schema],
  );
  return new Set(rows.map((r) => r.name));
}

/** Tables whose name starts with `prefix` (taken literally) and whose comment is `comment`, by name. */
export async function tablesWithPrefixAndComment(
  db: Queryable,
  schema: string,
  prefix: string,
  comment: string,
): Promise<string[]> {
  const like = `${prefix.replace(/[\\_%]/g, '\\$&')}%`;
  const rows = await db.query<{ name: string }>(
    `SELECT TABLE_NAME AS name FROM information_schema.TABLES
      WHERE TABLE_SCHEMA = ? AND TABLE_NAME LIKE ? AND TABLE_COMMENT = ? ORDER BY TABLE_NAME`,
    [schema, like, comment],
  );
  return rows.map((r) => r.name);
}

/**
 * A change log: an auto-increment id (the order changes are applied in), the key columns as
 * given (`name type`), the operation and when it happened.
 */
export async function createChangeLogTable(
  db: Queryable,
  schema: string,
  name: string,
  keyColumns: ReadonlyArray<{ name: string; type: string }>,
  comment: string,
): Promise<void> {
  const keys = keyColumns.map((c) => `${quoteIdentifier(c.name)} ${c.type} NULL`);
  await db.execute(
    `CREATE TABLE IF NOT EXISTS ${qualifiedName(schema, name)} (
         id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
         ${keys.join(',\n         ')},
         op CHAR(1) NOT NULL,
         changed_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
       ) ENGINE=InnoDB COMMENT='${comment.replace(/'/g, "''")}'`,
  );
}

export type LoggedEvent = 'INSERT' | 'UPDATE' | 'DELETE';

export interface LoggingTrigger {
  schema: string;
  name: string;
  event: LoggedEvent;
  /** The tracked table, in `schema`. */
  table: string;
  /** Its key columns, in order; logged into the change log's `logColumns`. */
  key: readonly string[];
  changeLog: string;
  logColumns: readonly string[];
  /** The trigger it is placed before (PRECEDES), when the table has one of the same timing and event. */
  precedes?: string;
  /** A comment line the body carries, by which the trigger is recognised as the caller's. */
  signature: string;
}

/**
 * An AFTER trigger that logs the row's key and the operation (I, U, D; an UPDATE that changes
 * the key logs the old key's removal first). It ignores a missing change log (a handler for
 * ER_NO_SUCH_TABLE): the shop's statement must never fail because of the tool.
 */
export async function createLoggingTrigger(db: Queryable, trigger: LoggingTrigger): Promise<void> {
  const changeLog = qualifiedName(trigger.schema, trigger.changeLog);
  const logList = trigger.logColumns.map(quoteIdentifier).join(', ');
  const values = (row: 'NEW' | 'OLD') => trigger.key.map((k) => `${row}.${quoteIdentifier(k)}`).join(', ');
  const log = (row: 'NEW' | 'OLD', op: string) =>
    `INSERT INTO ${changeLog} (${logList}, op) VALUES (${values(row)}, '${op}')`;
  const keyUnchanged = trigger.key
    .map((k) => `OLD.${quoteIdentifier(k)} <=> NEW.${quoteIdentifier(k)}`)
    .join(' AND ');
  const bodies: Record<LoggedEvent, string> = {
    INSERT: `${log('NEW', 'I')};`,
    // A key change is the old key's removal and the new key's arrival.
    UPDATE: `IF NOT (${keyUnchanged}) THEN ${log('OLD', 'D')}; END IF;
         ${log('NEW', 'U')};`,
    DELETE: `${log('OLD', 'D')};`,
  };
  const order = trigger.precedes ? ` PRECEDES ${quoteIdentifier(trigger.precedes)}` : '';
  await db.execute(
    `CREATE TRIGGER ${qualifiedName(trigger.schema, trigger.name)} AFTER ${trigger.event} ON ${qualifiedName(trigger.schema, trigger.table)} FOR EACH ROW${order}
       BEGIN
         DECLARE CONTINUE HANDLER FOR ${NO_SUCH_TABLE} BEGIN END;
         ${trigger.signature}
         ${bodies[trigger.event]}
       END`,
  );
}

export async function dropTriggerIfExists(db: Queryable, schema: string, name: string): Promise<void> {
  await db.execute(`DROP TRIGGER IF EXISTS ${qualifiedName(schema, name)}`);
}

export async function dropTableIfExists(db: Queryable, schema: string, table: string): Promise<void> {
  await db.execute(`DROP TABLE IF EXISTS ${qualifiedName(schema, table)}`);
}

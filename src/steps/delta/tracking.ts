/**
 * Installs change tracking on a source table: a change-log table and AFTER INSERT / UPDATE /
 * DELETE triggers that write only the key and the operation. The source's own triggers stay
 * (invariant 8: several triggers per event). Installing again is idempotent: what exists is
 * kept, so no pending change is ever lost by a second setup.
 */
import type { Database } from '../../db/database.js';
import { qualifiedName, quoteIdentifier } from '../../db/identifiers.js';
import { CHANGE_LOG_COMMENT } from './change-log-names.js';
import type { TrackedDocument } from './tracked-documents.js';

/** Change-log column holding key column `i`: fixed names, so no key name can clash with id/op. */
export const keyColumn = (i: number) => `key_${i}`;

interface KeyColumnInfo {
  column_name: string;
  column_type: string;
  character_set_name: string | null;
  collation_name: string | null;
}

export async function installTracking(
  tracker: Database,
  tracked: TrackedDocument,
): Promise<{ created: string[] }> {
  const { plan, key, names } = tracked;
  const schema = tracker.schema;
  const created: string[] = [];
  const columns = await tracker.query<KeyColumnInfo>(
    `SELECT COLUMN_NAME AS column_name, COLUMN_TYPE AS column_type, CHARACTER_SET_NAME AS character_set_name,
            COLLATION_NAME AS collation_name
       FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?`,
    [schema, plan.sourceTable],
  );
  const keyDefinitions = key.map((name, i) => {
    const info = columns.find((c) => c.column_name === name);
    if (!info) throw new Error(`${plan.sourceTable} has no column ${name}`);
    const charset = info.character_set_name
      ? ` CHARACTER SET ${info.character_set_name} COLLATE ${info.collation_name}`
      : '';
    return `${quoteIdentifier(keyColumn(i))} ${info.column_type}${charset} NULL`;
  });

  const changeLog = qualifiedName(schema, names.changeLog);
  const existing = await tracker.query(
    'SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?',
    [schema, names.changeLog],
  );
  if (existing.length === 0) {
    await tracker.execute(
      `CREATE TABLE IF NOT EXISTS ${changeLog} (
         id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
         ${keyDefinitions.join(',\n         ')},
         op CHAR(1) NOT NULL,
         changed_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
       ) ENGINE=InnoDB COMMENT='${CHANGE_LOG_COMMENT}'`,
    );
    created.push(names.changeLog);
  }

  const triggers = new Set(
    (
      await tracker.query<{ name: string }>(
        'SELECT TRIGGER_NAME AS name FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ? AND EVENT_OBJECT_TABLE = ?',
        [schema, plan.sourceTable],
      )
    ).map((t) => t.name),
  );
  const table = qualifiedName(schema, plan.sourceTable);
  const keyList = key.map((_, i) => quoteIdentifier(keyColumn(i))).join(', ');
  const values = (row: 'NEW' | 'OLD') => key.map((k) => `${row}.${quoteIdentifier(k)}`).join(', ');
  const log = (row: 'NEW' | 'OLD', op: string) =>
    `INSERT INTO ${changeLog} (${keyList}, op) VALUES (${values(row)}, '${op}')`;
  const keyUnchanged = key
    .map((k) => `OLD.${quoteIdentifier(k)} <=> NEW.${quoteIdentifier(k)}`)
    .join(' AND ');
  const definitions: Array<[string, string]> = [
    [names.insertTrigger, `AFTER INSERT ON ${table} FOR EACH ROW ${log('NEW', 'I')}`],
    [
      names.updateTrigger,
      // A key change is the old key's removal and the new key's arrival.
      `AFTER UPDATE ON ${table} FOR EACH ROW BEGIN
         IF NOT (${keyUnchanged}) THEN ${log('OLD', 'D')}; END IF;
         ${log('NEW', 'U')};
       END`,
    ],
    [names.deleteTrigger, `AFTER DELETE ON ${table} FOR EACH ROW ${log('OLD', 'D')}`],
  ];
  for (const [name, body] of definitions) {
    if (triggers.has(name)) continue;
    await tracker.execute(`CREATE TRIGGER ${qualifiedName(schema, name)} ${body}`);
    created.push(name);
  }
  return { created };
}

/** The tracked documents whose change log or triggers are gone (a restored backup, a manual cleanup). */
export async function missingTracking(
  tracker: Database,
  tracked: readonly TrackedDocument[],
): Promise<string[]> {
  const schema = tracker.schema;
  const tables = new Set(
    (
      await tracker.query<{ name: string }>(
        'SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?',
        [schema],
      )
    ).map((t) => t.name),
  );
  const triggers = new Set(
    (
      await tracker.query<{ name: string }>(
        'SELECT TRIGGER_NAME AS name FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?',
        [schema],
      )
    ).map((t) => t.name),
  );
  return tracked
    .filter(
      ({ names }) =>
        !tables.has(names.changeLog) ||
        !triggers.has(names.insertTrigger) ||
        !triggers.has(names.updateTrigger) ||
        !triggers.has(names.deleteTrigger),
    )
    .map((t) => t.plan.document);
}

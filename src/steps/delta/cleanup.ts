/**
 * `migrate cleanup`: removes every trigger and change-log table delta tracking installed on the
 * source, and nothing else. A trigger qualifies when its name carries the prefix and one of the
 * tool's suffixes and it writes into a table that carries the prefix; a table when its name
 * carries the prefix and its comment is the tool's marker. Running it again finds nothing.
 */
import type { Database } from '../../db/database.js';
import { qualifiedName } from '../../db/identifiers.js';
import { CHANGE_LOG_COMMENT } from './change-log-names.js';

export interface CleanupList {
  triggers: string[];
  tables: string[];
}

export async function findInstalled(tracker: Database, prefix: string): Promise<CleanupList> {
  const like = `${prefix.replace(/[\\_%]/g, '\\$&')}%`;
  const triggers = await tracker.query<{ name: string; statement: string }>(
    `SELECT TRIGGER_NAME AS name, ACTION_STATEMENT AS statement FROM information_schema.TRIGGERS
      WHERE TRIGGER_SCHEMA = ? AND TRIGGER_NAME LIKE ? ORDER BY TRIGGER_NAME`,
    [tracker.schema, like],
  );
  const tables = await tracker.query<{ name: string }>(
    `SELECT TABLE_NAME AS name FROM information_schema.TABLES
      WHERE TABLE_SCHEMA = ? AND TABLE_NAME LIKE ? AND TABLE_COMMENT = ? ORDER BY TABLE_NAME`,
    [tracker.schema, like, CHANGE_LOG_COMMENT],
  );
  return {
    triggers: triggers
      .filter((t) => /_(ai|au|ad)$/.test(t.name) && t.statement.includes(`\`${prefix}`))
      .map((t) => t.name),
    tables: tables.map((t) => t.name),
  };
}

/** Drops the triggers first (so no write fails on a missing change log), then the tables. */
export async function removeInstalled(tracker: Database, installed: CleanupList): Promise<void> {
  for (const trigger of installed.triggers) {
    await tracker.execute(`DROP TRIGGER IF EXISTS ${qualifiedName(tracker.schema, trigger)}`);
  }
  for (const table of installed.tables) {
    await tracker.execute(`DROP TABLE IF EXISTS ${qualifiedName(tracker.schema, table)}`);
  }
}

/**
 * `migrate cleanup`: removes every trigger and change-log table delta tracking installed on the
 * source, and nothing else. A trigger qualifies only when it is recognisably the tool's
 * (tracking-identity.ts: its name is a tracking name of its own table, its body carries the
 * tool's signature and writes into that table's change log); a table when its name carries the
 * prefix and its comment is the tool's marker. Running it again finds nothing.
 */
import type { Database } from '../../db/database.js';
import { quoteIdentifier } from '../../db/identifiers.js';
import { runSourceDdl, type SourceDdlPolicy } from '../../db/source-ddl.js';
import { readTriggers } from '../../db/table-triggers.js';
import { dropTableIfExists, dropTriggerIfExists, tablesWithPrefixAndComment } from '../../db/tracking-ddl.js';
import { CHANGE_LOG_COMMENT, stepTrackingNames, trackingNames } from './change-log-names.js';
import { isOurTrigger } from './tracking-identity.js';

export interface CleanupList {
  triggers: Array<{ name: string; table: string }>;
  tables: string[];
  /** The accounts our triggers run as (DEFINER); none of them may be dropped before cleanup. */
  definers: string[];
  /** Change logs kept because a trigger that is not the tool's writes into them. */
  keptTables: Array<{ table: string; usedBy: string }>;
}

export async function findInstalled(tracker: Database, prefix: string): Promise<CleanupList> {
  const all = await readTriggers(tracker, tracker.schema);
  const ours = all.filter(
    (t) =>
      isOurTrigger(t, t.table, trackingNames(prefix, t.table)) ||
      isOurTrigger(t, t.table, stepTrackingNames(prefix, t.table)),
  );
  const others = all.filter((t) => !ours.includes(t));
  const tables = await tablesWithPrefixAndComment(tracker, tracker.schema, prefix, CHANGE_LOG_COMMENT);
  // Dropping a table a store trigger writes into would make the store's writes fail.
  const keptTables: CleanupList['keptTables'] = [];
  const removable: string[] = [];
  for (const name of tables) {
    const user = others.find((t) => t.statement.includes(quoteIdentifier(name)));
    if (user) keptTables.push({ table: name, usedBy: user.name });
    else removable.push(name);
  }
  return {
    triggers: ours
      .map((t) => ({ name: t.name, table: t.table }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    tables: removable,
    definers: [...new Set(ours.map((t) => t.definer))].sort(),
    keptTables,
  };
}

/**
 * Drops the triggers first (so no write of the store's meets a trigger without its change log),
 * then the tables; each DROP under the short lock timeout with retries (source-ddl.ts).
 */
export async function removeInstalled(
  tracker: Database,
  installed: CleanupList,
  policy: SourceDdlPolicy,
): Promise<void> {
  for (const trigger of installed.triggers) {
    await runSourceDdl(
      tracker,
      { table: trigger.table, purpose: `removing change tracking from ${trigger.table}` },
      policy,
      (session) => dropTriggerIfExists(session, tracker.schema, trigger.name),
    );
  }
  for (const table of installed.tables) {
    await runSourceDdl(tracker, { table, purpose: `removing the change log ${table}` }, policy, (session) =>
      dropTableIfExists(session, tracker.schema, table),
    );
  }
}

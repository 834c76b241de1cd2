/**
 * What the operator is told about change tracking on the source: the store's own triggers on
 * tracked tables (a stored procedure running on such a table at the instant tracking is
 * installed may write rows the change log does not see) and the account that owns our triggers
 * (dropping it before `migrate cleanup` makes every shop write on a tracked table fail).
 * Used by `migrate data` (at install), `preflight`, `plan`, `status` and `cleanup`.
 */
import type { Database } from '../../db/database.js';
import { readTriggers, type TriggerInfo } from '../../db/table-triggers.js';
import type { TrackedDocument } from './tracked-documents.js';
import { isOurTrigger } from './tracking-identity.js';

/** The warning for a tracked table that has triggers of its own. */
export function ownTriggersNote(table: string, own: readonly TriggerInfo[]): string {
  const list = own.map((t) => `${t.name} (${t.timing} ${t.event})`).join(', ');
  return (
    `${table} has triggers of its own: ${list}. Tracking goes first among them (PRECEDES), so the shop's ` +
    'prepared statements keep working; but a stored-procedure call already running at the instant tracking is ' +
    'installed does not fire it until the call ends, so its writes meanwhile are not logged for delta. The install ' +
    `therefore waits for statements older than itself to end (at most lock_retry_time) before copying ${table}; ` +
    'a call inside a transaction the shop commits later is still missed: if the shop runs such procedures, ' +
    'confirm with `migrate check --deep` after delta'
  );
}

/** The warning about the owner of our triggers. */
export function definerNote(definers: readonly string[]): string {
  return (
    `the change-tracking triggers on the source run as ${definers.join(', ')} (their DEFINER): do not drop ` +
    'or rename that database user before `migrate cleanup` has removed them, or every shop INSERT/UPDATE/DELETE ' +
    'on a tracked table fails with ERROR 1449 (the user specified as a definer does not exist)'
  );
}

/** The notes `preflight` and `plan` print for tracked tables with triggers of their own. */
export async function trackedTablesWithOwnTriggers(
  source: Database,
  tracked: readonly TrackedDocument[],
): Promise<string[]> {
  const triggers = await readTriggers(source, source.schema);
  const notes: string[] = [];
  for (const { plan, names } of tracked) {
    const own = triggers.filter((t) => t.table === plan.sourceTable && !isOurTrigger(t, t.table, names));
    if (own.length > 0) notes.push(ownTriggersNote(plan.sourceTable, own));
  }
  return notes;
}

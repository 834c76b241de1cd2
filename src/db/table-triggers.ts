/**
 * The triggers of a schema as information_schema describes them: enough to tell the tool's
 * change-tracking triggers from the store's own (name, table and body together), to place ours
 * first among a table's triggers of the same timing and event, and to say who owns them.
 */
import type { Queryable } from './database.js';

export interface TriggerInfo {
  name: string;
  table: string;
  timing: 'BEFORE' | 'AFTER';
  event: 'INSERT' | 'UPDATE' | 'DELETE';
  /** 1 for the trigger that fires first among those of its table, timing and event. */
  order: number;
  /** The body as the server keeps it (comments included). */
  statement: string;
  /** The account the trigger runs as, e.g. `m1@%`. */
  definer: string;
}

/** Every trigger of `schema`, or of one table of it, in firing order per table, timing and event. */
export async function readTriggers(db: Queryable, schema: string, table?: string): Promise<TriggerInfo[]> {
  const rows = await db.query<{
    name: string;
    table: string;
    timing: TriggerInfo['timing'];
    event: TriggerInfo['event'];
    order: string | number;
    statement: string;
    definer: string;
  }>(
    `SELECT TRIGGER_NAME AS name, EVENT_OBJECT_TABLE AS \`table\`, ACTION_TIMING AS timing,
            EVENT_MANIPULATION AS event, ACTION_ORDER AS \`order\`, ACTION_STATEMENT AS statement,
            DEFINER AS definer
       FROM information_schema.TRIGGERS
      WHERE TRIGGER_SCHEMA = ?${table === undefined ? '' : ' AND EVENT_OBJECT_TABLE = ?'}
      ORDER BY EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER`,
    table === undefined ? [schema] : [schema, table],
  );
  return rows.map((r) => ({ ...r, order: Number(r.order) }));
}

/**
 * What waits in a change log (src/steps/delta/tracking.ts creates them): how many changes, and
 * how old the oldest is, measured by the server's clock (the one that stamped `changed_at`).
 */
import type { Queryable } from './database.js';
import { qualifiedName } from './identifiers.js';

export interface ChangeLogBacklog {
  rows: number;
  /** Age in seconds of the oldest change; 0 when none waits. */
  lagSeconds: number;
}

export async function changeLogBacklog(
  db: Pick<Queryable, 'query'>,
  schema: string,
  changeLog: string,
): Promise<ChangeLogBacklog> {
  const [row] = await db.query<{ n: string; lag: string | null }>(
    `SELECT COUNT(*) AS n, TIMESTAMPDIFF(MICROSECOND, MIN(changed_at), NOW(6)) / 1e6 AS lag
       FROM ${qualifiedName(schema, changeLog)}`,
  );
  return { rows: Number(row?.n ?? 0), lagSeconds: Math.max(0, Number(row?.lag ?? 0)) };
}

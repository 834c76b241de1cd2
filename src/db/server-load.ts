/**
 * How busy a server is, read the way pt-online-schema-change (--max-load) and gh-ost's
 * throttler read it: the number of threads running statements right now, and, when the
 * server is a replica, how far it lags its primary.
 */
import type { Queryable } from './database.js';

type Session = Pick<Queryable, 'query'>;

/** SHOW GLOBAL STATUS Threads_running: statements executing now, this probe's own included. */
export async function threadsRunning(session: Session): Promise<number> {
  const rows = await session.query<{ Value?: unknown; VALUE?: unknown }>(
    "SHOW GLOBAL STATUS LIKE 'Threads_running'",
  );
  return Number(rows[0]?.Value ?? rows[0]?.VALUE ?? 0);
}

export type ReplicaLag =
  /** The server is not a replica. */
  | { kind: 'not-replica' }
  /** Replication is stopped or broken: the server reports no lag. */
  | { kind: 'unknown' }
  | { kind: 'seconds'; seconds: number };

/**
 * The replica's lag in seconds (the largest over its replication channels). SHOW REPLICA STATUS
 * is MySQL 8.0.22+ and MariaDB 10.5.1+ (MySQL 8 names the column Seconds_Behind_Source);
 * older servers only know SHOW SLAVE STATUS.
 */
export async function replicaLag(session: Session): Promise<ReplicaLag> {
  let rows: Record<string, unknown>[];
  try {
    rows = await session.query('SHOW REPLICA STATUS');
  } catch (error) {
    if ((error as { code?: string }).code !== 'ER_PARSE_ERROR') throw error;
    rows = await session.query('SHOW SLAVE STATUS');
  }
  if (rows.length === 0) return { kind: 'not-replica' };
  let worst: number | undefined;
  for (const row of rows) {
    const value = row.Seconds_Behind_Source ?? row.Seconds_Behind_Master;
    if (value === null || value === undefined) return { kind: 'unknown' };
    worst = Math.max(worst ?? 0, Number(value));
  }
  return { kind: 'seconds', seconds: worst ?? 0 };
}

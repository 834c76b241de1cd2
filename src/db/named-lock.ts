/**
 * The server's named locks (GET_LOCK) and the small destination table that says who holds
 * one. A named lock belongs to the session that took it, so the server releases it by itself
 * when that session ends, however the process died: no stale lock file to clean up. The
 * holder table only describes; the lock itself is the truth (a row whose lock nobody holds is
 * a run that is gone).
 */
import type { Queryable } from './database.js';
import { qualifiedName } from './identifiers.js';

/** Any session that runs queries: the run's own lock session, or a pool for readers. */
type Session = Pick<Queryable, 'query'>;

export interface LockHolder {
  host: string;
  pid: number;
  command: string;
  /** ISO time the run took the lock. */
  since: string;
  /** What the run's throttle says now ("Threads_running 31 > 25"), when it is paused. */
  throttle: string | null;
  /** ISO time the throttle started, when paused. */
  throttledSince: string | null;
}

/** Takes the lock without waiting: true when this session now holds it. */
export async function tryGetLock(connection: Session, name: string): Promise<boolean> {
  const rows = await connection.query<Record<string, unknown>>('SELECT GET_LOCK(?, 0) AS got', [name]);
  return String(rows[0]?.got) === '1';
}

/** The server connection id holding the lock, or null when nobody holds it. */
export async function lockOwner(connection: Session, name: string): Promise<number | null> {
  const rows = await connection.query<Record<string, unknown>>('SELECT IS_USED_LOCK(?) AS owner', [name]);
  const owner = rows[0]?.owner;
  return owner === null || owner === undefined ? null : Number(owner);
}

export async function releaseLock(connection: Session, name: string): Promise<void> {
  await connection.query('SELECT RELEASE_LOCK(?)', [name]);
}

/** A cheap round trip that keeps the session (and so the lock) alive and proves it still is. */
export async function ping(connection: Session): Promise<void> {
  await connection.query('SELECT 1');
}

export async function ensureHolderTable(connection: Session, schema: string, table: string) {
  await connection.query(
    `CREATE TABLE IF NOT EXISTS ${qualifiedName(schema, table)} (
       lock_name VARCHAR(64) NOT NULL PRIMARY KEY,
       host VARCHAR(255) NOT NULL,
       pid INT UNSIGNED NOT NULL,
       command VARCHAR(255) NOT NULL,
       since DATETIME(3) NOT NULL,
       throttle VARCHAR(255) NULL,
       throttled_since DATETIME(3) NULL
     ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
  );
}

/** Records this run as the holder; written only after GET_LOCK succeeded. */
export async function writeHolder(
  connection: Session,
  schema: string,
  table: string,
  name: string,
  holder: Pick<LockHolder, 'host' | 'pid' | 'command'>,
): Promise<void> {
  await connection.query(
    `INSERT INTO ${qualifiedName(schema, table)} (lock_name, host, pid, command, since, throttle, throttled_since)
     VALUES (?, ?, ?, ?, UTC_TIMESTAMP(3), NULL, NULL)
     ON DUPLICATE KEY UPDATE host = VALUES(host), pid = VALUES(pid), command = VALUES(command),
       since = VALUES(since), throttle = NULL, throttled_since = NULL`,
    [name, holder.host.slice(0, 255), holder.pid, holder.command.slice(0, 255)],
  );
}

/** The holder's throttle state, so `migrate status` (another process) can show it. */
export async function writeThrottle(
  connection: Session,
  schema: string,
  table: string,
  name: string,
  throttle: { reason: string; since: Date } | undefined,
): Promise<void> {
  await connection.query(
    `UPDATE ${qualifiedName(schema, table)} SET throttle = ?, throttled_since = ? WHERE lock_name = ?`,
    [throttle?.reason.slice(0, 255) ?? null, throttle ? isoForSql(throttle.since) : null, name],
  );
}

export async function deleteHolder(connection: Session, schema: string, table: string, name: string) {
  await connection.query(`DELETE FROM ${qualifiedName(schema, table)} WHERE lock_name = ?`, [name]);
}

/** The recorded holder, or undefined when there is no row (or no table yet). */
export async function readHolder(
  connection: Session,
  schema: string,
  table: string,
  name: string,
): Promise<LockHolder | undefined> {
  try {
    const rows = await connection.query<Record<string, unknown>>(
      `SELECT host, pid, command,
              DATE_FORMAT(since, '%Y-%m-%dT%H:%i:%s.%fZ') AS since, throttle,
              DATE_FORMAT(throttled_since, '%Y-%m-%dT%H:%i:%s.%fZ') AS throttled_since
         FROM ${qualifiedName(schema, table)} WHERE lock_name = ?`,
      [name],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      host: String(row.host),
      pid: Number(row.pid),
      command: String(row.command),
      since: String(row.since),
      throttle: row.throttle === null ? null : String(row.throttle),
      throttledSince: row.throttled_since === null ? null : String(row.throttled_since),
    };
  } catch (error) {
    if ((error as { code?: string }).code === 'ER_NO_SUCH_TABLE') return undefined;
    throw error;
  }
}

function isoForSql(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

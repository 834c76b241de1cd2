/**
 * Which sessions keep a DDL statement from getting its table's metadata lock, so the operator
 * can wait for them or end them. The precise answer needs a lock table: MariaDB's
 * information_schema.METADATA_LOCK_INFO (the metadata_lock_info plugin, often not installed)
 * or MySQL's performance_schema.metadata_locks. Without one, the likely holders are listed:
 * sessions with an open transaction and sessions running a statement that names the table.
 * Without the PROCESS privilege the server shows only the tool user's own sessions.
 */
import type { Queryable } from './database.js';

export interface Blocker {
  /** The processlist id, as `KILL <id>` takes it. */
  id: number;
  user: string;
  /** How long its statement (or, for an idle open transaction, the transaction) has run. */
  seconds: number;
  /** The first characters of what it runs; null for an idle session holding a transaction. */
  statement: string | null;
  /** How it was found: from a lock table (certain) or by the fallback (likely). */
  evidence: 'holds the lock' | 'open transaction' | 'running statement';
}

const STATEMENT_CHARS = 80;

interface Row {
  id: string | number;
  user: string | null;
  seconds: string | number | null;
  statement: string | null;
}

/** The sessions holding (or likely holding) `schema`.`table`, other than the asking session. */
export async function findBlockers(db: Queryable, schema: string, table: string): Promise<Blocker[]> {
  const fromLockTable = await fromMetadataLockInfo(db, schema, table);
  if (fromLockTable) return fromLockTable;
  return likelyHolders(db, table);
}

/** A Blocker line for logs and errors: `id 42 (shop, 17 s): SELECT SLEEP(20) FROM orders`. */
export function describeBlocker(b: Blocker): string {
  const what = b.statement ?? `idle in an open transaction (${b.evidence})`;
  return `id ${b.id} (${b.user}, ${b.seconds} s): ${what}`;
}

async function fromMetadataLockInfo(db: Queryable, schema: string, table: string): Promise<Blocker[] | null> {
  const sources = [
    // MariaDB, with the metadata_lock_info plugin.
    `SELECT DISTINCT p.ID AS id, p.USER AS user, p.TIME AS seconds, p.INFO AS statement
       FROM information_schema.METADATA_LOCK_INFO m
       JOIN information_schema.PROCESSLIST p ON p.ID = m.THREAD_ID
      WHERE m.TABLE_SCHEMA = ? AND m.TABLE_NAME = ? AND m.THREAD_ID <> CONNECTION_ID()`,
    // MySQL 5.7+/8 with performance_schema on (it is on by default there).
    `SELECT DISTINCT t.PROCESSLIST_ID AS id, t.PROCESSLIST_USER AS user, t.PROCESSLIST_TIME AS seconds,
            t.PROCESSLIST_INFO AS statement
       FROM performance_schema.metadata_locks m
       JOIN performance_schema.threads t ON t.THREAD_ID = m.OWNER_THREAD_ID
      WHERE m.OBJECT_TYPE = 'TABLE' AND m.OBJECT_SCHEMA = ? AND m.OBJECT_NAME = ? AND m.LOCK_STATUS = 'GRANTED'
        AND t.PROCESSLIST_ID IS NOT NULL AND t.PROCESSLIST_ID <> CONNECTION_ID()
        AND @@performance_schema = 1`,
  ];
  for (const sql of sources) {
    let rows: Row[];
    try {
      rows = await db.query<Row>(sql, [schema, table]);
    } catch {
      continue; // that lock table does not exist here, or the tool may not read it
    }
    // MariaDB's performance_schema has the table but leaves it empty unless enabled: only a
    // non-empty answer from it is evidence. The plugin's answer counts even when empty.
    if (rows.length > 0 || sql.includes('METADATA_LOCK_INFO')) {
      return rows.map((r) => blocker(r, 'holds the lock'));
    }
  }
  return null;
}

async function likelyHolders(db: Queryable, table: string): Promise<Blocker[]> {
  const like = `%${table.replace(/[\\_%]/g, '\\$&')}%`;
  // A session queued for the table's lock is a victim, not a holder.
  const processlist = `SELECT p.ID AS id, p.USER AS user, p.TIME AS seconds, p.INFO AS statement, p.COMMAND AS command
       FROM information_schema.PROCESSLIST p WHERE COALESCE(p.STATE, '') NOT LIKE 'Waiting for%lock%'`;
  let withTransactions: Array<Row & { command: string; trx: string | number | null }>;
  try {
    withTransactions = await db.query(
      `SELECT q.*, TIMESTAMPDIFF(SECOND, t.trx_started, NOW()) AS trx
         FROM (${processlist}) q
         LEFT JOIN information_schema.INNODB_TRX t ON t.trx_mysql_thread_id = q.id
        WHERE q.id <> CONNECTION_ID()
          AND (t.trx_id IS NOT NULL OR (q.command NOT IN ('Sleep', 'Daemon', 'Binlog Dump') AND q.statement LIKE ?))`,
      [like],
    );
  } catch {
    // INNODB_TRX needs the PROCESS privilege: the running statements alone, then.
    withTransactions = (
      await db.query<Row & { command: string }>(
        `${processlist} AND p.ID <> CONNECTION_ID() AND p.COMMAND NOT IN ('Sleep', 'Daemon', 'Binlog Dump') AND p.INFO LIKE ?`,
        [like],
      )
    ).map((r) => ({ ...r, trx: null }));
  }
  return withTransactions
    .filter((r) => !(r.statement ?? '').includes('information_schema.'))
    .map((r) => {
      const running = r.command !== 'Sleep' && r.statement !== null;
      const b = blocker(r, running ? 'running statement' : 'open transaction');
      return r.trx === null ? b : { ...b, seconds: Math.max(b.seconds, Number(r.trx)) };
    })
    .sort((a, b) => b.seconds - a.seconds);
}

function blocker(r: Row, evidence: Blocker['evidence']): Blocker {
  const statement = r.statement === null ? null : r.statement.replace(/\s+/g, ' ').trim();
  return {
    id: Number(r.id),
    user: r.user ?? '?',
    seconds: Number(r.seconds ?? 0),
    statement:
      statement === null || statement.length <= STATEMENT_CHARS
        ? statement
        : `${statement.slice(0, STATEMENT_CHARS)}...`,
    evidence,
  };
}

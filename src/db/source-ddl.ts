/**
 * DDL on the live source (change-log tables, change-tracking triggers, their removal) without
 * taking the shop down. A CREATE/DROP TRIGGER needs the table's exclusive metadata lock; while it
 * waits for a long report query or an open transaction to let go, every new shop query on that
 * table queues behind it (measured: a one-row UPDATE took 17 s behind a 20 s report). So each
 * try runs in a session whose `lock_wait_timeout` is short (the shop waits at most about that
 * long), steps back when it expires so the queue drains, and tries again with backoff for a
 * bounded time, saying which session holds the table. pt-online-schema-change does the same.
 *
 * Waiting at all can fail the shop: a shop transaction that read the table and then writes it
 * while the DDL waits for it closes a metadata-lock cycle, and the server's deadlock detector
 * always picks the DML side as the victim ("Deadlock found" in the shop, measured with the
 * Magento storefront). So where the server allows it (MariaDB: lock_wait_timeout 0 is NOWAIT)
 * a try never waits: it takes the lock at once or steps back, and tries again soon. MySQL's
 * minimum is 1 s; there a try waits up to the policy's timeout, as before.
 */
import { ExitCode, MigrateError } from '../errors.js';
import type { Database, Queryable } from './database.js';
import { type Blocker, describeBlocker, findBlockers } from './lock-blockers.js';

export interface SourceDdlPolicy {
  /** Seconds one try may wait for its lock (the session's lock_wait_timeout). */
  lockWaitTimeout: number;
  /** Seconds to keep retrying, counted from the first try; 0 tries once. */
  retryTime: number;
  /** Called after each try that timed out, with who holds the table. */
  onWait?: (wait: DdlWait) => void;
  /** Asked between tries: a stop stops the retries (the DDL is not done). */
  stopRequested?: () => boolean;
}

export interface DdlWait {
  /** The table whose lock the DDL waits for. */
  table: string;
  /** What the DDL does, for messages: "install change tracking on orders". */
  purpose: string;
  tries: number;
  waitedSeconds: number;
  retryTime: number;
  blockers: Blocker[];
}

/** ER_LOCK_WAIT_TIMEOUT: what a metadata lock wait past lock_wait_timeout ends with. */
const LOCK_WAIT_TIMEOUT = 1205;
const FIRST_PAUSE_MS = 500;
const MAX_PAUSE_MS = 8000;
/** A try that never waits costs the shop nothing: the next one comes sooner. */
const NOWAIT_FIRST_PAUSE_MS = 50;
const NOWAIT_MAX_PAUSE_MS = 1000;

/**
 * Runs `work` on one source session whose lock_wait_timeout is the policy's, again while a try
 * times out waiting for a lock. `work` must be safe to run again after a try that timed out
 * (IF [NOT] EXISTS, or a look first: it may read on the session before it writes). Its reads go
 * through the session it is given, never the pool, which concurrent installs may hold.
 */
export async function runSourceDdl(
  db: Database,
  target: { table: string; purpose: string },
  policy: SourceDdlPolicy,
  work: (session: Queryable) => Promise<unknown>,
): Promise<void> {
  const started = Date.now();
  const timeout = Math.max(1, Math.floor(policy.lockWaitTimeout));
  let nowait = false;
  let reportedAt = started;
  for (let tries = 1; ; tries++) {
    try {
      await db.transaction(async (session) => {
        nowait = await neverWait(session, timeout);
        await work(session);
      });
      return;
    } catch (error) {
      if ((error as { errno?: number }).errno !== LOCK_WAIT_TIMEOUT) throw error;
      const waitedSeconds = Math.round((Date.now() - started) / 1000);
      const last = Date.now() - started + timeout * 1000 > policy.retryTime * 1000;
      // A try that does not wait fails many times a second: say who holds the table about as
      // often as a waiting try would.
      const report = !nowait || last || Date.now() - reportedAt >= timeout * 1000;
      const blockers = report ? await findBlockers(db, db.schema, target.table).catch(() => []) : [];
      if (report) {
        reportedAt = Date.now();
        policy.onWait?.({ ...target, tries, waitedSeconds, retryTime: policy.retryTime, blockers });
      }
      const [first, most] = nowait
        ? [NOWAIT_FIRST_PAUSE_MS, NOWAIT_MAX_PAUSE_MS]
        : [FIRST_PAUSE_MS, MAX_PAUSE_MS];
      const pause = Math.min(most, first * 2 ** (tries - 1)) * (0.75 + Math.random() / 2);
      const tryCost = nowait ? 0 : timeout * 1000;
      const out = Date.now() - started + pause + tryCost > policy.retryTime * 1000;
      if (policy.stopRequested?.()) throw stopped(target);
      if (out) {
        const named = report ? blockers : await findBlockers(db, db.schema, target.table).catch(() => []);
        throw lockTimeout(target, tries, waitedSeconds, named, error);
      }
      await sleep(pause, policy.stopRequested);
      if (policy.stopRequested?.()) throw stopped(target);
    }
  }
}

/**
 * Makes the session's lock waits NOWAIT where the server allows it (MariaDB accepts 0; MySQL
 * raises it to its minimum of 1), else sets the policy's timeout. True when tries never wait.
 */
async function neverWait(session: Queryable, timeout: number): Promise<boolean> {
  await session.execute('SET SESSION lock_wait_timeout = 0');
  const [row] = await session.query<{ t: number | string }>('SELECT @@SESSION.lock_wait_timeout AS t');
  if (Number(row?.t) === 0) return true;
  await session.execute(`SET SESSION lock_wait_timeout = ${timeout}`);
  return false;
}

/** The operator-facing line of a wait: who holds the table and what to do about it. */
export function describeWait(wait: DdlWait): string {
  const who =
    wait.blockers.length === 0
      ? 'the session holding it has not been found (it may belong to another user: the PROCESS privilege shows all sessions)'
      : `held by ${wait.blockers.map(describeBlocker).join('; ')}`;
  const kill = wait.blockers[0] ? `, or end that session (KILL ${wait.blockers[0].id})` : '';
  return (
    `${wait.purpose}: ${wait.table} is in use, ${who}. The shop is not held up meanwhile; ` +
    `retrying for up to ${wait.retryTime} s (${wait.waitedSeconds} s so far). Wait for it to finish${kill}`
  );
}

function lockTimeout(
  target: { table: string; purpose: string },
  tries: number,
  waitedSeconds: number,
  blockers: readonly Blocker[],
  cause: unknown,
): MigrateError {
  const who = blockers.length === 0 ? '' : ` (held by ${blockers.map(describeBlocker).join('; ')})`;
  const kill = blockers.map((b) => `KILL ${b.id}`).join(', ');
  return new MigrateError(
    `${target.purpose}: could not lock ${target.table} in ${tries} tries over ${waitedSeconds} s${who}; nothing was changed by the last try`,
    {
      code: 'TRACKING_LOCK_TIMEOUT',
      exitCode: ExitCode.failed,
      hint:
        `wait for the long query or open transaction on ${target.table} to end${kill ? ` or end it (${kill})` : ''}, ` +
        'then run the same command again (it resumes); to wait longer, raise <lock_retry_time> in config.xml',
      cause,
    },
  );
}

function stopped(target: { table: string; purpose: string }): MigrateError {
  return new MigrateError(
    `${target.purpose}: stopped while waiting for ${target.table}; nothing was changed by the last try`,
    {
      code: 'STOPPED',
      exitCode: ExitCode.interrupted,
      hint: 'run the same command again to resume',
    },
  );
}

async function sleep(ms: number, stopRequested?: () => boolean): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until && !stopRequested?.()) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(100, until - Date.now())));
  }
}

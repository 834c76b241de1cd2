/**
 * One run at a time per source/destination pair (DESIGN invariant 10). Two copies or two delta
 * runs of one pair write the same rows: duplicate-key rejects by the hundred thousand, and a
 * delta run that paused mid-batch writes stale rows over the other run's newer ones, so
 * updates are lost behind a green "caught up". Every writing command (`data`, `delta`,
 * `settings`, `cleanup`, `data --retry-rejected`) takes this lock first; read-only ones do not.
 *
 * The lock is the destination server's named lock (GET_LOCK), held by a session of its own for
 * the whole run. The server releases it when that session ends, so a killed run (even
 * SIGKILL) never leaves a stale lock behind. The session is pinged every few seconds; when it
 * is lost, another run could take the lock, so this run is stopped (after the work in hand)
 * and ends with RUN_LOCK_LOST. Who holds the lock (host, pid, command, since when, and
 * whether it is throttled) is written to a small destination table once the lock is taken,
 * for the refused run's message and for `migrate status`.
 */
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { type Config, type DatabaseConfig, describeDatabase } from '../config/types.js';
import type { Queryable } from '../db/database.js';
import {
  deleteHolder,
  ensureHolderTable,
  type LockHolder,
  lockOwner,
  ping,
  readHolder,
  releaseLock,
  tryGetLock,
  writeHolder,
  writeThrottle,
} from '../db/named-lock.js';
import { openSingleConnection, type SingleConnection, sessionQueries } from '../db/single-connection.js';
import { ExitCode, errorText, MigrateError } from '../errors.js';
import { secondsAgo, type ThrottleState } from './throttle.js';

/** How often the lock session is pinged; a lost session is noticed within this time. */
const KEEP_ALIVE_MS = 5000;

export interface RunLock {
  readonly name: string;
  /** Set once the lock's session is lost: the run must stop, another run could start now. */
  readonly lost: MigrateError | undefined;
  /** Throws {@link lost} when the lock was lost; call before reporting a run as done or stopped. */
  throwIfLost(): void;
  /** Records whether the run is throttled, for `migrate status`. Never fails the run. */
  recordThrottle(state: ThrottleState | undefined): void;
  /** Releases the lock and forgets the holder; call in a finally. */
  release(): Promise<void>;
}

/**
 * The lock's name: one per source/destination pair, from both sides' address and schema, and
 * within the server's 64-character limit for lock names.
 */
export function runLockName(config: Pick<Config, 'source' | 'destination'>): string {
  const side = (db: DatabaseConfig) => `${db.socket ?? `${db.host}:${db.port}`}/${db.name}`;
  const digest = createHash('sha256')
    .update(`${side(config.source)}\n${side(config.destination)}`)
    .digest('hex');
  return `store-migrate:${digest.slice(0, 40)}`;
}

/** The destination table that names the lock's holder: the progress table's name plus `_lock`. */
export function holderTable(config: Pick<Config, 'options'>): string {
  return `${config.options.progressTable.slice(0, 59)}_lock`;
}

/**
 * Takes the run lock for `command` (e.g. "migrate data config.xml"), or throws RUN_LOCKED
 * (exit 5) naming the run that holds it. `onLost` is called once if the lock's session dies
 * mid-run; it should ask the run to stop.
 */
export async function acquireRunLock(
  config: Config,
  command: string,
  onLost: (error: MigrateError) => void,
): Promise<RunLock> {
  const name = runLockName(config);
  const table = holderTable(config);
  const schema = config.destination.name;
  const connection = await openSingleConnection(config.destination, 'destination');
  const session = sessionQueries(connection);
  let lost: MigrateError | undefined;
  let released = false;
  let timer: NodeJS.Timeout | undefined;
  const lose = (error: unknown) => {
    if (lost || released) return;
    lost = lockLost(config, error);
    if (timer) clearInterval(timer);
    onLost(lost);
  };
  // A dead session surfaces as an 'error' event on the connection; without a listener it would crash the process.
  connection.on('error', lose);
  try {
    if (!(await tryGetLock(session, name))) {
      throw await refusal(session, config, name, table);
    }
    await ensureHolderTable(session, schema, table);
    await writeHolder(session, schema, table, name, { host: hostname(), pid: process.pid, command });
  } catch (error) {
    released = true;
    await endQuietly(connection);
    throw error;
  }
  timer = setInterval(() => {
    ping(session).catch(lose);
  }, KEEP_ALIVE_MS);
  timer.unref();
  // Throttle updates queue behind each other: the last state written is the last one seen.
  let writes: Promise<void> = Promise.resolve();
  return {
    name,
    get lost() {
      return lost;
    },
    throwIfLost() {
      if (lost) throw lost;
    },
    recordThrottle(state) {
      if (lost || released) return;
      writes = writes.then(() => writeThrottle(session, schema, table, name, state)).catch(() => {});
    },
    async release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      await writes;
      if (!lost) {
        await deleteHolder(session, schema, table, name).catch(() => {});
        await releaseLock(session, name).catch(() => {});
      }
      await endQuietly(connection);
    },
  };
}

/** A run in progress on this pair, as `migrate status` shows it; undefined when none is. */
export async function runInProgress(
  destination: Pick<Queryable, 'query'>,
  config: Config,
): Promise<string | undefined> {
  const name = runLockName(config);
  const owner = await lockOwner(destination, name);
  if (owner === null) return undefined;
  const holder = await readHolder(destination, config.destination.name, holderTable(config), name);
  return `run in progress: ${describeHolder(holder, owner)}${holder?.throttle ? `; ${throttleText(holder)}` : ''}`;
}

async function refusal(
  session: Pick<Queryable, 'query'>,
  config: Config,
  name: string,
  table: string,
): Promise<MigrateError> {
  const owner = await lockOwner(session, name);
  const holder = await readHolder(session, config.destination.name, table, name);
  const who = describeHolder(holder, owner);
  return new MigrateError(`another run of this source and destination is in progress: ${who}`, {
    code: 'RUN_LOCKED',
    exitCode: ExitCode.locked,
    hint: holder
      ? `wait for it to end, or stop it (Ctrl+C where it runs, or \`kill ${holder.pid}\` on ${holder.host}); a run that dies releases the lock by itself. Read-only commands (check, status, plan, preflight) may run beside it`
      : `wait for it to end, or find it with SHOW PROCESSLIST (connection ${owner ?? '?'}) on the destination server; a run that dies releases the lock by itself`,
  });
}

function describeHolder(holder: LockHolder | undefined, owner: number | null): string {
  if (!holder) return `a session that has not said who it is yet (destination connection ${owner ?? '?'})`;
  const since = new Date(holder.since);
  return `\`${holder.command}\` by pid ${holder.pid} on ${holder.host} since ${since.toISOString().replace(/\.\d+Z$/, 'Z')} (${secondsAgo(since)} s ago)`;
}

function throttleText(holder: LockHolder): string {
  const since = holder.throttledSince ? ` since ${secondsAgo(new Date(holder.throttledSince))} s` : '';
  return `throttled: ${holder.throttle}${since}`;
}

function lockLost(config: Config, cause: unknown): MigrateError {
  return new MigrateError(
    `the connection holding the run lock on ${describeDatabase(config.destination)} was lost (${errorText(cause)}): ` +
      'another run could start now, so this run stopped after the work in hand',
    {
      code: 'RUN_LOCK_LOST',
      exitCode: ExitCode.failed,
      hint: 'check the destination server and the network, then run the same command again; it resumes',
      cause,
    },
  );
}

async function endQuietly(connection: SingleConnection): Promise<void> {
  await connection.end().catch(() => connection.destroy());
}

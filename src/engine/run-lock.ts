/**
 * One run at a time per source/destination pair (DESIGN invariant 10). Two copies or two delta
 * runs of one pair write the same rows: duplicate-key rejects by the hundred thousand, and a
 * delta run that paused mid-batch writes stale rows over the other run's newer ones, so
 * updates are lost behind a green "caught up". Every writing command (`data`, `delta`,
 * `settings`, `cleanup`, `data --retry-rejected`) takes this lock first; read-only ones do not.
 *
 * The lock is the destination server's named lock (GET_LOCK), held by a session of its own for
 * the whole run. The server releases it when that session ends, so a killed run (even
 * SIGKILL) never leaves a stale lock behind. The session is pinged every few seconds. When it
 * is lost (a destination restart, a network cut, a KILL), the work waits at its next chunk or
 * batch while the lock is taken again on a new session; if another run got it first, or the
 * destination stays out of reach, this run stops after the work in hand with RUN_LOCK_LOST.
 * Who holds the lock (host, pid, command, since when, and
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
import {
  destroySession,
  openSingleConnection,
  type SingleConnection,
  sessionQueries,
} from '../db/single-connection.js';
import { ExitCode, errorText, MigrateError } from '../errors.js';
import type { Logger } from '../log.js';
import { secondsAgo, type ThrottleState } from './throttle.js';

/** How often the lock session is pinged; a lost session is noticed within this time. */
const KEEP_ALIVE_MS = 5000;
/** How long a run tries to take its lock back after its session was lost (a server restart, a network cut). */
const RETAKE_FOR_MS = 120_000;

export interface RunLock {
  readonly name: string;
  /** Set once the lock is lost for good: the run must stop, another run may hold it now. */
  readonly lost: MigrateError | undefined;
  /**
   * Why the work must wait now, while a lost lock session is being replaced (the lock re-taken
   * on a new session); undefined while the lock is held.
   */
  pauseReason(): string | undefined;
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
 * (exit 5) naming the run that holds it. `onLost` is called once if the lock is lost for good
 * mid-run (another run took it, or it could not be re-taken in time); it should ask the run to
 * stop. `log` hears about a lost session and the lock re-taken.
 */
export async function acquireRunLock(
  config: Config,
  command: string,
  log: Pick<Logger, 'warn' | 'info'>,
  onLost: (error: MigrateError) => void,
): Promise<RunLock> {
  const lock = new HeldRunLock(config, command, log, onLost);
  await lock.take();
  return lock;
}

class HeldRunLock implements RunLock {
  readonly name: string;
  private readonly table: string;
  private readonly schema: string;
  private connection: SingleConnection | undefined;
  private session: Pick<Queryable, 'query'> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lostError: MigrateError | undefined;
  private retaking: { since: number; cause: unknown } | undefined;
  private released = false;
  /** Holder-row writes queue behind each other: the last state written is the last one seen. */
  private writes: Promise<void> = Promise.resolve();

  constructor(
    private readonly config: Config,
    private readonly command: string,
    private readonly log: Pick<Logger, 'warn' | 'info'>,
    private readonly onLost: (error: MigrateError) => void,
  ) {
    this.name = runLockName(config);
    this.table = holderTable(config);
    this.schema = config.destination.name;
  }

  get lost(): MigrateError | undefined {
    return this.lostError;
  }

  /** The first take: refused (RUN_LOCKED) when another run holds the lock. */
  async take(): Promise<void> {
    const { connection, session } = await this.connect();
    try {
      if (!(await tryGetLock(session, this.name))) {
        throw await refusal(session, this.config, this.name, this.table);
      }
      await ensureHolderTable(session, this.schema, this.table);
      await this.recordHolder(session);
    } catch (error) {
      this.released = true;
      await endQuietly(connection);
      throw error;
    }
    this.hold(connection, session);
  }

  pauseReason(): string | undefined {
    if (!this.retaking) return undefined;
    return `the run lock's connection was lost (${errorText(this.retaking.cause)}); taking the lock again`;
  }

  throwIfLost(): void {
    if (this.lostError) throw this.lostError;
  }

  recordThrottle(state: ThrottleState | undefined): void {
    const session = this.session;
    if (!session || this.released) return;
    this.writes = this.writes
      .then(() => writeThrottle(session, this.schema, this.table, this.name, state))
      .catch(() => {});
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    clearInterval(this.timer);
    await this.writes;
    const { connection, session } = this;
    if (session && !this.lostError && !this.retaking) {
      await deleteHolder(session, this.schema, this.table, this.name).catch(() => {});
      await releaseLock(session, this.name).catch(() => {});
    }
    if (connection) await endQuietly(connection);
  }

  private async connect(): Promise<{ connection: SingleConnection; session: Pick<Queryable, 'query'> }> {
    const connection = await openSingleConnection(this.config.destination, 'destination');
    return { connection, session: sessionQueries(connection) };
  }

  private async recordHolder(session: Pick<Queryable, 'query'>): Promise<void> {
    await writeHolder(session, this.schema, this.table, this.name, {
      host: hostname(),
      pid: process.pid,
      command: this.command,
    });
  }

  /** Keeps the session alive and watches it; its loss starts {@link retake}. */
  private hold(connection: SingleConnection, session: Pick<Queryable, 'query'>): void {
    this.connection = connection;
    this.session = session;
    // A dead session surfaces as an 'error' event; unheard, it would end the process.
    connection.on('error', (error: unknown) => this.sessionLost(connection, error));
    this.timer = setInterval(() => {
      ping(session).catch((error: unknown) => this.sessionLost(connection, error));
    }, KEEP_ALIVE_MS);
    this.timer.unref();
  }

  private sessionLost(connection: SingleConnection, cause: unknown): void {
    if (this.released || this.lostError || this.connection !== connection) return;
    clearInterval(this.timer);
    this.connection = undefined;
    this.session = undefined;
    destroySession(connection);
    this.retaking = { since: Date.now(), cause };
    this.log.warn(
      `the run lock's connection to the destination was lost (${errorText(cause)}): the work waits while the lock is taken again`,
    );
    void this.retake();
  }

  /**
   * A server restart or a network cut ends the lock's session, and with it the lock. The run
   * takes it again on a new session, the work waiting meanwhile (pauseReason); if another run
   * took it first, or the destination stays out of reach, the lock is lost for good.
   */
  private async retake(): Promise<void> {
    const started = this.retaking?.since ?? Date.now();
    for (let attempt = 0; !this.released; attempt++) {
      let opened: { connection: SingleConnection; session: Pick<Queryable, 'query'> } | undefined;
      try {
        opened = await this.connect();
        opened.connection.on('error', () => {});
        if (await tryGetLock(opened.session, this.name)) {
          if (this.released) {
            await endQuietly(opened.connection);
            return;
          }
          await this.recordHolder(opened.session).catch(() => {});
          this.retaking = undefined;
          this.hold(opened.connection, opened.session);
          this.log.info(
            `run lock taken again after ${Math.round((Date.now() - started) / 1000)} s: going on`,
          );
          return;
        }
        const owner = await lockOwner(opened.session, this.name);
        await endQuietly(opened.connection);
        return this.loseForGood(
          new Error(`another session (destination connection ${owner ?? '?'}) took the run lock meanwhile`),
        );
      } catch (error) {
        if (opened) destroySession(opened.connection);
        if (Date.now() - started >= RETAKE_FOR_MS) return this.loseForGood(error);
        await new Promise((resolve) => setTimeout(resolve, Math.min(1000 * 2 ** attempt, 10_000)));
      }
    }
  }

  private loseForGood(cause: unknown): void {
    this.retaking = undefined;
    if (this.released || this.lostError) return;
    this.lostError = lockLost(this.config, cause);
    this.onLost(this.lostError);
  }
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
    `the run lock on ${describeDatabase(config.destination)} was lost and could not be taken again (${errorText(cause)}): ` +
      'another run may hold it now, so this run stopped after the work in hand',
    {
      code: 'RUN_LOCK_LOST',
      exitCode: ExitCode.failed,
      hint: 'check the destination server and the network, then run the same command again; it resumes',
      cause,
    },
  );
}

/** Ends the session politely when the server answers within a few seconds, and closes its socket in any case. */
async function endQuietly(connection: SingleConnection): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    connection.end().catch(() => undefined),
    new Promise((resolve) => {
      timer = setTimeout(resolve, END_WITHIN_MS);
      timer.unref();
    }),
  ]);
  clearTimeout(timer);
  destroySession(connection);
}

const END_WITHIN_MS = 5000;

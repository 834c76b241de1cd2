/**
 * The copy's and delta's brake, as pt-online-schema-change's --max-load and gh-ost's throttler
 * work: while the source is overloaded (Threads_running above `max_threads_running`), lags as a
 * replica (above `max_replica_lag` seconds), or the operator's flag file exists, the bulk copy
 * waits between chunks and delta between batches; they go on by themselves once it is over.
 *
 * One probe a second on a session of its own fills a cached state, so a chunk asks
 * {@link Throttle.wait} without a round trip. A throttled run never times out and never gives
 * up because of it; only Ctrl+C (the stop signal) ends a wait. A probe that fails (the source
 * is briefly unreachable) throttles nothing: the copy's own retries deal with a lost server.
 */
import { existsSync } from 'node:fs';
import type { Config } from '../config/types.js';
import { replicaLag, threadsRunning } from '../db/server-load.js';
import {
  destroySession,
  openSingleConnection,
  type SingleConnection,
  sessionQueries,
} from '../db/single-connection.js';
import { errorText } from '../errors.js';
import type { Logger } from '../log.js';
import type { StopSignal } from '../steps/data/copy-part.js';

/** Why the run is paused, and since when. */
export interface ThrottleState {
  reason: string;
  since: Date;
}

/** What the copy and delta see of a throttle: a wait that returns once it is over (or on Ctrl+C). */
export interface ThrottleGate {
  wait(stop: StopSignal): Promise<void>;
}

export interface ThrottleLimits {
  /** 0: never throttle on it. */
  maxThreadsRunning: number;
  /** Seconds; 0: never throttle on it. */
  maxReplicaLag: number;
  flagFile?: string;
}

const CHECK_EVERY_MS = 1000;
/** A probe that takes longer than this is abandoned: the source is not answering. */
const PROBE_DEADLINE_MS = 10_000;
const WAIT_STEP_MS = 100;
/** While throttled, the log repeats the reason this often, so a long pause is not mistaken for a hang. */
const REMIND_EVERY_MS = 30_000;

export class Throttle implements ThrottleGate {
  private current: ThrottleState | undefined;
  private timer: NodeJS.Timeout | undefined;
  private connection: SingleConnection | undefined;
  private probing = false;
  private closed = false;
  private lagReadable = true;
  private probeFailing = false;
  private lastReminder = 0;

  private constructor(
    private readonly limits: ThrottleLimits,
    private readonly open: (() => Promise<SingleConnection>) | undefined,
    private readonly log: Logger,
    private readonly onChange: (state: ThrottleState | undefined) => void,
    private readonly holds: ReadonlyArray<() => string | undefined>,
  ) {}

  /**
   * Starts probing `config`'s source once a second (the first probe before this returns, so a
   * run that starts overloaded or paused waits before its first chunk). `holds` are other
   * reasons to wait, asked just as often (the run lock while it is being taken again).
   */
  static async start(
    config: Config,
    log: Logger,
    onChange: (state: ThrottleState | undefined) => void = () => {},
    holds: ReadonlyArray<() => string | undefined> = [],
  ): Promise<Throttle> {
    const { maxThreadsRunning, maxReplicaLag, throttleFlagFile } = config.options;
    const limits = {
      maxThreadsRunning,
      maxReplicaLag,
      ...(throttleFlagFile ? { flagFile: throttleFlagFile } : {}),
    };
    const needsServer = maxThreadsRunning > 0 || maxReplicaLag > 0;
    const throttle = new Throttle(
      limits,
      needsServer ? () => openSingleConnection(config.source, 'source') : undefined,
      log,
      onChange,
      holds,
    );
    await throttle.check();
    throttle.timer = setInterval(() => void throttle.check(), CHECK_EVERY_MS);
    throttle.timer.unref();
    return throttle;
  }

  /** The pause in force, if any. */
  get state(): ThrottleState | undefined {
    return this.current;
  }

  /** "throttled: Threads_running 31 > 25 since 12 s", or undefined when not throttled. */
  describe(): string | undefined {
    return this.current ? describeThrottle(this.current) : undefined;
  }

  async wait(stop: StopSignal): Promise<void> {
    while (this.current && !stop.requested) {
      await new Promise((resolve) => setTimeout(resolve, WAIT_STEP_MS));
    }
  }

  /** One probe: updates the state and tells the log and `onChange` when it changes. */
  async check(): Promise<void> {
    if (this.probing) return;
    this.probing = true;
    try {
      const reason = await this.reason();
      const was = this.current;
      if (reason && !was) {
        this.current = { reason, since: new Date() };
        this.lastReminder = Date.now();
        this.log.warn(
          `throttled: ${reason}; the copy and delta wait until it is over (they never give up because of it)`,
        );
        this.onChange(this.current);
      } else if (reason && was) {
        const changed = reason !== was.reason;
        this.current = { reason, since: was.since };
        if (changed) this.onChange(this.current);
        if (Date.now() - this.lastReminder >= REMIND_EVERY_MS) {
          this.lastReminder = Date.now();
          this.log.info(describeThrottle(this.current));
        }
      } else if (!reason && was) {
        this.current = undefined;
        this.log.info(`throttle lifted after ${secondsAgo(was.since)} s: going on`);
        this.onChange(undefined);
      }
    } finally {
      this.probing = false;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const connection = this.connection;
    this.connection = undefined;
    // destroy, not end(): end() waits for the server's goodbye, and a source that stopped
    // answering never sends it, so a frozen source would keep the finished run alive for good.
    if (connection) destroySession(connection);
  }

  /** Why to pause now, or undefined. The flag file first: it works even when the source does not answer. */
  private async reason(): Promise<string | undefined> {
    const { flagFile } = this.limits;
    for (const hold of this.holds) {
      const reason = hold();
      if (reason) return reason;
    }
    if (flagFile && existsSync(flagFile)) return `flag file ${flagFile} exists (remove it to go on)`;
    if (!this.open) return undefined;
    try {
      if (!this.connection) {
        const opened = await this.open();
        // A dead session fails the next probe; unheard, its 'error' event would end the process.
        opened.on('error', () => {});
        if (this.closed) {
          // close() ran while this probe connected: an open session would keep the process alive.
          destroySession(opened);
          return undefined;
        }
        this.connection = opened;
      }
      const probing = this.connection;
      // A probe of a source that stopped answering must not wait for good: past the deadline
      // its session is destroyed, which fails the probe (no pause; the next probe reconnects).
      let deadline: NodeJS.Timeout | undefined;
      const expired = new Promise<never>((_, reject) => {
        deadline = setTimeout(() => {
          destroySession(probing);
          reject(new Error(`no answer within ${PROBE_DEADLINE_MS / 1000} s`));
        }, PROBE_DEADLINE_MS);
        deadline.unref();
      });
      try {
        return await Promise.race([this.probe(probing), expired]);
      } finally {
        clearTimeout(deadline);
      }
    } catch (error) {
      if (!this.probeFailing) this.log.warn(`throttle: cannot read the source's load (${errorText(error)})`);
      this.probeFailing = true;
      const broken = this.connection;
      this.connection = undefined;
      if (broken) destroySession(broken);
      return undefined;
    }
  }

  /** The source's load against the limits, on the probe's session. */
  private async probe(connection: SingleConnection): Promise<string | undefined> {
    const { maxThreadsRunning, maxReplicaLag } = this.limits;
    const session = sessionQueries(connection);
    if (maxThreadsRunning > 0) {
      const running = await threadsRunning(session);
      if (running > maxThreadsRunning) return `Threads_running ${running} > ${maxThreadsRunning}`;
    }
    if (maxReplicaLag > 0 && this.lagReadable) {
      const lag = await replicaLag(session).catch((error: unknown) => {
        // Reading replica status needs REPLICATION CLIENT (MariaDB: SLAVE MONITOR): without it, no lag check.
        this.lagReadable = false;
        this.log.warn(
          `cannot read the source's replica status (${errorText(error)}): max_replica_lag is not checked`,
        );
        return { kind: 'not-replica' } as const;
      });
      if (lag.kind === 'unknown') {
        return 'replication on the source is stopped (no Seconds_Behind_Master); start it, or set max_replica_lag to 0 if it is stopped on purpose';
      }
      if (lag.kind === 'seconds' && lag.seconds > maxReplicaLag) {
        return `replica lag ${lag.seconds} s > ${maxReplicaLag} s`;
      }
    }
    this.probeFailing = false;
    return undefined;
  }
}

export function describeThrottle(state: ThrottleState): string {
  return `throttled: ${state.reason} since ${secondsAgo(state.since)} s`;
}

export function secondsAgo(since: Date): number {
  return Math.max(0, Math.round((Date.now() - since.getTime()) / 1000));
}

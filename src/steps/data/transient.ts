/**
 * Errors worth retrying: a lost connection, a server restart, a deadlock, a lock wait timeout.
 * The chunk in hand was rolled back, so retrying from the progress store repeats nothing.
 */

const TRANSIENT_CODES = new Set([
  'PROTOCOL_CONNECTION_LOST',
  'QUERY_TIMEOUT', // the server did not answer in time (src/db/watched-client.ts): the connection was closed
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ER_SERVER_SHUTDOWN',
  'ER_LOCK_DEADLOCK',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_CON_COUNT_ERROR',
]);
const TRANSIENT_ERRNOS = new Set([1053, 1205, 1213, 2006, 2013, 1040, 1927]);

export function isTransient(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const e = current as {
      code?: string;
      errno?: number;
      fatal?: boolean;
      message?: string;
      cause?: unknown;
    };
    if (e.code && TRANSIENT_CODES.has(e.code)) return true;
    if (e.errno && TRANSIENT_ERRNOS.has(e.errno)) return true;
    if (e.fatal) return true;
    if (
      typeof e.message === 'string' &&
      /Connection lost|connection is in closed state|Knex: Timeout acquiring/i.test(e.message)
    ) {
      return true;
    }
    current = e.cause;
  }
  return false;
}

/**
 * Waits before attempt `n` (1-based): 1 s, 2 s, 4 s, ... capped at 30 s. Ends early once `stop`
 * is requested (Ctrl+C), so a run waiting to retry stops at once; the caller then does not retry.
 */
export function backoff(attempt: number, stop?: { readonly requested: boolean }): Promise<void> {
  const ms = Math.min(30_000, 1000 * 2 ** (attempt - 1));
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      clearInterval(watch);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const watch = setInterval(() => {
      if (stop?.requested) done();
    }, STOP_CHECK_MS);
  });
}

/** How often a backoff looks at its stop signal. */
const STOP_CHECK_MS = 100;

/**
 * `migrate cutover --stop-delta`: asks a running `migrate delta` of the same pair to finish the
 * batch in hand and exit, so the cut-over can take the run lock. The request is a second named
 * lock on the destination server (the run lock's name plus `:handover`), held by the cut-over
 * while it waits: a delta on any host sees it (it looks every second), and a cut-over that dies
 * withdraws it by itself, as the server releases a dead session's locks.
 */
import type { Config } from '../config/types.js';
import type { Queryable } from '../db/database.js';
import { lockOwner, releaseLock, tryGetLock } from '../db/named-lock.js';
import { openSingleConnection, sessionQueries } from '../db/single-connection.js';
import { runLockName } from './run-lock.js';

export function handoverLockName(config: Pick<Config, 'source' | 'destination'>): string {
  return `${runLockName(config)}:handover`;
}

export interface HandoverRequest {
  /** Withdraws the request; call once the run lock is taken, or given up on. */
  withdraw(): Promise<void>;
}

/** Asks the running delta to stop; resolves once the request is visible to it. */
export async function requestHandover(config: Config): Promise<HandoverRequest> {
  const connection = await openSingleConnection(config.destination, 'destination');
  connection.on('error', () => {});
  const session = sessionQueries(connection);
  const name = handoverLockName(config);
  // Another cut-over asking at the same time is as good as this one asking.
  await tryGetLock(session, name);
  return {
    async withdraw() {
      await releaseLock(session, name).catch(() => {});
      await connection.end().catch(() => connection.destroy());
    },
  };
}

/** True while a cut-over asks the delta of this pair to stop. */
export async function handoverRequested(
  destination: Pick<Queryable, 'query'>,
  config: Pick<Config, 'source' | 'destination'>,
): Promise<boolean> {
  return (await lockOwner(destination, handoverLockName(config))) !== null;
}

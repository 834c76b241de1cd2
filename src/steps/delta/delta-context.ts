/**
 * The context every delta apply runs with, built in one place so `migrate delta` and the
 * cut-over's drain apply changes the same way: the same rejected-rows and conflict logs, the
 * keys recorded for the cut-over's verify, and the ids the bulk copy used (id maps).
 */
import type { Config } from '../../config/types.js';
import type { Database } from '../../db/database.js';
import { IdMapStore, idMapTableName } from '../../db/id-map-store.js';
import { serverFacts } from '../../db/server-identity.js';
import { ChangedKeys } from '../../progress/changed-keys.js';
import { RejectedLog } from '../data/rejected-log.js';
import type { DeltaContext } from './apply-batch.js';
import { ConflictLog } from './conflict-log.js';

export async function createDeltaContext(
  config: Config,
  databases: { source: Database; tracker: Database; destination: Database },
  batchSize: number,
): Promise<DeltaContext & { changedKeys: ChangedKeys; conflicts: ConflictLog }> {
  const { destination } = databases;
  const facts = await serverFacts(destination);
  const idMaps = new IdMapStore(destination, idMapTableName(config.options.progressTable));
  // Its tables are created by the caller, once it holds the run lock (ChangedKeys.ensureTables).
  const changedKeys = new ChangedKeys(destination, config.options.progressTable);
  return {
    ...databases,
    rejected: new RejectedLog(config.options.rejectedDir),
    maxAllowedPacket: facts.maxAllowedPacket,
    useLoadData: facts.localInfile,
    batchSize,
    conflicts: new ConflictLog(config.options.rejectedDir),
    conflictPolicy: config.options.deltaConflict,
    idMaps,
    changedKeys,
  };
}

/**
 * Proof that a destination holds exactly the mapped source: for every planned document, the
 * checksum of the source columns equals the checksum of the destination columns they map to
 * (columns a handler changes are compared by the tests that own those handlers), and no key
 * appears twice.
 */
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config/load-config.js';
import {
  closeConnections,
  loadMappingFiles,
  openConnections,
  resolveAgainstDatabases,
} from '../../src/steps/plan-stage.js';
import { checksum, duplicateKeys } from './checksum.js';
import { adminConnection } from './database.js';

export async function assertMappedEqual(
  configFile: string,
  owner: 'data' | 'settings' = 'data',
): Promise<number> {
  const config = await loadConfig(configFile);
  const files = await loadMappingFiles(config);
  const connections = await openConnections(config);
  let plans: Awaited<ReturnType<typeof resolveAgainstDatabases>>['plans'];
  try {
    plans = (await resolveAgainstDatabases(config, files, connections)).plans.filter(
      (p) => p.owner === owner,
    );
  } finally {
    await closeConnections(connections);
  }
  const conn = await adminConnection();
  let compared = 0;
  try {
    for (const plan of plans) {
      const transformed = new Set([
        ...plan.sourceHandlers.map((h) => h.field),
        ...plan.destinationHandlers.map((h) => h.field),
      ]);
      const pairs = plan.columns.filter(
        (c) => c.source !== null && !transformed.has(c.source) && !transformed.has(c.destination),
      );
      const source = await checksum(
        conn,
        config.source.name,
        plan.sourceTable,
        pairs.map((p) => p.source ?? ''),
      );
      const destination = await checksum(
        conn,
        config.destination.name,
        plan.destinationTable,
        pairs.map((p) => p.destination),
      );
      assert.deepEqual(destination, source, `${plan.document} -> ${plan.destinationDocument} differs`);
      if (plan.destinationKey) {
        assert.equal(
          await duplicateKeys(conn, config.destination.name, plan.destinationTable, plan.destinationKey),
          0,
        );
      }
      compared++;
    }
  } finally {
    await conn.end();
  }
  return compared;
}

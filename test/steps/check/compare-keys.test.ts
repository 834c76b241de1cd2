/**
 * The keyed deep comparison the cut-over's verify runs, and what feeds it: delta records every
 * key a batch applies (in the batch's transaction), a full deep check marks what it found equal
 * and forgets older keys, and compareKeys compares exactly a key list, a thousand keys a
 * statement, finding missing, extra and changed rows among them and nothing outside them.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import pLimit from 'p-limit';
import { loadConfig } from '../../../src/config/load-config.js';
import { readSchema } from '../../../src/db/schema.js';
import { serverFacts } from '../../../src/db/server-identity.js';
import { ChangedKeys, changedKeysTable } from '../../../src/progress/changed-keys.js';
import { compareKeys } from '../../../src/steps/check/compare-keys.js';
import { documentSides } from '../../../src/steps/check/document-sides.js';
import { RejectedLog } from '../../../src/steps/data/rejected-log.js';
import { applyBatch } from '../../../src/steps/delta/apply-batch.js';
import { trackedDocuments } from '../../../src/steps/delta/tracked-documents.js';
import {
  closeConnections,
  loadMappingFiles,
  openConnections,
  openTracker,
  resolveAgainstDatabases,
} from '../../../src/steps/plan-stage.js';
import { runCli } from '../../support/cli.js';
import { adminConnection } from '../../support/database.js';
import { createStoreEnv } from '../../support/store-env.js';

test('delta records the keys it applies; a full deep check clears them; compareKeys finds exactly the differing rows among a key list, in batches', async () => {
  const env = await createStoreEnv('compare_keys', { orders: 1500 });
  const copied = await runCli(['data', env.configFile, '--only', 'sales_flat_order']);
  assert.equal(copied.status, 0, copied.stderr);
  const conn = await adminConnection();
  const src = `\`${env.sourceSchema}\``;
  const dst = `\`${env.destSchema}\``;
  const config = await loadConfig(env.configFile);
  const files = await loadMappingFiles(config);
  const connections = await openConnections(config);
  const tracker = await openTracker(config);
  try {
    const changedKeys = new ChangedKeys(connections.destination, config.options.progressTable);
    await changedKeys.ensureTables();
    const resolution = await resolveAgainstDatabases(config, files, connections);
    // The cut-over's tables are the tool's own, never documents.
    assert.deepEqual(
      resolution.hidden
        .filter((h) => h.side === 'destination')
        .map((h) => h.table)
        .sort(),
      [
        'migration_progress',
        changedKeysTable('migration_progress'),
        'migration_progress_idmap',
        'migration_progress_lock',
        'migration_progress_verified',
      ].sort(),
    );
    const plan = resolution.plans.find((p) => p.document === 'sales_flat_order');
    const [doc] = trackedDocuments(files.deltaLog!, resolution.plans).filter(
      (t) => t.plan.document === 'sales_flat_order',
    );
    assert.ok(plan && doc);

    // Delta applies two changes and records their keys.
    await conn.query(
      `UPDATE ${src}.sales_flat_order SET grand_total = grand_total + 1 WHERE entity_id IN (3, 4)`,
    );
    const facts = await serverFacts(connections.destination);
    const ctx = {
      source: connections.source,
      tracker,
      destination: connections.destination,
      rejected: new RejectedLog(join(env.dir, 'rejected')),
      maxAllowedPacket: facts.maxAllowedPacket,
      useLoadData: false,
      batchSize: 100,
      changedKeys,
    };
    assert.equal((await applyBatch(ctx, doc)).changes, 2);
    const recorded = (await changedKeys.keys('sales_flat_order')).map((k) => k[0]).sort();
    assert.deepEqual(recorded, ['3', '4']);

    // A full check that began after them keeps them (margin); one that began long after forgets them.
    await changedKeys.markVerified('sales_flat_order', await changedKeys.now());
    assert.equal(
      (await changedKeys.keys('sales_flat_order')).length,
      2,
      'keys stamped just before the check stay',
    );
    await changedKeys.markVerified('sales_flat_order', '2999-01-01 00:00:00');
    assert.equal((await changedKeys.keys('sales_flat_order')).length, 0);
    assert.equal((await changedKeys.unverified(config.options.progressTable)).has('sales_flat_order'), false);

    // The destination drifts: one row changed, one missing, one extra (a key the source does not have).
    await conn.query(`UPDATE ${dst}.sales_order SET grand_total = 1 WHERE entity_id = 10`);
    await conn.query(`DELETE FROM ${dst}.sales_order WHERE entity_id = 20`);
    await conn.query(`DELETE FROM ${src}.sales_flat_order WHERE entity_id = 30`);
    // Drift outside the key list is not the list's business.
    await conn.query(`UPDATE ${dst}.sales_order SET grand_total = 2 WHERE entity_id = 40`);

    const [source, destination] = await Promise.all([
      readSchema(connections.source, connections.source.schema),
      readSchema(connections.destination, connections.destination.schema),
    ]);
    const sides = documentSides(
      plan,
      connections,
      { source: source.get(plan.sourceTable)!, destination: destination.get(plan.destinationTable)! },
      'mariadb',
    );
    // 2,500 keys: three statements a side; 99999 is on neither side.
    const keys = [
      ...Array.from({ length: 2499 }, (_, i) => [String(i + 1)]).filter((k) => k[0] !== '40'),
      ['99999'],
    ];
    const result = await compareKeys(plan, sides, keys, {
      keyLimit: 20,
      limit: pLimit(2),
      rejectedDir: join(env.dir, 'rejected'),
    });
    assert.equal(result.batches, 3);
    assert.deepEqual(result.counts, { missing: 1, extra: 1, changed: 1 });
    assert.deepEqual([result.missing, result.extra, result.changed], [[['20']], [['30']], [['10']]]);
  } finally {
    await tracker.close();
    await closeConnections(connections);
    await conn.end();
  }
});

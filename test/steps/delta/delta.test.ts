import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../../src/config/load-config.js';
import { serverFacts } from '../../../src/db/server-identity.js';
import { startStorefront } from '../../../src/demo/storefront-process.js';
import { RejectedLog } from '../../../src/steps/data/rejected-log.js';
import { applyBatch } from '../../../src/steps/delta/apply-batch.js';
import { trackedDocuments } from '../../../src/steps/delta/tracked-documents.js';
import { installTracking } from '../../../src/steps/delta/tracking.js';
import {
  closeConnections,
  loadMappingFiles,
  openConnections,
  openTracker,
  resolveAgainstDatabases,
} from '../../../src/steps/plan-stage.js';
import { runCli } from '../../support/cli.js';
import { adminConnection, testServer } from '../../support/database.js';
import { assertMappedEqual } from '../../support/mapped-equality.js';
import { runWatched } from '../../support/output-watch.js';
import { createStoreEnv, type StoreEnv } from '../../support/store-env.js';

/** The simulated storefront on this test's v1 store, selling at `rate` operations per second. */
async function startWriter(env: StoreEnv, rate: number, seed: number) {
  const server = await testServer();
  const url = `mysql://${server.user}:${encodeURIComponent(server.password)}@${server.host}:${server.port}`;
  const storefront = startStorefront({ url, schema: env.sourceSchema, rate, seed });
  return {
    ...storefront,
    // The storefront records database errors instead of dying on them: the shop never sees one from the tool.
    async stop() {
      const stats = await storefront.stop();
      assert.equal(stats.errors.count, 0, stats.errors.first.join('\n'));
      return stats;
    },
  };
}

async function countRows(schema: string, table: string): Promise<number> {
  const conn = await adminConnection();
  const [rows] = await conn.query<import('mysql2').RowDataPacket[]>(
    `SELECT COUNT(*) AS n FROM \`${schema}\`.\`${table}\``,
  );
  await conn.end();
  return Number(rows[0]?.n);
}

test('a storefront writing during migrate data and migrate delta: after --until-caught-up the destination equals the mapped source', async () => {
  const env = await createStoreEnv('delta_live', { orders: 1500, options: '<bulk_size>50</bulk_size>' });
  const writer = await startWriter(env, 150, 7);
  const copied = await runCli(['data', env.configFile]);
  // The shop kept selling during the copy: counts may differ now, by changes waiting for delta.
  assert.equal(copied.status, 0, copied.stderr);
  assert.doesNotMatch(copied.stdout, /\bmismatch\b/);

  const delta = runWatched(['delta', env.configFile, '--poll-interval', '100']);
  await new Promise((r) => setTimeout(r, 3000));
  const { operations } = await writer.stop();
  assert.ok(operations > 100, `the writer made ${operations} operations`);
  // On a loaded machine Node may still be starting after 3 s: the signal goes once delta applies.
  await delta.stderr.until(/delta: tracking/);
  delta.child.kill('SIGINT');
  const stopped = await delta.result;
  assert.equal(stopped.status, 130, stopped.stderr);
  assert.match(stopped.stdout, /sales_flat_order\s+\d+/);

  const caughtUp = await runCli(['delta', env.configFile, '--until-caught-up', '--quiet-period', '300']);
  assert.equal(caughtUp.status, 0, caughtUp.stderr);
  assert.match(caughtUp.stderr, /caught up/);
  assert.equal(await assertMappedEqual(env.configFile), 9);
  assert.ok((await countRows(env.destSchema, 'sales_order_item')) > 0);
});

test('a change that lands between the re-read of a row and the deletion of its change-log rows still arrives', async () => {
  const env = await createStoreEnv('delta_race', { orders: 30 });
  const copied = await runCli(['data', env.configFile, '--only', 'sales_flat_order']);
  assert.equal(copied.status, 0, copied.stderr);
  const conn = await adminConnection();
  const s = `\`${env.sourceSchema}\``;
  await conn.query(`UPDATE ${s}.sales_flat_order SET grand_total = 100 WHERE entity_id = 1`);

  const config = await loadConfig(env.configFile);
  const files = await loadMappingFiles(config);
  const connections = await openConnections(config);
  const tracker = await openTracker(config);
  try {
    const resolution = await resolveAgainstDatabases(config, files, connections);
    const [doc] = trackedDocuments(files.deltaLog!, resolution.plans).filter(
      (t) => t.plan.document === 'sales_flat_order',
    );
    assert.ok(doc);
    const facts = await serverFacts(connections.destination);
    let raced = false;
    const ctx = {
      source: connections.source,
      tracker,
      destination: connections.destination,
      rejected: new RejectedLog(join(env.dir, 'rejected')),
      maxAllowedPacket: facts.maxAllowedPacket,
      useLoadData: false,
      batchSize: 100,
      afterReread: async () => {
        if (raced) return;
        raced = true;
        // The shop changes the row after delta read it and before delta clears the change log.
        await conn.query(`UPDATE ${s}.sales_flat_order SET grand_total = 200 WHERE entity_id = 1`);
      },
    };
    const first = await applyBatch(ctx, doc);
    assert.equal(first.changes, 1);
    assert.equal(raced, true);
    const [afterFirst] = await conn.query<import('mysql2').RowDataPacket[]>(
      `SELECT grand_total FROM \`${env.destSchema}\`.sales_order WHERE entity_id = 1`,
    );
    assert.equal(afterFirst[0]?.grand_total, '100.0000'); // the value read before the race
    const second = await applyBatch(ctx, doc);
    assert.equal(second.changes, 1, 'the raced change kept its change-log row');
    const [afterSecond] = await conn.query<import('mysql2').RowDataPacket[]>(
      `SELECT grand_total FROM \`${env.destSchema}\`.sales_order WHERE entity_id = 1`,
    );
    assert.equal(afterSecond[0]?.grand_total, '200.0000');
    assert.equal((await applyBatch(ctx, doc)).changes, 0);

    // Setting up again is idempotent: nothing created, a pending change kept.
    await conn.query(`UPDATE ${s}.sales_flat_order SET grand_total = 300 WHERE entity_id = 2`);
    assert.deepEqual(
      (await installTracking(tracker, doc, { lockWaitTimeout: 2, retryTime: 10 })).created,
      [],
    );
    assert.equal(await countRows(env.sourceSchema, 'm2_cl_sales_flat_order'), 1);
  } finally {
    await tracker.close();
    await closeConnections(connections);
    await conn.end();
  }
});

test('a trigger the store already had keeps firing; cleanup removes only what the tool installed, twice safely', async () => {
  const env = await createStoreEnv('delta_triggers', { orders: 20 });
  const conn = await adminConnection();
  const s = `\`${env.sourceSchema}\``;
  await conn.query(`CREATE TABLE ${s}.audit (id INT AUTO_INCREMENT PRIMARY KEY, order_id INT)`);
  await conn.query(`CREATE TABLE ${s}.m2_cl_lookalike (id INT)`); // carries the prefix, but is not the tool's
  await conn.query(
    `CREATE TRIGGER ${s}.shop_audit AFTER UPDATE ON ${s}.sales_flat_order FOR EACH ROW INSERT INTO ${s}.audit (order_id) VALUES (NEW.entity_id)`,
  );
  const map = JSON.parse(await (await import('node:fs/promises')).readFile(env.mapFile, 'utf8'));
  map.source.documents.ignore.push('audit', 'm2_cl_lookalike');
  await (await import('node:fs/promises')).writeFile(env.mapFile, JSON.stringify(map));
  const copied = await runCli(['data', env.configFile]);
  assert.equal(copied.status, 0, copied.stderr);
  await conn.query(`UPDATE ${s}.sales_flat_order SET status = 'x' WHERE entity_id <= 3`);
  assert.equal(await countRows(env.sourceSchema, 'audit'), 3);
  assert.equal(await countRows(env.sourceSchema, 'm2_cl_sales_flat_order'), 3);

  const dry = await runCli(['cleanup', env.configFile, '--dry-run']);
  assert.equal(dry.status, 0);
  assert.match(dry.stdout, /would remove 18 triggers and 6 tables/);
  const removed = await runCli(['cleanup', env.configFile]);
  assert.equal(removed.status, 0, removed.stderr);
  assert.match(removed.stdout, /removed 18 triggers and 6 tables/);
  const [left] = await conn.query<import('mysql2').RowDataPacket[]>(
    `SELECT (SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?) AS triggers,
            (SELECT GROUP_CONCAT(TABLE_NAME) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME LIKE 'm2\\_cl\\_%') AS tables`,
    [env.sourceSchema, env.sourceSchema],
  );
  assert.deepEqual({ ...left[0] }, { triggers: '1', tables: 'm2_cl_lookalike' });
  await conn.query(`UPDATE ${s}.sales_flat_order SET status = 'y' WHERE entity_id = 1`);
  assert.equal(await countRows(env.sourceSchema, 'audit'), 4);
  const again = await runCli(['cleanup', env.configFile]);
  assert.equal(again.status, 0);
  assert.match(again.stdout, /nothing of store-migrate's \(prefix m2_cl_\) is installed/);
  await conn.end();
});

test('delta refuses a document whose copy is not complete, and names missing tracking with the fix', async () => {
  const env = await createStoreEnv('delta_refuse', { orders: 20 });
  const early = await runCli(['delta', env.configFile, '--until-caught-up']);
  assert.equal(early.status, 1);
  assert.match(early.stderr, /DELTA_BEFORE_COPY.*sales_flat_order/);
  const copied = await runCli(['data', env.configFile]);
  assert.equal(copied.status, 0, copied.stderr);
  const conn = await adminConnection();
  await conn.query(`DROP TABLE \`${env.sourceSchema}\`.m2_cl_sales_flat_invoice`); // a source restored from a backup
  await conn.end();
  const missing = await runCli(['delta', env.configFile, '--until-caught-up']);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /CHANGE_LOG_MISSING.*sales_flat_invoice/);
  assert.match(missing.stderr, /--reset --only sales_flat_invoice/);
});

test('delta killed with SIGKILL mid-batch and restarted converges', async () => {
  const env = await createStoreEnv('delta_kill', { orders: 800 });
  const copied = await runCli(['data', env.configFile]);
  assert.equal(copied.status, 0, copied.stderr);
  const conn = await adminConnection();
  const s = `\`${env.sourceSchema}\``;
  // A backlog of changes across tracked documents.
  await conn.query(`UPDATE ${s}.sales_flat_order_item SET qty_ordered = qty_ordered + 1`);
  await conn.query(`UPDATE ${s}.sales_flat_order SET status = 'complete' WHERE entity_id % 2 = 0`);
  await conn.query(`DELETE FROM ${s}.sales_flat_invoice WHERE entity_id % 3 = 0`);
  await conn.end();
  for (const delay of [400, 900]) {
    let child: ChildProcess | undefined;
    const running = runCli(['delta', env.configFile, '--batch-size', '50'], { onSpawn: (c) => (child = c) });
    await new Promise((r) => setTimeout(r, delay));
    child?.kill('SIGKILL');
    const killed = await running;
    assert.equal(killed.signal, 'SIGKILL');
  }
  const caughtUp = await runCli(['delta', env.configFile, '--until-caught-up', '--quiet-period', '200']);
  assert.equal(caughtUp.status, 0, caughtUp.stderr);
  assert.equal(await assertMappedEqual(env.configFile), 9);
});

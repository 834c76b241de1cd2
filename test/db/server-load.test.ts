/** The throttle's readings of the source (src/db/server-load.ts), against the real server. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Database } from '../../src/db/database.js';
import { replicaLag, threadsRunning } from '../../src/db/server-load.js';
import { adminConnection, createTestSchema, databaseConfig, testServer } from '../support/database.js';

test('Threads_running counts statements running now, sleeping ones included', async () => {
  const db = await Database.open(await databaseConfig(await createTestSchema('load')), {
    side: 'source',
    poolSize: 1,
  });
  const sleepers = await Promise.all(Array.from({ length: 4 }, () => adminConnection()));
  try {
    const idle = await threadsRunning(db);
    assert.ok(idle >= 1, 'the probe itself runs');
    const sleeping = sleepers.map((c) => c.query('SELECT SLEEP(2)'));
    let busy = idle;
    for (let i = 0; i < 40 && busy < idle + 4; i++) {
      await new Promise((r) => setTimeout(r, 25));
      busy = await threadsRunning(db);
    }
    assert.ok(busy >= idle + 4, `${busy} running with 4 sleeping queries (${idle} before)`);
    await Promise.all(sleeping);
  } finally {
    await Promise.all(sleepers.map((c) => c.end()));
    await db.close();
  }
});

test('replica lag: none on a primary; a replica with replication stopped reports no lag (unknown)', async () => {
  const db = await Database.open(await databaseConfig(await createTestSchema('lag')), {
    side: 'source',
    poolSize: 1,
  });
  try {
    assert.deepEqual(await replicaLag(db), { kind: 'not-replica' });
    // Making the server a replica changes it for everyone: only on this test process's own server.
    if ((await testServer()).kind !== 'throwaway') return;
    const admin = await adminConnection();
    try {
      await admin.query(
        "CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = 1, MASTER_USER = 'nobody'",
      );
      assert.deepEqual(await replicaLag(db), { kind: 'unknown' });
    } finally {
      await admin.query('RESET SLAVE ALL');
      await admin.end();
    }
    assert.deepEqual(await replicaLag(db), { kind: 'not-replica' });
  } finally {
    await db.close();
  }
});

/**
 * Throttling (src/engine/throttle.ts) through the real CLI: the bulk copy writes nothing while
 * its pause file exists or while the source's Threads_running is above max_threads_running,
 * says so (log and `migrate status`), and completes by itself once the cause is gone.
 */
import assert from 'node:assert/strict';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import type mysql from 'mysql2/promise';
import { runCli } from '../support/cli.js';
import { adminConnection } from '../support/database.js';
import { assertMappedEqual } from '../support/mapped-equality.js';
import { runWatched } from '../support/output-watch.js';
import { createStoreEnv } from '../support/store-env.js';

/** Rows in every base table of the destination. */
async function destinationRows(schema: string): Promise<number> {
  const conn = await adminConnection();
  try {
    const [tables] = await conn.query<mysql.RowDataPacket[]>(
      "SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' AND TABLE_NAME NOT LIKE 'migration\\_progress%'",
      [schema],
    );
    let total = 0;
    for (const { t } of tables) {
      const [rows] = await conn.query<mysql.RowDataPacket[]>(
        `SELECT COUNT(*) AS n FROM \`${schema}\`.\`${t}\``,
      );
      total += Number(rows[0]?.n);
    }
    return total;
  } finally {
    await conn.end();
  }
}

/** Waits until `count` sessions of `ids` run their SLEEP, so one KILL QUERY each surely ends them. */
async function untilSleeping(ids: readonly number[], count: number): Promise<void> {
  const conn = await adminConnection();
  try {
    for (;;) {
      const [rows] = await conn.query<mysql.RowDataPacket[]>(
        "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT SLEEP%'",
      );
      if (ids.length === count && Number(rows[0]?.n) >= count) return;
      await pauseFor(50);
    }
  } finally {
    await conn.end();
  }
}

const pauseFor = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a pause file holds the copy before its first write; removing it lets the copy complete', async () => {
  const env = await createStoreEnv('throttle_flag', {
    orders: 300,
    // Direct copy on: documents without handlers go by INSERT ... SELECT, the rest stream; both must wait.
    options:
      '<bulk_size>50</bulk_size><direct_document_copy>1</direct_document_copy><throttle_flag_file>migrate.pause</throttle_flag_file>',
  });
  const before = await destinationRows(env.destSchema);
  const pause = join(env.dir, 'migrate.pause');
  await writeFile(pause, '');
  const { result: running, stderr } = runWatched(['data', env.configFile]);
  const seen = await stderr.until(/throttled: flag file \S+migrate\.pause exists/);
  assert.match(seen, /they never give up because of it/);
  await pauseFor(1500);
  assert.equal(await destinationRows(env.destSchema), before, 'no row is written while paused');

  const status = await runCli(['status', env.configFile]);
  assert.equal(status.status, 0, status.stderr);
  assert.match(
    status.stdout,
    /run in progress: `migrate data .*`.*; throttled: flag file \S+ exists \(remove it to go on\) since \d+ s/,
  );

  await rm(pause);
  const done = await running;
  assert.equal(done.status, 0, done.stderr);
  assert.match(done.stderr, /throttle lifted after \d+ s: going on/);
  assert.match(done.stdout, /insert-select/);
  assert.match(done.stdout, /load-data|insert /);
  assert.equal(await assertMappedEqual(env.configFile), 9);
});

test('Threads_running above max_threads_running (sleeping queries) pauses the copy; it resumes once they end', async () => {
  const env = await createStoreEnv('throttle_load', {
    orders: 300,
    options:
      '<bulk_size>50</bulk_size><concurrency>1</concurrency><max_threads_running>6</max_threads_running>',
  });
  const before = await destinationRows(env.destSchema);
  // Ten sessions each running a statement: Threads_running is at least 11 while they sleep.
  const sleepers = await Promise.all(Array.from({ length: 10 }, () => adminConnection()));
  const ids: number[] = [];
  const sleeping = sleepers.map(async (conn) => {
    const [rows] = await conn.query<mysql.RowDataPacket[]>('SELECT CONNECTION_ID() AS id');
    ids.push(Number(rows[0]?.id));
    // KILL QUERY ends the sleep; MariaDB reports that as an interrupted query.
    await conn.query('SELECT SLEEP(120)').catch((error: { code?: string }) => {
      if (error.code !== 'ER_QUERY_INTERRUPTED') throw error;
    });
  });
  try {
    await untilSleeping(ids, sleepers.length);
    const { result: running, stderr } = runWatched(['data', env.configFile]);
    await stderr.until(/throttled: Threads_running (\d+) > 6/);
    await pauseFor(1000);
    assert.equal(await destinationRows(env.destSchema), before, 'no row is written while throttled');

    const admin = await adminConnection();
    for (const id of ids) await admin.query(`KILL QUERY ${id}`);
    await admin.end();
    await Promise.all(sleeping);
    const done = await running;
    assert.equal(done.status, 0, done.stderr);
    assert.match(done.stderr, /throttle lifted after \d+ s: going on/);
    assert.equal(await assertMappedEqual(env.configFile), 9);
  } finally {
    await Promise.all(sleepers.map((c) => c.end().catch(() => {})));
  }
});

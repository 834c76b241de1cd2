/**
 * One run at a time per source/destination pair (src/engine/run-lock.ts), through the real CLI:
 * a second writing run is refused at once (exit 5) naming the holder, while the first goes on
 * undisturbed; read-only commands are not refused; a holder that dies releases the lock.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type mysql from 'mysql2/promise';
import { loadConfig } from '../../src/config/load-config.js';
import { runLockName } from '../../src/engine/run-lock.js';
import { ExitCode } from '../../src/errors.js';
import { runCli } from '../support/cli.js';
import { adminConnection } from '../support/database.js';
import { assertMappedEqual } from '../support/mapped-equality.js';
import { runWatched } from '../support/output-watch.js';
import { createStoreEnv } from '../support/store-env.js';

/** The destination connection id holding the pair's run lock, once one does. */
async function waitForLockHolder(configFile: string, timeoutMs = 60_000): Promise<number> {
  const name = runLockName(await loadConfig(configFile));
  const conn = await adminConnection();
  try {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      const [rows] = await conn.query<import('mysql2').RowDataPacket[]>('SELECT IS_USED_LOCK(?) AS id', [
        name,
      ]);
      if (rows[0]?.id !== null && rows[0]?.id !== undefined) return Number(rows[0].id);
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`nobody took the run lock within ${timeoutMs} ms`);
  } finally {
    await conn.end();
  }
}

async function triggerCount(schema: string): Promise<number> {
  const conn = await adminConnection();
  try {
    const [rows] = await conn.query<import('mysql2').RowDataPacket[]>(
      'SELECT COUNT(*) AS n FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?',
      [schema],
    );
    return Number(rows[0]?.n);
  } finally {
    await conn.end();
  }
}

test('a second migrate data is refused at once, naming the holder, and the first completes as a lone run would', async () => {
  const env = await createStoreEnv('lock_data', {
    orders: 1500,
    options: '<bulk_size>50</bulk_size><throttle_flag_file>pause</throttle_flag_file>',
  });
  // The first run starts paused (its pause file exists), so it surely still runs when the second starts.
  const pause = join(env.dir, 'pause');
  await writeFile(pause, '');
  let first: ChildProcess | undefined;
  const running = runCli(['data', env.configFile], { onSpawn: (c) => (first = c) });
  await waitForLockHolder(env.configFile);

  const second = await runCli(['data', env.configFile]);
  assert.equal(second.status, ExitCode.locked, second.stderr);
  assert.match(second.stderr, /error RUN_LOCKED: another run of this source and destination is in progress/);
  assert.match(
    second.stderr,
    new RegExp(`\`migrate data \\S+config\\.xml\` by pid ${first?.pid} on ${hostname()} since \\d{4}-`),
  );
  assert.match(second.stderr, /next: wait for it to end, or stop it/);
  // Refused before anything: no plan printed, nothing rejected.
  assert.equal(second.stdout, '');
  await rm(pause);

  const done = await running;
  assert.equal(done.status, 0, done.stderr);
  assert.match(done.stdout, /volume check: all 9 documents match/);
  assert.equal(await assertMappedEqual(env.configFile), 9);
  // The lock went with the run: the next one is not refused.
  const again = await runCli(['data', env.configFile]);
  assert.equal(again.status, 0, again.stderr);
});

test('while delta runs: a second delta, delta --until-caught-up, cleanup, settings and --retry-rejected are refused, status names the run; a lost lock session is taken again, or stops delta when another took it; a killed holder frees the lock', async () => {
  const env = await createStoreEnv('lock_delta', { orders: 300 });
  const copied = await runCli(['data', env.configFile]);
  assert.equal(copied.status, 0, copied.stderr);
  const triggers = await triggerCount(env.sourceSchema);
  assert.ok(triggers > 0);

  const holder = runWatched(['delta', env.configFile, '--poll-interval', '100']);
  const lockSession = await waitForLockHolder(env.configFile);
  const holderText = new RegExp(
    `\`migrate delta \\S+config\\.xml --poll-interval 100\` by pid ${holder.child.pid} on `,
  );

  for (const args of [
    ['delta'],
    ['delta', '--until-caught-up'],
    ['cleanup'],
    ['settings'],
    ['data', '--retry-rejected'],
  ]) {
    const refused = await runCli([...args, env.configFile]);
    assert.equal(refused.status, ExitCode.locked, `${args.join(' ')}: ${refused.stderr}`);
    assert.match(refused.stderr, /error RUN_LOCKED/);
    assert.match(refused.stderr, holderText);
  }
  assert.equal(await triggerCount(env.sourceSchema), triggers, 'the refused cleanup removed nothing');

  // Read-only commands run beside it; status names the run in progress.
  const status = await runCli(['status', env.configFile]);
  assert.equal(status.status, 0, status.stderr);
  assert.match(status.stdout, /run in progress: `migrate delta .*` by pid \d+ on .* since /);

  // The lock's session is killed (a network cut, a DBA's KILL): delta stops with an error, since another run could start.
  const admin = await adminConnection();
  await admin.query(`KILL CONNECTION ${lockSession}`);
  await holder.stderr.until(/run lock taken again after \d+ s: going on/);
  // Killed again while another session waits for the lock: that one gets it, so delta stops with an error.
  const retaken = await waitForLockHolder(env.configFile);
  assert.notEqual(retaken, lockSession);
  const [results] = await admin.query<mysql.RowDataPacket[][]>(
    `KILL CONNECTION ${retaken}; SELECT GET_LOCK(?, 10) AS got`,
    [runLockName(await loadConfig(env.configFile))],
  );
  assert.equal(String(results[1]?.[0]?.got), '1', 'the waiting session got the lock');
  const lost = await holder.result;
  await admin.end();
  assert.equal(lost.status, ExitCode.failed, lost.stderr);
  assert.match(
    lost.stderr,
    /error RUN_LOCK_LOST: the run lock on .* was lost and could not be taken again \(another session \(destination connection \d+\) took the run lock meanwhile\)/,
  );

  // A holder killed outright (SIGKILL: no cleanup of its own) releases the lock with its connection.
  let killed: ChildProcess | undefined;
  const doomed = runCli(['delta', env.configFile], { onSpawn: (c) => (killed = c) });
  await waitForLockHolder(env.configFile);
  killed?.kill('SIGKILL');
  assert.equal((await doomed).signal, 'SIGKILL');
  const next = await runCli(['delta', env.configFile, '--until-caught-up', '--quiet-period', '100']);
  assert.equal(next.status, 0, next.stderr);
  const after = await runCli(['status', env.configFile]);
  assert.match(after.stdout, /no run in progress/);
});

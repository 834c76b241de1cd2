import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../../support/cli.js';
import { adminConnection, testServer } from '../../support/database.js';
import { assertMappedEqual } from '../../support/mapped-equality.js';
import { createStoreEnv, type StoreEnv } from '../../support/store-env.js';

// Small chunks, and documents split into several key ranges, so kills land inside parallel parts.
const SLOW = '<bulk_size>20</bulk_size><concurrency>3</concurrency><part_rows>300</part_rows>';

async function progressRows(env: StoreEnv): Promise<{ copied: number; parts: number; done: number }> {
  const conn = await adminConnection();
  try {
    const [rows] = await conn.query<import('mysql2').RowDataPacket[]>(
      `SELECT COALESCE(SUM(rows_copied), 0) AS copied, COUNT(*) AS parts, COALESCE(SUM(state = 'copied'), 0) AS done
         FROM \`${env.destSchema}\`.migration_progress`,
    );
    return { copied: Number(rows[0]?.copied), parts: Number(rows[0]?.parts), done: Number(rows[0]?.done) };
  } catch {
    return { copied: 0, parts: 0, done: 0 };
  } finally {
    await conn.end();
  }
}

/** Kills the run once the progress store shows `minRows` committed, plus a pseudo-random delay. */
async function runAndKill(env: StoreEnv, signal: NodeJS.Signals, minRows: number, extraMs: number) {
  let child: import('node:child_process').ChildProcess | undefined;
  const running = runCli(['data', env.configFile], { onSpawn: (c) => (child = c) });
  for (let i = 0; i < 600; i++) {
    if ((await progressRows(env)).copied >= minRows) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  await new Promise((r) => setTimeout(r, extraMs));
  child?.kill(signal);
  return running;
}

test('a run killed with SIGKILL at several moments resumes each time and ends exact, with no duplicates', async () => {
  const env = await createStoreEnv('resume_kill', { orders: 2500, options: SLOW });
  const total = Object.entries(env.counts)
    .filter(
      ([t]) =>
        !t.startsWith('log_') &&
        !['core_config_data', 'core_website', 'core_store_group', 'core_store'].includes(t),
    )
    .reduce((sum, [, n]) => sum + n, 0);
  let previous = 0;
  for (const [minRows, extra] of [
    [1, 37],
    [2000, 211],
    [5000, 5],
    [9000, 120],
  ] as const) {
    const killed = await runAndKill(env, 'SIGKILL', minRows, extra);
    assert.equal(killed.signal, 'SIGKILL', `the run ended before it was killed: ${killed.stdout}`);
    const now = await progressRows(env);
    assert.ok(now.copied >= previous, 'progress never goes back');
    assert.ok(now.copied < total, `killed mid-copy (${now.copied} of ${total})`);
    previous = now.copied;
  }
  const final = await runCli(['data', env.configFile]);
  assert.equal(final.status, 0, final.stderr);
  assert.match(final.stdout, /volume check: all 9 documents match/);
  assert.equal(await assertMappedEqual(env.configFile), 9);
  const end = await progressRows(env);
  assert.equal(end.copied, total);
  assert.ok(end.parts > 9, `the larger documents were copied in several key ranges (${end.parts} parts)`);
});

test('Ctrl+C ends with exit 130 after committing, and the rerun resumes cleanly', async () => {
  const env = await createStoreEnv('resume_sigint', { orders: 2500, options: SLOW });
  const stopped = await runAndKill(env, 'SIGINT', 1000, 50);
  assert.equal(stopped.status, 130, stopped.stderr);
  assert.match(
    stopped.stderr,
    /stopped: every committed chunk is kept. Run `migrate data .*config.xml` again to resume/,
  );
  assert.match(stopped.stdout, /not finished/);
  const afterStop = await progressRows(env);
  assert.ok(afterStop.copied > 0 && afterStop.done < afterStop.parts);
  const final = await runCli(['data', env.configFile]);
  assert.equal(final.status, 0, final.stderr);
  assert.equal(await assertMappedEqual(env.configFile), 9);
});

test('the destination server killed and restarted mid-run: the run retries or the rerun completes', async (t) => {
  const server = await testServer();
  if (!server.throwaway) {
    t.skip('needs a throwaway server (MIGRATE_TEST_MYSQL_URL points at a shared one)');
    return;
  }
  const env = await createStoreEnv('resume_server', { orders: 2500, options: SLOW });
  let child: import('node:child_process').ChildProcess | undefined;
  const running = runCli(['data', env.configFile], { onSpawn: (c) => (child = c) });
  for (let i = 0; i < 600 && (await progressRows(env)).copied < 3000; i++) {
    await new Promise((r) => setTimeout(r, 25));
  }
  assert.ok(child && child.exitCode === null, 'the run is still going when the server dies');
  await server.throwaway.kill();
  await new Promise((r) => setTimeout(r, 1500));
  await server.throwaway.restart();
  const first = await running;
  // Either the run rode out the restart with its retries, or it stopped with a resumable error.
  if (first.status !== 0) {
    assert.equal(first.status, 1, first.stderr);
    assert.match(first.stderr, /resumes from the last committed chunk/);
  }
  const final = await runCli(['data', env.configFile]);
  assert.equal(final.status, 0, final.stderr);
  assert.equal(await assertMappedEqual(env.configFile), 9);
});

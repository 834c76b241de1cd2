/**
 * Ctrl+C from the first instant (src/cli/stop-signal.ts): SIGINT sent to `migrate delta` at any
 * moment, from right after spawn to the middle of its work, ends it with status 130 and leaves
 * a state the next run continues from (no lock left behind, nothing lost: the next
 * `--until-caught-up` converges to the mapped source).
 *
 * In the first few hundred ms Node itself is still starting (here through tsx) and has run none
 * of the tool's code: the signal's default action ends the process, which a shell reports as
 * 130 too (128 + SIGINT), and nothing has connected yet. From the entry point's first line on,
 * the tool's own handler answers with a real exit status 130.
 */
import assert from 'node:assert/strict';
import { rm, writeFile } from 'node:fs/promises';
import { constants } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type mysql from 'mysql2/promise';
import { loadConfig } from '../../src/config/load-config.js';
import { runLockName } from '../../src/engine/run-lock.js';
import { type CliResult, runCli } from '../support/cli.js';
import { adminConnection } from '../support/database.js';
import { assertMappedEqual } from '../support/mapped-equality.js';
import { runWatched, type StderrWatch } from '../support/output-watch.js';
import { createStoreEnv } from '../support/store-env.js';

/** The status a shell would report: the exit status, or 128 + the signal that ended the process. */
function shellStatus(result: CliResult): number | undefined {
  if (result.status !== null) return result.status;
  return result.signal ? 128 + constants.signals[result.signal] : undefined;
}

async function changesWaiting(schema: string): Promise<number> {
  const conn = await adminConnection();
  try {
    let total = 0;
    const [tables] = await conn.query<mysql.RowDataPacket[]>(
      "SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME LIKE 'm2\\_cl\\_%'",
      [schema],
    );
    for (const { t } of tables) {
      const [count] = await conn.query<mysql.RowDataPacket[]>(
        `SELECT COUNT(*) AS n FROM \`${schema}\`.\`${t}\``,
      );
      total += Number(count[0]?.n);
    }
    return total;
  } finally {
    await conn.end();
  }
}

/** Whether any session works in one of `schemas` (the tool's connections name their database). */
async function sessionsOn(schemas: readonly string[]): Promise<boolean> {
  const conn = await adminConnection();
  try {
    const [rows] = await conn.query<mysql.RowDataPacket[]>(
      'SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB IN (?)',
      [schemas],
    );
    return Number(rows[0]?.n) > 0;
  } finally {
    await conn.end();
  }
}

async function lockHeld(configFile: string): Promise<boolean> {
  const conn = await adminConnection();
  try {
    const [rows] = await conn.query<mysql.RowDataPacket[]>('SELECT IS_USED_LOCK(?) AS id', [
      runLockName(await loadConfig(configFile)),
    ]);
    return rows[0]?.id !== null;
  } finally {
    await conn.end();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('SIGINT to migrate delta at 0, 50 and 300 ms, as it connects, after its first batch and while throttled: always 130, and the next run continues', async () => {
  const env = await createStoreEnv('stop_signal', {
    orders: 600,
    options: '<throttle_flag_file>migrate.pause</throttle_flag_file>',
  });
  const copied = await runCli(['data', env.configFile]);
  assert.equal(copied.status, 0, copied.stderr);
  const admin = await adminConnection();
  const s = `\`${env.sourceSchema}\``;
  await admin.query(`UPDATE ${s}.sales_flat_order_item SET qty_ordered = qty_ordered + 1`);
  await admin.query(`UPDATE ${s}.sales_flat_order SET status = 'complete' WHERE entity_id % 2 = 0`);
  await admin.end();
  const backlog = await changesWaiting(env.sourceSchema);
  assert.ok(backlog > 1000, `${backlog} changes waiting`);

  const delta = ['delta', env.configFile, '--batch-size', '10', '--poll-interval', '100'];
  const moments: Array<[string, (stderr: StderrWatch) => Promise<unknown>]> = [
    ['0 ms', async () => {}],
    ['50 ms', () => sleep(50)],
    ['300 ms', () => sleep(300)],
    [
      'as its first connection opens',
      async () => {
        while (!(await sessionsOn([env.sourceSchema, env.destSchema]))) await sleep(5);
      },
    ],
    [
      'after the first batch',
      async () => {
        const start = await changesWaiting(env.sourceSchema);
        while ((await changesWaiting(env.sourceSchema)) >= start) await sleep(20);
      },
    ],
    [
      'while throttled',
      async (stderr) => {
        await writeFile(join(env.dir, 'migrate.pause'), '');
        await stderr.until(/throttled: flag file/);
      },
    ],
  ];
  for (const [moment, wait] of moments) {
    const { result: running, child, stderr } = runWatched(delta);
    await wait(stderr);
    child.kill('SIGINT');
    const stopped = await running;
    assert.equal(
      shellStatus(stopped),
      130,
      `${moment}: ${stopped.status} ${stopped.signal}\n${stopped.stderr}`,
    );
    assert.doesNotMatch(stopped.stderr, /error /, moment);
    if (!moment.endsWith(' ms')) {
      // The tool's code runs by then: its own handler answers, never the signal's default action.
      assert.equal(stopped.status, 130, `${moment}: ${stopped.signal}\n${stopped.stderr}`);
    }
    if (moment === 'after the first batch' || moment === 'while throttled') {
      assert.match(stopped.stderr, /stopped: every applied batch is kept/, moment);
    }
    assert.equal(await lockHeld(env.configFile), false, `${moment}: no lock left behind`);
  }
  assert.ok((await changesWaiting(env.sourceSchema)) < backlog, 'the interrupted runs applied some changes');

  await rm(join(env.dir, 'migrate.pause'));
  const caughtUp = await runCli(['delta', env.configFile, '--until-caught-up', '--quiet-period', '100']);
  assert.equal(caughtUp.status, 0, caughtUp.stderr);
  assert.equal(await assertMappedEqual(env.configFile), 9);
});

/**
 * One document whose batches fail for good (here a broken trigger of its destination table) is skipped and
 * named; delta goes on applying every other document's changes, and ends non-zero.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { test } from 'node:test';
import { runCli } from '../../support/cli.js';
import { adminConnection } from '../../support/database.js';
import { createStoreEnv } from '../../support/store-env.js';

test('a document whose batch fails is skipped and named; the others go on', async (t) => {
  const env = await createStoreEnv('delta_failed_doc', {
    orders: 20,
    options: '<concurrency>1</concurrency>',
  });
  const copied = await runCli(['data', env.configFile]);
  assert.equal(copied.status, 0, copied.stderr);
  const conn = await adminConnection();
  t.after(() => conn.end());
  const s = `\`${env.sourceSchema}\``;
  const d = `\`${env.destSchema}\``;
  // A trigger of the destination that fails every write for a reason no retry cures.
  for (const [name, event] of [
    ['broken_bi', 'INSERT'],
    ['broken_bu', 'UPDATE'],
    ['broken_bd', 'DELETE'],
  ]) {
    await conn.query(
      `CREATE TRIGGER ${d}.${name} BEFORE ${event} ON ${d}.sales_order FOR EACH ROW INSERT INTO ${d}.no_such_table VALUES (1)`,
    );
  }
  await conn.query(`UPDATE ${s}.sales_flat_order SET grand_total = 1 WHERE entity_id = 1`);

  let child: ChildProcess | undefined;
  let stderr = '';
  const running = runCli(
    ['delta', env.configFile, '--until-caught-up', '--quiet-period', '1500', '--poll-interval', '100'],
    {
      onSpawn: (c) => {
        child = c;
        c.stderr?.on('data', (chunk) => {
          stderr += chunk;
        });
      },
    },
  );
  // A change made only after the failure still arrives.
  const exited = running.then(() => 'exited' as const);
  while (!/sales_flat_order is skipped/.test(stderr)) {
    const state = await Promise.race([exited, new Promise((r) => setTimeout(() => r('waiting'), 50))]);
    if (state === 'exited') break;
  }
  await conn.query(`UPDATE ${s}.customer_entity SET email = 'after-failure@example.com' WHERE entity_id = 3`);
  const result = await running;
  assert.ok(child);
  assert.equal(result.status, 1, result.stderr);
  assert.match(result.stderr, /delta skipped sales_flat_order: .*no_such_table/);
  assert.match(result.stderr, /1 document\(s\) were skipped: sales_flat_order/);
  const [rows] = await conn.query(`SELECT email FROM ${d}.customer_entity WHERE entity_id = 3`);
  assert.equal((rows as Array<{ email: string }>)[0]?.email, 'after-failure@example.com');
  // The failed document's change waits in its change log.
  const [waiting] = await conn.query(`SELECT COUNT(*) AS n FROM ${s}.m2_cl_sales_flat_order`);
  assert.ok(Number((waiting as Array<{ n: number }>)[0]?.n) > 0);
});

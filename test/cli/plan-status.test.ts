import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../support/cli.js';
import { adminConnection } from '../support/database.js';
import { configAs, createLimitedUser } from '../support/limited-user.js';
import { createStoreEnv } from '../support/store-env.js';

async function leftovers(destSchema: string): Promise<number> {
  const conn = await adminConnection();
  try {
    const [rows] = await conn.query<import('mysql2').RowDataPacket[]>(
      `SELECT (SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE ?) +
              (SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME LIKE '\\_\\_smplan\\_%') AS n`,
      [`${destSchema}\\_smplan\\_%`, destSchema],
    );
    return Number(rows[0]?.n);
  } finally {
    await conn.end();
  }
}

test('plan prints sizes, methods and an estimated time, and leaves nothing behind', async () => {
  const env = await createStoreEnv('cli_plan', {
    orders: 500,
    options: '<direct_document_copy>1</direct_document_copy>',
  });
  const result = await runCli(['plan', env.configFile]);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /^plan: 13 documents/);
  assert.match(
    result.stdout,
    /sales_flat_order\s+sales_order\s+~\d+\s+[\d.]+ [KM]?B\s+insert-select\s+1\s+500 rows in/,
  );
  assert.match(
    result.stdout,
    /sales_flat_order_item\s+sales_order_item\s+.*\b(load-data|insert)\s.*streamed: a handler has no SQL form/,
  );
  assert.match(result.stdout, /core_config_data\s+core_config_data\s+.*migrate settings/);
  assert.match(result.stdout, /estimated copy time: [\d.]+ s for ~\d+ rows .*4 parts at a time/);
  assert.match(
    result.stdout,
    /sample copied into scratch schema t_cli_plan_v2_\S+_smplan_[0-9a-f]{6}, dropped afterwards/,
  );
  assert.equal(await leftovers(env.destSchema), 0);
  const conn = await adminConnection();
  const [orders] = await conn.query<import('mysql2').RowDataPacket[]>(
    `SELECT COUNT(*) AS n FROM \`${env.destSchema}\`.sales_order`,
  );
  await conn.end();
  assert.equal(Number(orders[0]?.n), 0, 'the destination is untouched');

  const bare = await runCli(['plan', env.configFile, '--no-sample', '--only', 'sales_*']);
  assert.equal(bare.status, 0, bare.stderr);
  assert.match(bare.stdout, /^plan: 3 documents/);
  assert.match(bare.stdout, /estimated copy time: not measured/);
});

test('plan falls back to scratch tables when the user may not create a schema', async (t) => {
  const env = await createStoreEnv('cli_plan_limited', { orders: 100 });
  const user = await createLimitedUser(t, 'plan_cli', [
    `ALL ON \`${env.destSchema}\`.*`,
    `SELECT ON \`${env.sourceSchema}\`.*`,
  ]);
  const limited = await configAs(env.configFile, env.dir, user, ['source', 'destination']);
  const result = await runCli(['plan', limited]);
  assert.equal(result.status, 0, result.stderr);
  assert.match(
    result.stdout,
    /note: the destination user may not create a scratch schema \(.*denied.*\); the sample used scratch tables __smplan_[0-9a-f]{6}_\* in t_cli_plan_limited_v2_\S+, now dropped/,
  );
  assert.match(result.stdout, /estimated copy time: [\d.]+ s/);
  assert.equal(await leftovers(env.destSchema), 0);
});

test('status: no run yet, then copied, failed and pending documents with the last error, and the delta backlog', async (t) => {
  const env = await createStoreEnv('cli_status', { orders: 200 });
  const before = await runCli(['status', env.configFile]);
  assert.equal(before.status, 0, before.stderr);
  assert.match(before.stdout, /^no data run yet: the progress table migration_progress does not exist in /);
  assert.match(before.stdout, /sales_flat_order\s+m2_cl_sales_flat_order\s+tracking not installed/);

  const copy = await runCli(['data', env.configFile, '--only', 'sales_*']);
  assert.equal(copy.status, 0, copy.stderr);
  const conn = await adminConnection();
  t.after(() => conn.end());
  // A part that failed, as a lost server would leave it; and orders the shop changed since.
  await conn.query(
    `UPDATE \`${env.destSchema}\`.migration_progress SET state = 'copying', last_error = 'ER_LOCK_WAIT_TIMEOUT: Lock wait timeout exceeded' WHERE document = 'sales_flat_invoice'`,
  );
  await conn.query(
    `UPDATE \`${env.sourceSchema}\`.sales_flat_order SET status = 'holded' WHERE entity_id <= 3`,
  );

  const during = await runCli(['status', env.configFile]);
  assert.equal(during.status, 0, during.stderr);
  assert.match(
    during.stdout,
    /^data run: 2 copied, 0 copying, 6 pending, 1 failed of 9 documents \(last progress \d{4}-\d\d-\d\dT/,
  );
  assert.match(during.stdout, /sales_flat_order\s+sales_order\s+copied\s+1\/1\s+200\s+~200\s+0/);
  assert.match(
    during.stdout,
    /sales_flat_invoice\s+sales_invoice\s+failed\s+0\/1\s+\d+.*ER_LOCK_WAIT_TIMEOUT: Lock wait timeout exceeded/,
  );
  assert.match(during.stdout, /customer_entity\s+customer_entity\s+pending\s+-\s+0\s+~\d+/);
  assert.match(during.stdout, /delta backlog: 3 changes waiting in 3 of 6 change logs \(prefix m2_cl_/);
  assert.match(during.stdout, /sales_flat_order\s+m2_cl_sales_flat_order\s+3\n/);
  assert.match(during.stdout, /customer_entity\s+m2_cl_customer_entity\s+tracking not installed/);
});

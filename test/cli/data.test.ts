import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { test } from 'node:test';
import { runCli } from '../support/cli.js';
import { adminConnection } from '../support/database.js';
import { assertMappedEqual } from '../support/mapped-equality.js';
import { createStoreEnv } from '../support/store-env.js';

test('migrate data --dry-run prints a clean plan for the demo profile and writes nothing', async () => {
  const env = await createStoreEnv('cli_dry');
  const result = await runCli(['data', env.configFile, '--dry-run']);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /plan: 9 documents/);
  assert.match(result.stdout, /sales_flat_order\s+sales_order\s+16/);
  assert.match(result.stdout, /integrity check: 0 errors/);
  const conn = await adminConnection();
  const [rows] = await conn.query(`SELECT COUNT(*) AS n FROM \`${env.destSchema}\`.sales_order`);
  await conn.end();
  assert.deepEqual(rows, [{ n: '0' }]);
});

test('a rule removed from the map: exit 3, naming what is unmapped and the rule to add', async () => {
  const env = await createStoreEnv('cli_exit3');
  const map = JSON.parse(await readFile(env.mapFile, 'utf8'));
  map.source.documents.ignore = [];
  await writeFile(env.mapFile, JSON.stringify(map));
  const result = await runCli(['data', env.configFile, '--dry-run']);
  assert.equal(result.status, 3, result.stderr);
  assert.match(result.stdout, /error\s+SOURCE_DOCUMENT_UNMAPPED: source document log_url is neither mapped/);
  assert.match(result.stdout, /fix: add "log_url" to source.documents.ignore in map.json/);
  assert.match(result.stdout, /fix: add "log_visitor" to source.documents.ignore in map.json/);
  assert.match(result.stderr, /integrity check failed/);

  const auto = await runCli(['data', env.configFile, '--dry-run', '--auto']);
  assert.equal(auto.status, 0, auto.stderr);
  assert.match(auto.stdout, /warning SOURCE_DOCUMENT_UNMAPPED/);
});

test('migrate data copies the demo store, and a second run changes nothing', async () => {
  const env = await createStoreEnv('cli_copy', { orders: 300 });
  const first = await runCli(['data', env.configFile]);
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stdout, /volume check: all 9 documents match/);
  assert.equal(await assertMappedEqual(env.configFile), 9);

  const conn = await adminConnection();
  const [items] = await conn.query<import('mysql2').RowDataPacket[]>(
    `SELECT product_options FROM \`${env.destSchema}\`.sales_order_item WHERE product_options IS NOT NULL LIMIT 5`,
  );
  for (const item of items) assert.doesNotThrow(() => JSON.parse(String(item.product_options)));
  await conn.end();

  const second = await runCli(['data', env.configFile]);
  assert.equal(second.status, 0, second.stderr);
  assert.equal(await assertMappedEqual(env.configFile), 9);
  assert.match(await readFile(`${env.dir}/migration.log`, 'utf8'), /volume check: all 9 documents match/);
});

test('a destination that already holds rows is refused before anything is written', async () => {
  const env = await createStoreEnv('cli_foreign');
  const conn = await adminConnection();
  await conn.query(`INSERT INTO \`${env.destSchema}\`.sales_invoice (entity_id, order_id, increment_id, grand_total, state, created_at)
                    VALUES (999999, 1, 'X1', 1, 1, NOW())`);
  const result = await runCli(['data', env.configFile]);
  assert.equal(result.status, 1, result.stderr);
  assert.match(result.stderr, /DESTINATION_NOT_EMPTY.*: sales_invoice \(1 rows\)$/m);
  // The narrow reset: only the occupied table's document, under the config path as typed.
  assert.match(
    result.stderr,
    new RegExp(
      `next: if those rows may go, run \`migrate data ${env.configFile} --reset --only sales_flat_invoice\` \\(empties these 1 tables only`,
    ),
  );
  const unconfirmed = await runCli(['data', env.configFile, '--reset', '--only', 'sales_flat_invoice']);
  assert.equal(unconfirmed.status, 2);
  assert.match(
    unconfirmed.stderr,
    /CONFIRMATION_NEEDED: --reset empties 1 tables in .*: sales_invoice\. This needs/,
  );
  const nothing = await runCli(['data', env.configFile, '--dry-run', '--only', 'nothing_*']);
  assert.equal(nothing.status, 2, 'a dry run fails where the real run would');
  assert.match(nothing.stderr, /NOTHING_SELECTED/);
  const [orders] = await conn.query(`SELECT COUNT(*) AS n FROM \`${env.destSchema}\`.sales_order`);
  assert.deepEqual(orders, [{ n: '0' }]);

  const reset = await runCli(['data', env.configFile, '--reset', '--yes']);
  assert.equal(reset.status, 0, reset.stderr);
  const [invoice] = await conn.query(
    `SELECT COUNT(*) AS n FROM \`${env.destSchema}\`.sales_invoice WHERE entity_id = 999999`,
  );
  assert.deepEqual(invoice, [{ n: '0' }]);
  await conn.end();
  assert.equal(await assertMappedEqual(env.configFile), 9);
});

test('--only and --skip select documents by glob', async () => {
  const env = await createStoreEnv('cli_only');
  const result = await runCli(['data', env.configFile, '--only', 'sales_*', '--skip', '*invoice']);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /plan: 2 documents/);
  const conn = await adminConnection();
  const [rows] = await conn.query(
    `SELECT (SELECT COUNT(*) FROM \`${env.destSchema}\`.sales_order) AS orders,
            (SELECT COUNT(*) FROM \`${env.destSchema}\`.sales_invoice) AS invoices,
            (SELECT COUNT(*) FROM \`${env.destSchema}\`.customer_entity) AS customers`,
  );
  await conn.end();
  assert.deepEqual(rows, [{ orders: String(env.counts.sales_flat_order), invoices: '0', customers: '0' }]);
});

test('bad usage and bad config exit 2 with a message', async () => {
  const none = await runCli(['data']);
  assert.equal(none.status, 2);
  assert.match(none.stderr, /error USAGE: name the config file: migrate data <config.xml>/);
  assert.match(none.stderr, /next: see `migrate data --help`/);
  const missing = await runCli(['data', '/nonexistent/config.xml']);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /CONFIG_FILE_UNREADABLE/);
  const unknown = await runCli(['dta', 'x.xml']);
  assert.equal(unknown.status, 2);
});

test('a wrong password is one clear line, exit 2, without the password', async () => {
  const env = await createStoreEnv('cli_pw');
  const result = await runCli(['data', env.configFile, '--dry-run'], {
    env: { TEST_DB_PASSWORD: 'Hunter2-secret' },
  });
  assert.equal(result.status, 2);
  assert.match(result.stderr, /DB_ACCESS_DENIED/);
  assert.doesNotMatch(result.stderr + result.stdout, /Hunter2-secret/);
  assert.equal(result.stderr.trim().split('\n').length, 2);
});

test('counts that differ by changes waiting in the change logs exit 0 and name migrate delta; an unexplained difference exits 4', async () => {
  const env = await createStoreEnv('cli_pending', { orders: 100 });
  assert.equal((await runCli(['data', env.configFile])).status, 0);
  const conn = await adminConnection();
  // The shop deletes an order item after the copy: the trigger logs it, the counts differ by it.
  await conn.query(`DELETE FROM \`${env.sourceSchema}\`.sales_flat_order_item ORDER BY item_id LIMIT 1`);
  const pending = await runCli(['data', env.configFile]);
  assert.equal(pending.status, 0, pending.stderr);
  assert.match(pending.stdout, /1 of 9 differ by changes the shop made during the copy/);
  assert.match(
    pending.stdout,
    /sales_flat_order_item\s+sales_order_item\s+\d+\s+\d+\s+0\s+1\s+changes-pending/,
  );
  assert.match(pending.stderr, /Run `migrate delta .*config\.xml` to apply them/);

  const delta = await runCli(['delta', env.configFile, '--until-caught-up', '--quiet-period', '100']);
  assert.equal(delta.status, 0, delta.stderr);
  const caughtUp = await runCli(['data', env.configFile]);
  assert.equal(caughtUp.status, 0, caughtUp.stderr);
  assert.match(caughtUp.stdout, /volume check: all 9 documents match/);

  // A row gone from the destination with nothing waiting in its change log is a real mismatch.
  await conn.query(`DELETE FROM \`${env.destSchema}\`.sales_order ORDER BY entity_id LIMIT 1`);
  await conn.end();
  const lost = await runCli(['data', env.configFile]);
  assert.equal(lost.status, 4, lost.stderr);
  assert.match(lost.stdout, /1 of 9 documents do not match/);
  assert.match(lost.stdout, /sales_flat_order\s+sales_order\s+\d+\s+\d+\s+0\s+0\s+mismatch/);
});

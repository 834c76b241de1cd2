import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createEavEnv } from '../../engine/eav-env.js';
import { runCli } from '../../support/cli.js';
import { adminConnection } from '../../support/database.js';
import { createStoreEnv } from '../../support/store-env.js';
import { check, documentOf, mismatching } from './helpers.js';

test('changed, missing and extra rows are found with their keys, by SQL and through handlers; a count check misses them', async (t) => {
  const env = await createStoreEnv('deep_found', { orders: 400 });
  const copy = await runCli(['data', env.configFile]);
  assert.equal(copy.status, 0, copy.stderr);

  const clean = await check(env.configFile, { mode: 'deep', chunkRows: 100 });
  assert.equal(clean.status, 'ok', JSON.stringify(mismatching(clean)));
  assert.equal(documentOf(clean, 'sales_flat_order').method, 'sql');
  assert.equal(documentOf(clean, 'customer_entity').method, 'sql');
  // serializedToJson has no SQL form: the tool hashes that document.
  assert.equal(documentOf(clean, 'sales_flat_order_item').method, 'stream');
  assert.ok(documentOf(clean, 'sales_flat_order').chunks >= 4);
  assert.equal(documentOf(clean, 'core_config_data').status, 'skipped');

  const conn = await adminConnection();
  t.after(() => conn.end());
  const d = `\`${env.destSchema}\``;
  await conn.query(`UPDATE ${d}.sales_order SET grand_total = grand_total + 0.0001 WHERE entity_id = 42`);
  await conn.query(`DELETE FROM ${d}.sales_order WHERE entity_id = 77`);
  await conn.query(
    `INSERT INTO ${d}.sales_order (entity_id, increment_id, grand_total) VALUES (100000, 'EXTRA-1', 1)`,
  );
  await conn.query(`UPDATE ${d}.sales_order_item SET product_options = '{"edited":true}' WHERE item_id = 10`);
  await conn.query(`DELETE FROM ${d}.sales_order_item WHERE item_id = 500`);
  await conn.query(
    `INSERT INTO ${d}.sales_order_item (item_id, order_id, price, row_total) VALUES (100000, 1, 1, 1)`,
  );
  await conn.query(`UPDATE ${d}.customer_entity SET email = 'changed@example.com' WHERE entity_id = 7`);

  // Counts still match everywhere: one row gone, one row more, values changed.
  const counted = await check(env.configFile, { mode: 'count' });
  assert.equal(counted.status, 'ok');
  assert.equal(documentOf(counted, 'customer_entity').status, 'ok');
  assert.equal(documentOf(counted, 'sales_flat_order').method, 'count');

  const deep = await check(env.configFile, { mode: 'deep', chunkRows: 100 });
  assert.equal(deep.status, 'mismatch');
  assert.deepEqual(mismatching(deep).sort(), [
    'customer_entity',
    'sales_flat_order',
    'sales_flat_order_item',
  ]);
  const order = documentOf(deep, 'sales_flat_order');
  assert.deepEqual(order.key, ['entity_id']);
  assert.deepEqual(
    {
      missing: order.missing,
      extra: order.extra,
      changed: order.changed,
      counts: order.counts,
      exact: order.exact,
    },
    {
      missing: [['77']],
      extra: [['100000']],
      changed: [['42']],
      counts: { missing: 1, extra: 1, changed: 1 },
      exact: true,
    },
  );
  const item = documentOf(deep, 'sales_flat_order_item');
  assert.deepEqual(
    { missing: item.missing, extra: item.extra, changed: item.changed },
    { missing: [['500']], extra: [['100000']], changed: [['10']] },
  );
  const customer = documentOf(deep, 'customer_entity');
  assert.deepEqual(customer.changed, [['7']]);
  assert.deepEqual(customer.counts, { missing: 0, extra: 0, changed: 1 });
  assert.equal(deep.totals.mismatch, 3);
  assert.equal(deep.totals.changed, 3);
  assert.ok(documentOf(deep, 'sales_flat_order').lastRun?.state === 'copied');
});

test('a large difference is bisected down to every row; the first keys are listed in key order', async (t) => {
  const env = await createStoreEnv('deep_bisect', { orders: 1000 });
  const copy = await runCli(['data', env.configFile]);
  assert.equal(copy.status, 0, copy.stderr);
  const conn = await adminConnection();
  t.after(() => conn.end());
  const d = `\`${env.destSchema}\``;
  // 500 consecutive items gone (across chunk borders), every 97th order changed, two orders gone.
  await conn.query(`DELETE FROM ${d}.sales_order_item WHERE item_id BETWEEN 1001 AND 1500`);
  await conn.query(`UPDATE ${d}.sales_order SET status = 'zz' WHERE entity_id % 97 = 0`);
  await conn.query(`DELETE FROM ${d}.sales_order WHERE entity_id IN (3, 5)`);

  const report = await check(env.configFile, { mode: 'deep', chunkRows: 200, keyLimit: 5 });
  const item = documentOf(report, 'sales_flat_order_item');
  assert.deepEqual(item.counts, { missing: 500, extra: 0, changed: 0 });
  assert.deepEqual(item.missing, [['1001'], ['1002'], ['1003'], ['1004'], ['1005']]);
  const order = documentOf(report, 'sales_flat_order');
  const changed = Array.from({ length: 10 }, (_, i) => String((i + 1) * 97));
  assert.deepEqual(order.counts, { missing: 2, extra: 0, changed: 10 });
  assert.deepEqual(order.missing, [['3'], ['5']]);
  assert.deepEqual(
    order.changed,
    changed.slice(0, 5).map((k) => [k]),
  );
  assert.equal(order.sourceRows, 1000);
  assert.equal(order.destinationRows, 998);
});

test('rows the copy rejected are not reported missing; the document says where they are', async (t) => {
  const env = await createStoreEnv('deep_rejected', { orders: 200, options: '<bulk_size>50</bulk_size>' });
  const conn = await adminConnection();
  t.after(() => conn.end());
  const d = `\`${env.destSchema}\``;
  // Telephone numbers are 14 or 15 characters: the longer ones no longer fit.
  await conn.query(`ALTER TABLE ${d}.customer_address_entity MODIFY telephone VARCHAR(14) NOT NULL`);
  const [long] = await conn.query<import('mysql2').RowDataPacket[]>(
    `SELECT SUM(CHAR_LENGTH(telephone) > 14) AS rejected, SUM(CHAR_LENGTH(telephone) <= 14) AS kept
       FROM \`${env.sourceSchema}\`.customer_address_entity`,
  );
  const rejected = Number(long[0]?.rejected);
  assert.ok(rejected > 0 && Number(long[0]?.kept) > 0, 'some rows fit and some do not');
  const copy = await runCli(['data', env.configFile]);
  assert.equal(copy.status, 1, copy.stderr);

  const counted = await check(env.configFile, { mode: 'count' });
  assert.equal(documentOf(counted, 'customer_address_entity').status, 'ok');
  const deep = await check(env.configFile, { mode: 'deep', chunkRows: 100 });
  const address = documentOf(deep, 'customer_address_entity');
  assert.equal(address.status, 'ok');
  assert.equal(address.rejectedRows, rejected);
  assert.deepEqual(address.counts, { missing: 0, extra: 0, changed: 0 });
  assert.match(
    address.notes.join('\n'),
    new RegExp(`${rejected} source rows .*rejected.*customer_address_entity\\.jsonl`),
  );

  // A row lost for another reason is still missing.
  const [kept] = await conn.query<import('mysql2').RowDataPacket[]>(
    `SELECT MIN(entity_id) AS id FROM ${d}.customer_address_entity`,
  );
  const lost = String(kept[0]?.id);
  await conn.query(`DELETE FROM ${d}.customer_address_entity WHERE entity_id = ?`, [lost]);
  const again = documentOf(
    await check(env.configFile, { mode: 'deep', chunkRows: 100 }),
    'customer_address_entity',
  );
  assert.equal(again.status, 'mismatch');
  assert.deepEqual(again.missing, [[lost]]);
  assert.equal(again.counts.missing, 1);
});

test('a document whose handler maps ids (mapId) is compared with the ids the copy used: equal, then a wrong attribute found', async (t) => {
  const env = await createEavEnv('deep_idmap', { products: 30 });
  // Before any run has made the id map table: a finding, not a missing-table error.
  const before = await runCli(['check', env.configFile, '--deep']);
  assert.equal(before.status, 4, `${before.stdout}\n${before.stderr}`);
  assert.doesNotMatch(`${before.stdout}${before.stderr}`, /doesn't exist|ER_NO_SUCH_TABLE/);
  const copy = await runCli(['data', env.configFile]);
  assert.equal(copy.status, 0, `${copy.stdout}\n${copy.stderr}`);
  // Rows are read in batches of 1000 per lookup: chunks of 7 make several batches per document.
  const clean = await check(env.configFile, { mode: 'deep', chunkRows: 7 });
  const values = documentOf(clean, 'catalog_product_entity_varchar');
  assert.equal(values.method, 'stream', 'mapId has no SQL form: the tool hashes the document');
  assert.equal(values.status, 'ok', JSON.stringify(values));

  const conn = await adminConnection();
  t.after(() => conn.end());
  // One value moved onto another attribute (the source id instead of the mapped one would do the same).
  await conn.query(
    `UPDATE \`${env.destSchema}\`.catalog_product_entity_varchar SET attribute_id = 3 WHERE value_id = 5`,
  );
  const changed = await check(env.configFile, { mode: 'deep', chunkRows: 7 });
  const found = documentOf(changed, 'catalog_product_entity_varchar');
  assert.equal(found.status, 'mismatch');
  assert.equal(found.counts.changed, 1, JSON.stringify(found));
});

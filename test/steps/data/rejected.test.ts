import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../../support/cli.js';
import { adminConnection } from '../../support/database.js';
import { assertMappedEqual } from '../../support/mapped-equality.js';
import { createStoreEnv } from '../../support/store-env.js';

test('rows the destination refuses are written with the reason, counted, and --retry-rejected loads them after the fix', async () => {
  for (const direct of ['0', '1']) {
    const env = await createStoreEnv(`rejected${direct}`, {
      orders: 200,
      options: `<direct_document_copy>${direct}</direct_document_copy><bulk_size>50</bulk_size>`,
    });
    const conn = await adminConnection();
    const d = `\`${env.destSchema}\``;
    // A destination column too short for some values: strict mode refuses them.
    await conn.query(`ALTER TABLE ${d}.customer_address_entity MODIFY telephone VARCHAR(11) NOT NULL`);
    const [long] = await conn.query<import('mysql2').RowDataPacket[]>(
      `SELECT COUNT(*) AS n FROM \`${env.sourceSchema}\`.customer_address_entity WHERE CHAR_LENGTH(telephone) > 11`,
    );
    const expected = Number(long[0]?.n);
    assert.ok(expected > 0, 'the fixture has long telephone numbers');

    const first = await runCli(['data', env.configFile]);
    assert.equal(first.status, 1, first.stderr);
    const file = join(env.dir, 'rejected', 'customer_address_entity.jsonl');
    assert.match(first.stderr, new RegExp(`${expected} rows were rejected`));
    assert.ok(first.stderr.includes(file), first.stderr);
    const lines = (await readFile(file, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(lines.length, expected);
    assert.equal(lines[0].code, 'ER_DATA_TOO_LONG');
    assert.match(lines[0].error, /Data too long for column 'telephone'/);
    assert.match(first.stdout, /customer_address_entity\s+customer_address_entity\s+\d+\s+\d+\s+\d+\s+ok/);

    // A second plain run does not copy anything again and still reports the rejected rows' existence via progress.
    await conn.query(`ALTER TABLE ${d}.customer_address_entity MODIFY telephone VARCHAR(64) NOT NULL`);
    const retry = await runCli(['data', env.configFile, '--retry-rejected']);
    assert.equal(retry.status, 0, retry.stderr);
    assert.match(
      retry.stdout,
      new RegExp(`customer_address_entity: ${expected} rows loaded, 0 still rejected`),
    );
    assert.equal(existsSync(file), false);
    assert.equal(await assertMappedEqual(env.configFile), 9);
    const again = await runCli(['data', env.configFile]);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /volume check: all 9 documents match/);
    await conn.end();
  }
});

test('a value a handler cannot convert becomes a rejected row with the reason, never a crash', async () => {
  const env = await createStoreEnv('rejected_handler', { orders: 100 });
  const conn = await adminConnection();
  await conn.query(
    `UPDATE \`${env.sourceSchema}\`.sales_flat_order_item SET product_options = 'a:1:{s:3:"qty";i:1;' WHERE item_id IN (1, 2)`,
  );
  const first = await runCli(['data', env.configFile]);
  assert.equal(first.status, 1, first.stderr);
  assert.match(first.stderr, /2 rows were rejected/);
  const file = join(env.dir, 'rejected', 'sales_flat_order_item.jsonl');
  const lines = (await readFile(file, 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.deepEqual(
    lines.map((l) => [l.stage, l.code, l.values[0]]),
    [
      ['transform', 'HANDLER_REJECTED', '1'],
      ['transform', 'HANDLER_REJECTED', '2'],
    ],
  );
  assert.match(lines[0].error, /sales_flat_order_item.product_options: .*byte/);

  // Retrying without fixing: still rejected, file kept. Fixing the source data and retrying loads them.
  const stuck = await runCli(['data', env.configFile, '--retry-rejected']);
  assert.equal(stuck.status, 1);
  assert.match(stuck.stdout, /0 rows loaded, 2 still rejected/);
  // A retry reads the rows again from the source by key: fixing them there is what counts.
  await conn.query(
    `UPDATE \`${env.sourceSchema}\`.sales_flat_order_item SET product_options = 'a:0:{}' WHERE item_id IN (1, 2)`,
  );
  const retry = await runCli(['data', env.configFile, '--retry-rejected']);
  assert.equal(retry.status, 0, retry.stderr + retry.stdout);
  const [rows] = await conn.query<import('mysql2').RowDataPacket[]>(
    `SELECT item_id, product_options FROM \`${env.destSchema}\`.sales_order_item WHERE item_id IN (1, 2) ORDER BY item_id`,
  );
  assert.deepEqual(
    rows.map((r) => [r.item_id, r.product_options]),
    [
      [1, '[]'],
      [2, '[]'],
    ],
  );
  await conn.end();
});

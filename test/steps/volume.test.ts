/**
 * Issue 12, case 2: the volume check must find rows the destination lost, and call a difference
 * `changes-pending` only when the changes waiting in the change log can account for it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../support/cli.js';
import { adminConnection } from '../support/database.js';
import { configOverSchemas } from '../support/schema-pair-config.js';
import { createStoreEnv } from '../support/store-env.js';

test('a tracked document that lost more rows than changes wait in its change log is a mismatch (exit 4), named', async () => {
  const env = await createStoreEnv('volume_bound', { orders: 30 });
  const copied = await runCli(['data', env.configFile]);
  assert.equal(copied.status, 0, copied.stderr);
  const conn = await adminConnection();
  // Five orders vanish from the destination; the shop changes one order meanwhile.
  await conn.query(`DELETE FROM \`${env.destSchema}\`.sales_order ORDER BY entity_id LIMIT 5`);
  await conn.query(
    `UPDATE \`${env.sourceSchema}\`.sales_flat_order SET updated_at = NOW() ORDER BY entity_id DESC LIMIT 1`,
  );
  const lost = await runCli(['data', env.configFile]);
  assert.equal(lost.status, 4, lost.stderr + lost.stdout);
  assert.match(lost.stdout, /sales_flat_order\s+sales_order\s+\d+\s+\d+\s+0\s+1\s+mismatch/);
  assert.match(
    lost.stdout,
    /sales_flat_order: 5 rows missing from the destination \(with the rejected rows\), more than the 1 change waiting in its change log can explain/,
  );
  assert.doesNotMatch(lost.stderr, /every document copied/);

  await conn.end();
});

test('rows the copy wrote that the destination no longer holds are found, even when the source count happens to agree', async () => {
  const { source, destination, config } = await configOverSchemas({
    label: 'volume_ledger',
    options: '<bulk_size>20</bulk_size>',
  });
  const conn = await adminConnection();
  for (const schema of [source, destination])
    await conn.query(`CREATE TABLE \`${schema}\`.items (id INT PRIMARY KEY, v VARCHAR(10))`);
  await conn.query(`INSERT INTO \`${source}\`.items SELECT seq, 'x' FROM \`${source}\`.seq_1_to_50`);
  const first = await runCli(['data', config]);
  assert.equal(first.status, 0, first.stderr + first.stdout);
  assert.match(first.stdout, /volume check: all 1 documents match/);
  // The destination loses three rows; the shop deletes three others from the (untracked) source.
  await conn.query(`DELETE FROM \`${destination}\`.items WHERE id IN (1, 2, 3)`);
  await conn.query(`DELETE FROM \`${source}\`.items WHERE id IN (48, 49, 50)`);
  const again = await runCli(['data', config]);
  assert.equal(again.status, 4, again.stderr + again.stdout);
  assert.match(
    again.stdout,
    /items: the copy wrote 50 rows \(progress table\) but the destination holds 47: 3 rows lost after they were written/,
  );
  await conn.end();
});

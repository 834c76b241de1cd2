/**
 * What msales' tests insert into a 1.9 install: customers with EAV values and addresses, the
 * shop's own customer attribute, and orders with every document under them, as Magento 1.9
 * writes them (PHP-serialized options and payment information).
 */
import { createHash } from 'node:crypto';
import { createMagentoPair, sql } from './msales-env.js';

export const CUSTOMERS = 25;
export const md5 = (text: string) => createHash('md5').update(text).digest('hex');

/** Customers as Magento 1.9 writes them: the entity row, EAV values by attribute code, addresses. */
export async function insertCustomers(m1: string): Promise<void> {
  const attribute = async (type: string, code: string) => {
    const [row] = await sql<{ id: number }>(
      `SELECT a.attribute_id AS id FROM \`${m1}\`.eav_attribute a JOIN \`${m1}\`.eav_entity_type t USING (entity_type_id) WHERE t.entity_type_code = ? AND a.attribute_code = ?`,
      [type, code],
    );
    if (!row) throw new Error(`1.9 has no ${type} attribute ${code}`);
    return row.id;
  };
  const values: Record<string, unknown[][]> = { varchar: [], int: [], datetime: [], text: [] };
  const addressValues: Record<string, unknown[][]> = { varchar: [], int: [], text: [] };
  const customers: unknown[][] = [];
  const addresses: unknown[][] = [];
  let addressId = 0;
  for (let i = 1; i <= CUSTOMERS; i++) {
    customers.push([
      i,
      1,
      4,
      1,
      `customer${i}@example.com`,
      1 + (i % 3),
      1,
      '2015-03-0' + ((i % 9) + 1) + ' 10:00:00',
    ]);
    const put = async (type: string, code: string, value: unknown) =>
      values[type]?.push([1, await attribute('customer', code), i, value]);
    await put('varchar', 'firstname', `First${i}`);
    await put('varchar', 'lastname', `Last ${i}`);
    if (i % 4 === 0) await put('varchar', 'middlename', 'Q.');
    await put('varchar', 'created_in', 'Default Store View');
    await put('varchar', 'password_hash', i % 5 === 0 ? md5(`secret${i}`) : `${md5(`ab${i}secret`)}:ab${i}`);
    if (i % 2 === 0)
      await put('datetime', 'dob', `1980-01-${String((i % 28) + 1).padStart(2, '0')} 00:00:00`);
    if (i % 3 !== 0) await put('int', 'gender', 1 + (i % 2));
    if (i % 6 === 0) await put('varchar', 'taxvat', `VAT${i}`);
    const own: number[] = [];
    for (let a = 0; a < 1 + (i % 2); a++) {
      addressId++;
      own.push(addressId);
      addresses.push([addressId, 2, 2, i, '2015-04-01 09:00:00']);
      const putAddress = async (type: string, code: string, value: unknown) =>
        addressValues[type]?.push([2, await attribute('customer_address', code), addressId, value]);
      await putAddress('varchar', 'firstname', `First${i}`);
      await putAddress('varchar', 'lastname', `Last ${i}`);
      await putAddress('text', 'street', `${addressId} Main Street\nFlat ${a}`);
      await putAddress('varchar', 'city', 'Austin');
      await putAddress('varchar', 'country_id', 'US');
      await putAddress('int', 'region_id', 57);
      await putAddress('varchar', 'region', 'Texas');
      await putAddress('varchar', 'postcode', `7870${a}`);
      // Magento 1 allowed an address without a telephone; 2.4's column is NOT NULL.
      if (addressId % 7 !== 0) await putAddress('varchar', 'telephone', `555-01${addressId}`);
    }
    await put('int', 'default_billing', own[0]);
    await put('int', 'default_shipping', own.at(-1));
  }
  await sql(
    `INSERT INTO \`${m1}\`.customer_entity (entity_id, entity_type_id, attribute_set_id, website_id, email, group_id, store_id, created_at) VALUES ?`,
    [
      customers.map(([id, type, set, website, email, group, store, created]) => [
        id,
        type,
        set,
        website,
        email,
        group,
        store,
        created,
      ]),
    ],
  );
  await sql(
    `INSERT INTO \`${m1}\`.customer_address_entity (entity_id, entity_type_id, attribute_set_id, parent_id, created_at) VALUES ?`,
    [addresses],
  );
  for (const [type, rows] of Object.entries(values)) {
    if (rows.length > 0)
      await sql(
        `INSERT INTO \`${m1}\`.customer_entity_${type} (entity_type_id, attribute_id, entity_id, value) VALUES ?`,
        [rows],
      );
  }
  for (const [type, rows] of Object.entries(addressValues)) {
    if (rows.length > 0)
      await sql(
        `INSERT INTO \`${m1}\`.customer_address_entity_${type} (entity_type_id, attribute_id, entity_id, value) VALUES ?`,
        [rows],
      );
  }
}

/**
 * The shop's own customer attribute, `loyalty_code`: created in 1.9 after the installer's ids,
 * and in 2.4 (where mcat's EAV step creates it) on a different id.
 */
export async function addLoyaltyAttribute(pair: { m1: string; m2: string }): Promise<void> {
  for (const schema of [pair.m1, pair.m2]) {
    await sql(
      `INSERT INTO \`${schema}\`.eav_attribute (entity_type_id, attribute_code, backend_type, frontend_input, frontend_label, is_user_defined)
       SELECT entity_type_id, 'loyalty_code', 'varchar', 'text', 'Loyalty code', 1 FROM \`${schema}\`.eav_entity_type WHERE entity_type_code = 'customer'`,
    );
  }
  await sql(
    `INSERT INTO \`${pair.m1}\`.customer_entity_varchar (entity_type_id, attribute_id, entity_id, value)
     SELECT 1, attribute_id, 3, 'GOLD-3' FROM \`${pair.m1}\`.eav_attribute WHERE attribute_code = 'loyalty_code'`,
  );
}

export const ORDERS = 20;
export const SALES_DOCUMENTS = [
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

/** Same-name documents under orders (map/sales-more.json). */
export const SALES_MORE = [
  'sales_order_tax',
  'sales_payment_transaction',
  'gift_message',
  'downloadable_link_purchased',
  'downloadable_link_purchased_item',
];

/** Orders as Magento 1.9 writes them, with PHP-serialized options and payment information. */
export async function insertOrders(m1: string): Promise<void> {
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

/** A subscriber, a guest and a customer review (text, store, summary) and a wishlist, as 1.9 writes them. */
export async function insertEngagement(m1: string): Promise<void> {
  await sql(
    `INSERT INTO \`${m1}\`.newsletter_subscriber (subscriber_id, store_id, customer_id, subscriber_email, subscriber_status, subscriber_confirm_code)
     VALUES (1, 1, 3, 'customer3@example.com', 1, 'abc123'), (2, 1, 0, 'guest@example.com', 1, 'def456')`,
  );
  await sql(
    `INSERT INTO \`${m1}\`.review (review_id, created_at, entity_id, entity_pk_value, status_id) VALUES (1, '2016-02-01 10:00:00', 1, 11, 1), (2, '2016-02-02 10:00:00', 1, 12, 2)`,
  );
  await sql(
    `INSERT INTO \`${m1}\`.review_detail (detail_id, review_id, store_id, title, detail, nickname, customer_id)
     VALUES (1, 1, 1, 'Great', 'Fits well', 'First3', 3), (2, 2, 1, 'Meh', 'Too small', 'Guest', NULL)`,
  );
  await sql(`INSERT INTO \`${m1}\`.review_store (review_id, store_id) VALUES (1, 0), (1, 1), (2, 0), (2, 1)`);
  await sql(
    `INSERT INTO \`${m1}\`.review_entity_summary (primary_id, entity_pk_value, entity_type, reviews_count, rating_summary, store_id) VALUES (1, 11, 1, 1, 80, 1)`,
  );
  await sql(
    `INSERT INTO \`${m1}\`.wishlist (wishlist_id, customer_id, shared, sharing_code, updated_at) VALUES (1, 4, 0, 'share4', '2016-03-01 10:00:00')`,
  );
}

/** A pair with the customer and sales areas over the sales tables: what the sales tests start from. */
export function createSalesPair(label: string, options?: string) {
  return createMagentoPair(
    label,
    [
      { module: 'customer/index.ts', name: 'customerArea' },
      { module: 'sales/index.ts', name: 'salesArea' },
    ],
    {
      source: [
        'customer_group',
        'tax_class',
        ...SALES_DOCUMENTS.map((d) => `sales_flat_${d}`),
        ...SALES_MORE,
      ],
      destination: [
        'customer_group',
        'tax_class',
        ...SALES_DOCUMENTS.map((d) => `sales_${d}`),
        ...SALES_MORE,
      ],
    },
    options,
  );
}

/**
 * Delta keeps the profile's step-filled tables in step (Step.delta): after `migrate data`, the
 * 1.9 shop renames a customer (an EAV value), adds and deletes addresses, deletes a customer
 * (its addresses go by cascade, which no trigger sees) and takes an order in a second store
 * view. Until delta runs, `migrate check` fails on the step checks; after
 * `migrate delta --until-caught-up` every check matches, the flat customer and address tables
 * show the changes, the grid has the new order and the store's sequence continues after it.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../../support/cli.js';
import { fillStoreAndAttributeMaps, sql } from './msales-env.js';
import {
  createSalesPair,
  insertCustomers,
  insertOrders,
  ORDERS,
  SALES_DOCUMENTS,
} from './msales-fixtures.js';

const NEW_ORDER = ORDERS + 1;

async function attributeId(m1: string, type: string, code: string): Promise<number> {
  const [row] = await sql<{ id: number }>(
    `SELECT a.attribute_id AS id FROM \`${m1}\`.eav_attribute a JOIN \`${m1}\`.eav_entity_type t USING (entity_type_id) WHERE t.entity_type_code = ? AND a.attribute_code = ?`,
    [type, code],
  );
  if (!row) throw new Error(`no ${type} attribute ${code}`);
  return row.id;
}

test('delta applies the changes of a live 1.9 shop to the step-filled tables: customers, addresses, the grid, sequences', async () => {
  const pair = await createSalesPair(
    'mdelta_steps',
    '<bulk_size>7</bulk_size><deltalog_file>deltalog.json</deltalog_file>',
  );
  const { m1, m2 } = pair;
  await writeFile(
    join(pair.dir, 'deltalog.json'),
    JSON.stringify({
      prefix: 'm2_cl_',
      documents: Object.fromEntries(SALES_DOCUMENTS.map((d) => [`sales_flat_${d}`, {}])),
    }),
  );
  await insertCustomers(m1);
  await insertOrders(m1);
  // A second store view, in both installs (the id maps match stores by code).
  await sql(
    `INSERT INTO \`${m1}\`.core_store (store_id, code, website_id, group_id, name, sort_order, is_active) VALUES (2, 'second', 1, 1, 'Second', 1, 1)`,
  );
  await sql(
    `INSERT INTO \`${m2}\`.store (store_id, code, website_id, group_id, name, sort_order, is_active) VALUES (2, 'second', 1, 1, 'Second', 1, 1)`,
  );
  await fillStoreAndAttributeMaps(pair);

  const data = await runCli(['data', pair.configFile]);
  assert.equal(data.status, 0, `${data.stdout}\n${data.stderr}`);
  assert.match(data.stdout, /^sales sequences\s+12\s+12\s+match/m);
  // The map's tracking of a table the steps read too is the tool's, not a store trigger to warn of.
  assert.doesNotMatch(`${data.stdout}\n${data.stderr}`, /has triggers of its own/);

  // The shop goes on: a customer renamed, an address added, one deleted, a customer deleted.
  const lastname = await attributeId(m1, 'customer', 'lastname');
  await sql(
    `UPDATE \`${m1}\`.customer_entity_varchar SET value = 'Renamed' WHERE entity_id = 3 AND attribute_id = ?`,
    [lastname],
  );
  await sql(
    `INSERT INTO \`${m1}\`.customer_address_entity (entity_id, entity_type_id, attribute_set_id, parent_id, created_at) VALUES (500, 2, 2, 2, '2016-06-01 10:00:00')`,
  );
  for (const [code, value] of [
    ['firstname', 'First2'],
    ['lastname', 'Moved'],
    ['city', 'Dallas'],
    ['country_id', 'US'],
    ['telephone', '555-0500'],
  ] as const)
    await sql(
      `INSERT INTO \`${m1}\`.customer_address_entity_varchar (entity_type_id, attribute_id, entity_id, value) VALUES (2, ?, 500, ?)`,
      [await attributeId(m1, 'customer_address', code), value],
    );
  await sql(
    `INSERT INTO \`${m1}\`.customer_address_entity_text (entity_type_id, attribute_id, entity_id, value) VALUES (2, ?, 500, '1 Oak Lane')`,
    [await attributeId(m1, 'customer_address', 'street')],
  );
  await sql(`DELETE FROM \`${m1}\`.customer_address_entity WHERE entity_id = 2`);
  const [doomed] = await sql<{ n: number }>(
    `SELECT COUNT(*) AS n FROM \`${m1}\`.customer_address_entity WHERE parent_id = 5`,
  );
  assert.ok(Number(doomed?.n) > 0, 'customer 5 has addresses that go with it');
  await sql(`DELETE FROM \`${m1}\`.customer_entity WHERE entity_id = 5`);
  // An order in the second store view, with its addresses and payment.
  await sql(
    `INSERT INTO \`${m1}\`.sales_flat_order (entity_id, state, status, store_id, customer_is_guest, customer_email, customer_firstname, customer_lastname, customer_group_id, increment_id, base_grand_total, grand_total, billing_address_id, shipping_address_id, store_name, created_at, base_currency_code, order_currency_code)
     VALUES (?, 'new', 'pending', 2, 1, 'late@example.com', 'Late', 'Buyer', 0, '200000042', '12.0000', '12.0000', 900, 901, 'Second', '2016-06-01 11:00:00', 'USD', 'USD')`,
    [NEW_ORDER],
  );
  await sql(
    `INSERT INTO \`${m1}\`.sales_flat_order_address (entity_id, parent_id, address_type, firstname, lastname, street, city, postcode, country_id, telephone)
     VALUES (900, ?, 'billing', 'Late', 'Buyer', '9 Pine Road', 'Houston', '77001', 'US', '555-0900'),
            (901, ?, 'shipping', 'Late', 'Buyer', '9 Pine Road', 'Houston', '77001', 'US', '555-0900')`,
    [NEW_ORDER, NEW_ORDER],
  );
  await sql(
    `INSERT INTO \`${m1}\`.sales_flat_order_payment (entity_id, parent_id, method, amount_ordered) VALUES (900, ?, 'checkmo', '12.0000')`,
    [NEW_ORDER],
  );

  // Without delta the step checks find the differences: a check that cannot fail proves nothing.
  const stale = await runCli(['check', pair.configFile]);
  assert.notEqual(stale.status, 0, `${stale.stdout}\n${stale.stderr}`);
  assert.match(`${stale.stdout}\n${stale.stderr}`, /customer_entity/);
  assert.match(`${stale.stdout}\n${stale.stderr}`, /sales_order_grid/);

  const delta = await runCli(['delta', pair.configFile, '--until-caught-up', '--quiet-period', '200']);
  assert.equal(delta.status, 0, `${delta.stdout}\n${delta.stderr}`);

  const check = await runCli(['check', pair.configFile]);
  assert.equal(check.status, 0, `${check.stdout}\n${check.stderr}`);

  const [renamed] = await sql<{ lastname: string }>(
    `SELECT lastname FROM \`${m2}\`.customer_entity WHERE entity_id = 3`,
  );
  assert.equal(renamed?.lastname, 'Renamed');
  const [added] = await sql<{ parent_id: number; city: string; street: string }>(
    `SELECT parent_id, city, street FROM \`${m2}\`.customer_address_entity WHERE entity_id = 500`,
  );
  assert.deepEqual(
    { ...added, parent_id: Number(added?.parent_id) },
    { parent_id: 2, city: 'Dallas', street: '1 Oak Lane' },
  );
  assert.equal((await sql(`SELECT 1 FROM \`${m2}\`.customer_address_entity WHERE entity_id = 2`)).length, 0);
  assert.equal((await sql(`SELECT 1 FROM \`${m2}\`.customer_entity WHERE entity_id = 5`)).length, 0);
  assert.equal((await sql(`SELECT 1 FROM \`${m2}\`.customer_address_entity WHERE parent_id = 5`)).length, 0);
  assert.equal((await sql(`SELECT 1 FROM \`${m2}\`.customer_entity_varchar WHERE entity_id = 5`)).length, 0);

  const [grid] = await sql<{ store_id: number; billing_name: string; payment_method: string }>(
    `SELECT store_id, billing_name, payment_method FROM \`${m2}\`.sales_order_grid WHERE entity_id = ?`,
    [NEW_ORDER],
  );
  assert.deepEqual(
    { ...grid, store_id: Number(grid?.store_id) },
    { store_id: 2, billing_name: 'Late Buyer', payment_method: 'checkmo' },
  );
  // The second store's order sequence continues after the order placed during delta.
  const [next] = await sql<{ v: string }>(`SELECT MAX(sequence_value) AS v FROM \`${m2}\`.sequence_order_2`);
  assert.equal(String(next?.v), '200000042');
  // Every change log the steps read was drained.
  const logs = await sql<{ t: string }>(
    `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = ? AND table_name LIKE 'm2\\_cl\\_step\\_\\_%'`,
    [m1],
  );
  assert.ok(logs.length >= 10, `step change logs: ${logs.map((l) => l.t).join(', ')}`);
  for (const { t } of logs) {
    const [row] = await sql<{ n: number }>(`SELECT COUNT(*) AS n FROM \`${m1}\`.\`${t}\``);
    assert.equal(Number(row?.n), 0, `${t} drained`);
  }
});

/**
 * Customers of a 1.9 store into the real 2.4 install: EAV values into 2.4's columns, password
 * hashes Magento 2 verifies, addresses and default addresses, groups merged by code, the
 * shop's own customer attribute on 2.4's attribute id; verified customer by customer.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../../support/cli.js';
import { createMagentoPair, fillStoreAndAttributeMaps, sql } from './msales-env.js';
import { addLoyaltyAttribute, CUSTOMERS, insertCustomers, md5 } from './msales-fixtures.js';

test('1.9 customers become 2.4 customers: EAV into columns, loginable hashes, addresses, groups by code, own attributes remapped', async () => {
  const pair = await createMagentoPair(
    'msales_cust',
    [{ module: 'customer/index.ts', name: 'customerArea' }],
    { source: ['customer_group', 'tax_class'], destination: ['customer_group', 'tax_class'] },
    '<bulk_size>10</bulk_size>',
  );
  await insertCustomers(pair.m1);
  await addLoyaltyAttribute(pair);
  await fillStoreAndAttributeMaps(pair);

  const run = await runCli(['data', pair.configFile]);
  assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
  // The steps' own verification: every customer and address equal column by column.
  assert.match(
    run.stdout,
    new RegExp(
      `^customer_entity\\s+${CUSTOMERS}\\s+${CUSTOMERS}\\s+match\\s+entities equal column by column: ${CUSTOMERS} equal, 0 rejected, 0 different`,
      'm',
    ),
  );
  assert.match(run.stdout, /^customer_address_entity\s+38\s+38\s+match/m);
  // No row of a filled document points at nothing (the address's customer, the value's attribute).
  assert.match(
    run.stdout,
    /^customer_address_entity foreign keys\s+0\s+0\s+match\s+orphan rows in 1 foreign keys/m,
  );
  assert.match(
    run.stdout,
    /^customer_entity_varchar foreign keys\s+0\s+0\s+match\s+orphan rows in 2 foreign keys/m,
  );
  assert.doesNotMatch(run.stdout, /foreign keys\s+0\s+[1-9]/);

  const m2 = pair.m2;
  // Groups merged by code: the installer's four kept with their ids; the Shipping tax class created.
  assert.deepEqual(
    (
      await sql<{ g: string }>(
        `SELECT CONCAT(customer_group_id, ' ', customer_group_code) AS g FROM \`${m2}\`.customer_group ORDER BY 1`,
      )
    ).map((r) => r.g),
    ['0 NOT LOGGED IN', '1 General', '2 Wholesale', '3 Retailer'],
  );
  assert.equal((await sql(`SELECT 1 FROM \`${m2}\`.tax_class WHERE class_name = 'Shipping'`)).length, 1);

  const customers = await sql<Record<string, string | null>>(
    `SELECT c.*, w.code AS website FROM \`${m2}\`.customer_entity c JOIN \`${m2}\`.store_website w USING (website_id) ORDER BY entity_id`,
  );
  assert.equal(customers.length, CUSTOMERS);
  const c4 = customers.find((c) => c.email === 'customer4@example.com');
  assert.ok(c4);
  assert.equal(c4.website, 'base');
  assert.equal(c4.firstname, 'First4');
  assert.equal(c4.lastname, 'Last 4');
  assert.equal(c4.middlename, 'Q.');
  assert.equal(String(c4.group_id), '2');
  assert.equal(c4.created_in, 'Default Store View');
  assert.equal(String(c4.gender), '1');
  assert.equal(c4.password_hash, `${md5('ab4secret')}:ab4:0`);
  // Magento 2's check for version 0: md5(salt . password) equals the hash part.
  const [hash, salt, version] = String(c4.password_hash).split(':');
  assert.equal(version, '0');
  assert.equal(md5(`${salt}secret`), hash);
  const c5 = customers.find((c) => c.email === 'customer5@example.com');
  assert.equal(c5?.password_hash, `${md5('secret5')}::0`);
  assert.equal(c5?.dob, null);
  assert.match(String(customers.find((c) => c.email === 'customer2@example.com')?.dob), /^1980-01-03/);

  // Default addresses point at the customer's own addresses, which carry 1.9's values.
  const defaults = await sql<{ n: number }>(
    `SELECT COUNT(*) AS n FROM \`${m2}\`.customer_entity c
       JOIN \`${m2}\`.customer_address_entity b ON b.entity_id = c.default_billing AND b.parent_id = c.entity_id
       JOIN \`${m2}\`.customer_address_entity s ON s.entity_id = c.default_shipping AND s.parent_id = c.entity_id`,
  );
  assert.equal(Number(defaults[0]?.n), CUSTOMERS);
  const [a1] = await sql<Record<string, string>>(
    `SELECT * FROM \`${m2}\`.customer_address_entity WHERE entity_id = 1`,
  );
  assert.equal(a1?.street, '1 Main Street\nFlat 0');
  assert.equal(a1?.city, 'Austin');
  assert.equal(a1?.country_id, 'US');
  assert.equal(String(a1?.region_id), '57');
  const [a7] = await sql<Record<string, string>>(
    `SELECT telephone FROM \`${m2}\`.customer_address_entity WHERE entity_id = 7`,
  );
  assert.equal(a7?.telephone, '');

  // The shop's own attribute: its value on 2.4's id for loyalty_code, not 1.9's.
  const loyalty = await sql<{ value: string }>(
    `SELECT v.value FROM \`${m2}\`.customer_entity_varchar v JOIN \`${m2}\`.eav_attribute a USING (attribute_id)
      WHERE a.attribute_code = 'loyalty_code' AND v.entity_id = 3`,
  );
  assert.deepEqual(
    loyalty.map((r) => r.value),
    ['GOLD-3'],
  );
  // Only the shop's own attribute's values stay EAV: the installer's all became columns.
  assert.equal(
    Number((await sql<{ n: number }>(`SELECT COUNT(*) AS n FROM \`${m2}\`.customer_entity_varchar`))[0]?.n),
    1,
  );

  // The engine's check: counts and the destination's foreign keys (0 orphan rows).
  const check = await runCli(['check', pair.configFile]);
  assert.equal(check.status, 0, `${check.stdout}\n${check.stderr}`);
  assert.match(check.stdout, /referential integrity: [1-9]\d* foreign keys verified, no orphan rows/);

  // A rerun writes nothing twice.
  const again = await runCli(['data', pair.configFile]);
  assert.equal(again.status, 0, again.stderr);
  assert.equal((await sql(`SELECT 1 FROM \`${m2}\`.customer_entity`)).length, CUSTOMERS);

  // The verification is not a count: one changed value fails it, naming the customer and the column.
  await sql(
    `UPDATE \`${m2}\`.customer_entity SET lastname = 'Changed', updated_at = updated_at WHERE email = 'customer4@example.com'`,
  );
  const tampered = await runCli(['data', pair.configFile]);
  assert.notEqual(tampered.status, 0);
  assert.match(
    tampered.stdout,
    /customer_entity\s+25\s+24\s+MISMATCH.*first: customer customer4@example\.com \(website 1\): lastname: "Last 4" in 1\.9, "Changed" in 2\.4/i,
  );
});

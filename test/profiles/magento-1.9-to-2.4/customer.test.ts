/**
 * Customers of a 1.9 store into the real 2.4 install: EAV values into 2.4's columns, password
 * hashes Magento 2 verifies, addresses and default addresses, groups merged by code, the
 * shop's own customer attribute on 2.4's attribute id; verified customer by customer.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { runCli } from '../../support/cli.js';
import { createMagentoPair, fillStoreAndAttributeMaps, type MagentoPair, sql } from './msales-env.js';

const CUSTOMERS = 25;
const md5 = (text: string) => createHash('md5').update(text).digest('hex');

/** Customers as Magento 1.9 writes them: the entity row, EAV values by attribute code, addresses. */
async function insertCustomers(m1: string): Promise<void> {
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
async function addLoyaltyAttribute(pair: MagentoPair): Promise<void> {
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

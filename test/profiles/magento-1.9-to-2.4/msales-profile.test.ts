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
import { addLoyaltyAttribute, CUSTOMERS, insertCustomers, insertOrders, ORDERS } from './msales-fixtures.js';

test('the magento-1.9-to-2.4 profile migrates customers and orders into the real 2.4 install; its checks pass', async () => {
  const pair = await createMagentoPair('msales_profile', { options: '<bulk_size>9</bulk_size>' });
  await insertCustomers(pair.sourceSchema);
  await insertOrders(pair.sourceSchema);
  await addLoyaltyAttribute({ m1: pair.sourceSchema, m2: pair.destSchema });
  // In a real run mcat's EAV area creates the shop's attribute; here both installs hold it already.

  const run = await runCli(['data', pair.configFile], { timeoutMs: 280_000 });
  assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
  assert.doesNotMatch(run.stdout, /MISMATCH/);
  assert.match(run.stdout, new RegExp(`^customer_entity\\s+${CUSTOMERS}\\s+${CUSTOMERS}\\s+match`, 'm'));
  assert.match(run.stdout, new RegExp(`^sales_order_grid\\s+${ORDERS}\\s+${ORDERS}\\s+match`, 'm'));
  const [orders] = await sql<{ n: number }>(`SELECT COUNT(*) AS n FROM \`${pair.destSchema}\`.sales_order`);
  assert.equal(Number(orders?.n), ORDERS);

  // The engine's check: 0 orphan rows over 2.4's foreign keys, and every customer/sales document
  // of the map equal in count. (Its counts of the EAV area's merged documents include 2.4's own
  // rows, so those differ by design; the steps' checks above count them.)
  const check = await runCli(['check', pair.configFile], { timeoutMs: 280_000 });
  assert.match(check.stdout, /referential integrity: [1-9]\d* foreign keys verified, no orphan rows/);
  assert.doesNotMatch(check.stdout, /^(sales_|customer_group|tax_class)\S*\s.*mismatch/m);
  assert.match(
    check.stdout,
    new RegExp(`^sales_flat_order\\s+sales_order\\s+count\\s+${ORDERS}\\s+${ORDERS}\\s.*\\sok\\s`, 'm'),
  );
});

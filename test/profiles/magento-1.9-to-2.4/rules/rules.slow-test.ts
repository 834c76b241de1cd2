/**
 * Tax rates and rules, sales rules and catalog rules of a 1.9 store into the real 2.4 install:
 * rates and tax rules merged by code (2.4's seeded US-CA rate kept and used), classes, stores,
 * websites, groups and attributes through their id maps, conditions as 2.4's JSON with class
 * names; verified by natural key (a changed value names the rate or rule) and 0 orphans.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../../../support/cli.js';
import { createMagentoPair, fillStoreAndAttributeMaps, sql } from '../msales-env.js';
import { insertCustomers } from '../msales-fixtures.js';
import { insertTaxesAndRules, RULE_DOCUMENTS } from './rules-fixtures.js';

test('1.9 tax rates and rules, sales and catalog rules become 2.4 ones, verified by code and name', async () => {
  const pair = await createMagentoPair(
    'mrules',
    [
      { module: 'customer/index.ts', name: 'customerArea' },
      { module: 'rules/index.ts', name: 'rulesArea' },
    ],
    {
      source: ['customer_group', 'tax_class', ...RULE_DOCUMENTS],
      destination: ['customer_group', 'tax_class', ...RULE_DOCUMENTS],
    },
    '<bulk_size>2</bulk_size>',
  );
  await insertCustomers(pair.m1);
  await insertTaxesAndRules(pair.m1);
  await fillStoreAndAttributeMaps(pair);

  const run = await runCli(['data', pair.configFile]);
  assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
  assert.match(
    run.stdout,
    /^tax_calculation_rate\s+3\s+3\s+match\s+tax rates by code, equal value by value/m,
  );
  assert.match(run.stdout, /^tax_calculation_rule\s+2\s+2\s+match\s+tax rules by code/m);
  assert.match(
    run.stdout,
    /^salesrule\s+2\s+2\s+match\s+sales rules by name.*conditions as decoded trees: 2 equal, 0 rejected/m,
  );
  assert.match(run.stdout, /^catalogrule\s+1\s+1\s+match\s+catalog rules by name/m);
  assert.match(
    run.stdout,
    /^tax and rule tables foreign keys\s+0\s+0\s+match\s+orphan rows in [1-9]\d* foreign keys/m,
  );

  const m2 = pair.m2;
  // Rates by code: 2.4's seeded US-CA kept on its id (1) beside its US-NY; the others created.
  const rates = await sql<{ r: string }>(
    `SELECT CONCAT(tax_calculation_rate_id, ' ', code, ' ', rate) AS r FROM \`${m2}\`.tax_calculation_rate ORDER BY tax_calculation_rate_id`,
  );
  assert.deepEqual(
    rates.map((r) => r.r),
    ['1 US-CA-*-Rate 1 8.2500', '2 US-NY-*-Rate 1 8.3750', '3 DE-*-*-MwSt 19.0000', '4 US-TX-Austin 8.2500'],
  );
  // The calculations point at 2.4's ids: the rate merged onto 1, Shipping on its new class id.
  const calculations = await sql<{ c: string }>(
    `SELECT CONCAT(u.code, ' / ', r.code, ' / ', cc.class_name, ' / ', pc.class_name) AS c
       FROM \`${m2}\`.tax_calculation c JOIN \`${m2}\`.tax_calculation_rule u USING (tax_calculation_rule_id)
       JOIN \`${m2}\`.tax_calculation_rate r USING (tax_calculation_rate_id)
       JOIN \`${m2}\`.tax_class cc ON cc.class_id = c.customer_tax_class_id
       JOIN \`${m2}\`.tax_class pc ON pc.class_id = c.product_tax_class_id ORDER BY 1`,
  );
  assert.deepEqual(
    calculations.map((r) => r.c),
    [
      'Germany retail / DE-*-*-MwSt / Retail Customer / Shipping',
      'Germany retail / DE-*-*-MwSt / Retail Customer / Taxable Goods',
      'US retail / US-CA-*-Rate 1 / Retail Customer / Taxable Goods',
      'US retail / US-TX-Austin / Retail Customer / Taxable Goods',
    ],
  );
  const [title] = await sql<{ value: string; store: string }>(
    `SELECT t.value, s.code AS store FROM \`${m2}\`.tax_calculation_rate_title t JOIN \`${m2}\`.store s USING (store_id) WHERE t.tax_calculation_rate_id = 3`,
  );
  assert.deepEqual({ ...title }, { value: 'MwSt.', store: 'default' });

  // The rule's conditions: JSON with 2.4's classes, the same tree otherwise.
  const [welcome] = await sql<{ conditions_serialized: string; actions_serialized: string }>(
    `SELECT conditions_serialized, actions_serialized FROM \`${m2}\`.salesrule WHERE name = 'Welcome 10%'`,
  );
  assert.deepEqual(JSON.parse(welcome?.conditions_serialized ?? ''), {
    type: 'Magento\\SalesRule\\Model\\Rule\\Condition\\Combine',
    attribute: null,
    operator: null,
    value: '1',
    is_value_processed: null,
    aggregator: 'all',
    conditions: [
      {
        type: 'Magento\\SalesRule\\Model\\Rule\\Condition\\Address',
        attribute: 'base_subtotal',
        operator: '>=',
        value: '50',
        is_value_processed: false,
      },
      {
        type: 'Magento\\SalesRule\\Model\\Rule\\Condition\\Product\\Found',
        attribute: null,
        operator: null,
        value: '1',
        is_value_processed: null,
        aggregator: 'any',
        conditions: [
          {
            type: 'Magento\\SalesRule\\Model\\Rule\\Condition\\Product',
            attribute: 'sku',
            operator: '()',
            value: 'SHIRT-1, SHIRT-2',
            is_value_processed: false,
          },
        ],
      },
    ],
  });
  assert.equal(
    JSON.parse(welcome?.actions_serialized ?? '').type,
    'Magento\\SalesRule\\Model\\Rule\\Condition\\Product\\Combine',
  );
  const groups = await sql<{ g: string }>(
    `SELECT g.customer_group_code AS g FROM \`${m2}\`.salesrule_customer_group x JOIN \`${m2}\`.customer_group g USING (customer_group_id) WHERE x.rule_id = 1 ORDER BY 1`,
  );
  assert.deepEqual(
    groups.map((r) => r.g),
    ['General', 'NOT LOGGED IN', 'VIP'],
  );
  const [coupon] = await sql<{ code: string; times_used: number; usage: number }>(
    `SELECT c.code, c.times_used, (SELECT COUNT(*) FROM \`${m2}\`.salesrule_coupon_usage u WHERE u.coupon_id = c.coupon_id) AS \`usage\`
       FROM \`${m2}\`.salesrule_coupon c`,
  );
  assert.deepEqual(
    { ...coupon, usage: Number(coupon?.usage) },
    { code: 'WELCOME10', times_used: 3, usage: 3 },
  );
  const [attribute] = await sql<{ attribute_code: string }>(
    `SELECT a.attribute_code FROM \`${m2}\`.salesrule_product_attribute p JOIN \`${m2}\`.eav_attribute a USING (attribute_id)`,
  );
  assert.equal(attribute?.attribute_code, 'category_ids');
  const [sale] = await sql<{ conditions_serialized: string; actions_serialized: string }>(
    `SELECT conditions_serialized, actions_serialized FROM \`${m2}\`.catalogrule WHERE name = 'Summer sale shirts'`,
  );
  assert.equal(
    JSON.parse(sale?.conditions_serialized ?? '').conditions[0].type,
    'Magento\\CatalogRule\\Model\\Rule\\Condition\\Product',
  );
  assert.equal(
    JSON.parse(sale?.actions_serialized ?? '').type,
    'Magento\\CatalogRule\\Model\\Rule\\Action\\Collection',
  );

  const check = await runCli(['check', pair.configFile]);
  assert.equal(check.status, 0, `${check.stdout}\n${check.stderr}`);
  assert.match(check.stdout, /referential integrity: [1-9]\d* foreign keys verified, no orphan rows/);

  // Not a count: a changed condition value, a changed rate and a lost group each fail it, named.
  await sql(
    `UPDATE \`${m2}\`.salesrule SET conditions_serialized = REPLACE(conditions_serialized, '"50"', '"500"') WHERE name = 'Welcome 10%'`,
  );
  await sql(`UPDATE \`${m2}\`.tax_calculation_rate SET rate = 16 WHERE code = 'DE-*-*-MwSt'`);
  await sql(
    `DELETE FROM \`${m2}\`.catalogrule_customer_group WHERE customer_group_id = (SELECT customer_group_id FROM \`${m2}\`.customer_group WHERE customer_group_code = 'VIP')`,
  );
  await sql(
    `SET SESSION foreign_key_checks = 0; INSERT INTO \`${m2}\`.tax_calculation_rate_title (tax_calculation_rate_id, store_id, value) VALUES (99, 1, 'orphan')`,
  );
  const tampered = await runCli(['check', pair.configFile]);
  assert.notEqual(tampered.status, 0);
  assert.match(
    tampered.stdout,
    /salesrule: 1 of 2 sales rules differ: sales rule "Welcome 10%": conditions_serialized: the decoded trees differ/,
  );
  assert.match(
    tampered.stdout,
    /tax_calculation_rate: 2 of 3 tax rates differ: tax rate "DE-\*-\*-MwSt": rate: "19\.0000" in 1\.9, "16\.0000" in 2\.4/,
  );
  assert.match(
    tampered.stdout,
    /catalogrule: 0 of 1 catalog rules differ: catalog rule "Summer sale shirts": customer_groups: "General; NOT LOGGED IN; VIP" in 1\.9, "General; NOT LOGGED IN" in 2\.4/,
  );
  assert.match(
    tampered.stdout,
    /tax and rule tables foreign keys: 1 of 0 orphan rows .*tax_calculation_rate_title\.tax_calculation_rate_id -> tax_calculation_rate: 1/,
  );
  // The tax rules and the other sales rule still match.
  assert.match(tampered.stdout, /tax_calculation_rule: 2 of 2 tax rules by code, equal/);
});

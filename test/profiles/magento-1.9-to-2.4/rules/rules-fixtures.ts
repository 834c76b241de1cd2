/**
 * What a 1.9 shop's admin writes for taxes and price rules: rates (one with 2.4's seeded code),
 * their store titles, tax rules linking rates to customer and product classes (Shipping, a
 * class 2.4 lacks), a shop's own customer group, shopping cart rules with PHP-serialized
 * conditions, websites, groups, labels, a coupon and its usage, and a catalog rule.
 */
import { type PhpValue, phpSerialize } from '../../../../src/magento/store/php-serialize.js';
import { sql } from '../msales-env.js';

export const combine = (type: string, conditions: PhpValue[], aggregator = 'all'): PhpValue => ({
  type,
  attribute: null,
  operator: null,
  value: '1',
  is_value_processed: null,
  aggregator,
  ...(conditions.length ? { conditions } : {}),
});
export const condition = (type: string, attribute: string, operator: string, value: string): PhpValue => ({
  type,
  attribute,
  operator,
  value,
  is_value_processed: false,
});

export const WELCOME_CONDITIONS = combine('salesrule/rule_condition_combine', [
  condition('salesrule/rule_condition_address', 'base_subtotal', '>=', '50'),
  combine(
    'salesrule/rule_condition_product_found',
    [condition('salesrule/rule_condition_product', 'sku', '()', 'SHIRT-1, SHIRT-2')],
    'any',
  ),
]);

export async function insertTaxesAndRules(m1: string): Promise<void> {
  const q = (table: string) => `\`${m1}\`.${table}`;
  await sql(`INSERT INTO ${q('customer_group')} VALUES (4, 'VIP', 3)`);
  await sql(
    `INSERT INTO ${q('tax_calculation_rate')} (tax_calculation_rate_id, tax_country_id, tax_region_id, tax_postcode, code, rate, zip_is_range, zip_from, zip_to) VALUES
      (1, 'DE', 0, '*', 'DE-*-*-MwSt', 19.0000, NULL, NULL, NULL),
      (2, 'US', 12, '*', 'US-CA-*-Rate 1', 8.2500, NULL, NULL, NULL),
      (3, 'US', 57, '78701-78799', 'US-TX-Austin', 8.2500, 1, 78701, 78799)`,
  );
  await sql(
    `INSERT INTO ${q('tax_calculation_rate_title')} (tax_calculation_rate_id, store_id, value) VALUES (1, 1, 'MwSt.'), (3, 1, 'Austin tax')`,
  );
  await sql(
    `INSERT INTO ${q('tax_calculation_rule')} (tax_calculation_rule_id, code, priority, position, calculate_subtotal) VALUES
      (1, 'Germany retail', 0, 0, 0), (2, 'US retail', 1, 0, 1)`,
  );
  // Classes: 2 Taxable Goods, 3 Retail Customer, 4 Shipping (2.4 has no Shipping: created on another id).
  await sql(
    `INSERT INTO ${q('tax_calculation')} (tax_calculation_rate_id, tax_calculation_rule_id, customer_tax_class_id, product_tax_class_id) VALUES
      (1, 1, 3, 2), (1, 1, 3, 4), (2, 2, 3, 2), (3, 2, 3, 2)`,
  );

  const rules = [
    {
      id: 1,
      name: 'Welcome 10%',
      conditions: WELCOME_CONDITIONS,
      actions: combine('salesrule/rule_condition_product_combine', []),
      coupon: 'WELCOME10',
      groups: [0, 1, 4],
    },
    {
      id: 2,
      name: 'Free shipping to Germany',
      conditions: combine('salesrule/rule_condition_combine', [
        condition('salesrule/rule_condition_address', 'country_id', '==', 'DE'),
      ]),
      actions: combine('salesrule/rule_condition_product_combine', [
        condition('salesrule/rule_condition_product', 'category_ids', '==', '12'),
      ]),
      coupon: null,
      groups: [1],
    },
  ];
  for (const r of rules) {
    await sql(
      `INSERT INTO ${q('salesrule')} (rule_id, name, description, from_date, to_date, uses_per_customer, is_active, conditions_serialized, actions_serialized, stop_rules_processing, is_advanced, sort_order, simple_action, discount_amount, discount_qty, discount_step, simple_free_shipping, apply_to_shipping, times_used, is_rss, coupon_type, use_auto_generation, uses_per_coupon)
       VALUES (?, ?, 'made in 1.9', '2015-01-01', NULL, 1, 1, ?, ?, 0, 1, ?, 'by_percent', 10.0000, NULL, 0, ?, 0, ?, 1, ?, 0, 0)`,
      [
        r.id,
        r.name,
        phpSerialize(r.conditions),
        phpSerialize(r.actions),
        r.id,
        r.id === 2 ? 1 : 0,
        r.coupon ? 3 : 0,
        r.coupon ? 2 : 1,
      ],
    );
    await sql(`INSERT INTO ${q('salesrule_website')} VALUES (?, 1)`, [r.id]);
    for (const g of r.groups)
      await sql(`INSERT INTO ${q('salesrule_customer_group')} VALUES (?, ?)`, [r.id, g]);
    await sql(`INSERT INTO ${q('salesrule_label')} (rule_id, store_id, label) VALUES (?, 0, ?), (?, 1, ?)`, [
      r.id,
      r.name,
      r.id,
      `${r.name} (shop)`,
    ]);
  }
  await sql(
    `INSERT INTO ${q('salesrule_coupon')} (coupon_id, rule_id, code, usage_limit, usage_per_customer, times_used, expiration_date, is_primary, created_at, type)
     VALUES (7, 1, 'WELCOME10', NULL, 1, 3, NULL, 1, '2015-01-01 10:00:00', 0)`,
  );
  await sql(`INSERT INTO ${q('salesrule_coupon_usage')} VALUES (7, 1, 1), (7, 2, 1), (7, 3, 1)`);
  await sql(
    `INSERT INTO ${q('salesrule_customer')} (rule_id, customer_id, times_used) VALUES (1, 1, 1), (1, 2, 1), (1, 3, 1)`,
  );
  await sql(
    `INSERT INTO ${q('salesrule_product_attribute')} SELECT 2, 1, 1, attribute_id FROM ${q('eav_attribute')} WHERE attribute_code = 'category_ids' AND entity_type_id = 4`,
  );

  await sql(
    `INSERT INTO ${q('catalogrule')} (rule_id, name, description, from_date, to_date, is_active, conditions_serialized, actions_serialized, stop_rules_processing, sort_order, simple_action, discount_amount, sub_is_enable, sub_simple_action, sub_discount_amount)
     VALUES (5, 'Summer sale shirts', NULL, '2015-06-01', '2015-08-31', 1, ?, ?, 1, 0, 'by_percent', 15.0000, 0, NULL, 0)`,
    [
      phpSerialize(
        combine('catalogrule/rule_condition_combine', [
          condition('catalogrule/rule_condition_product', 'sku', '{}', 'SHIRT'),
        ]),
      ),
      phpSerialize({
        type: 'catalogrule/rule_action_collection',
        attribute: null,
        operator: '=',
        value: null,
      }),
    ],
  );
  await sql(`INSERT INTO ${q('catalogrule_website')} VALUES (5, 1)`);
  await sql(`INSERT INTO ${q('catalogrule_customer_group')} VALUES (5, 0), (5, 1), (5, 4)`);
}

export const RULE_DOCUMENTS = [
  'tax_calculation_rate',
  'tax_calculation_rate_title',
  'tax_calculation_rule',
  'tax_calculation',
  'salesrule',
  'salesrule_website',
  'salesrule_customer_group',
  'salesrule_coupon',
  'salesrule_coupon_usage',
  'salesrule_customer',
  'salesrule_label',
  'salesrule_product_attribute',
  'catalogrule',
  'catalogrule_website',
  'catalogrule_customer_group',
];

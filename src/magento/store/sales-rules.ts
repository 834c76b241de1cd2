/**
 * Shopping cart price rules as 1.9's admin saves them: conditions and actions PHP-serialized
 * (1.9's `salesrule/rule_condition_*` class aliases), websites, customer groups, a store
 * label, and a coupon for the coupon rule (the one generated orders name as WELCOME10).
 */
import type { GeneratorContext, StoreLayout } from './context.js';
import { type PhpValue, phpSerialize } from './php-serialize.js';

function combine(type: string, conditions: PhpValue[]): PhpValue {
  const value: { [key: string]: PhpValue } = {
    type,
    attribute: null,
    operator: null,
    value: '1',
    is_value_processed: null,
    aggregator: 'all',
  };
  if (conditions.length) value.conditions = conditions;
  return value;
}

function condition(type: string, attribute: string, operator: string, value: string): PhpValue {
  return { type, attribute, operator, value, is_value_processed: false };
}

export async function generateSalesRules(ctx: GeneratorContext, layout: StoreLayout): Promise<void> {
  const { out, clock } = ctx;
  const rules: {
    name: string;
    coupon: string | null;
    action: string;
    amount: string;
    conditions: PhpValue;
    actions: PhpValue;
    groups: number[];
  }[] = [
    {
      name: 'Welcome 10%',
      coupon: 'WELCOME10',
      action: 'by_percent',
      amount: '10.0000',
      conditions: combine('salesrule/rule_condition_combine', [
        condition('salesrule/rule_condition_address', 'base_subtotal', '>=', '50'),
      ]),
      actions: combine('salesrule/rule_condition_product_combine', []),
      groups: [0, 1, 2, 3],
    },
    {
      name: 'Free shipping to Germany',
      coupon: null,
      action: 'by_fixed',
      amount: '0.0000',
      conditions: combine('salesrule/rule_condition_combine', [
        condition('salesrule/rule_condition_address', 'country_id', '==', 'DE'),
        condition('salesrule/rule_condition_address', 'total_qty', '>=', '2'),
      ]),
      actions: combine('salesrule/rule_condition_product_combine', []),
      groups: [0, 1],
    },
    {
      name: 'Buy 3 shirts, pay 2',
      coupon: null,
      action: 'buy_x_get_y',
      amount: '1.0000',
      conditions: combine('salesrule/rule_condition_combine', []),
      actions: combine('salesrule/rule_condition_product_combine', [
        condition('salesrule/rule_condition_product', 'sku', '()', 'SIM-000001, SIM-000002'),
      ]),
      groups: [1, 2, 3],
    },
  ];
  for (const [i, r] of rules.entries()) {
    const ruleId = await out.nextId('salesrule', 'rule_id');
    await out.add('salesrule', {
      rule_id: ruleId,
      name: r.name,
      description: null,
      from_date: '2015-01-01',
      to_date: i === 2 ? '2016-12-31' : null,
      uses_per_customer: i === 0 ? 1 : 0,
      is_active: 1,
      conditions_serialized: phpSerialize(r.conditions),
      actions_serialized: phpSerialize(r.actions),
      stop_rules_processing: i === 0 ? 1 : 0,
      is_advanced: 1,
      product_ids: null,
      sort_order: i,
      simple_action: r.action,
      discount_amount: r.amount,
      discount_qty: null,
      discount_step: i === 2 ? 2 : 0,
      simple_free_shipping: i === 1 ? 1 : 0,
      apply_to_shipping: 0,
      times_used: 0,
      is_rss: 1,
      coupon_type: r.coupon ? 2 : 1,
      use_auto_generation: 0,
      uses_per_coupon: 0,
    });
    for (const w of layout.websites)
      await out.add('salesrule_website', { rule_id: ruleId, website_id: w.websiteId });
    for (const g of r.groups)
      await out.add('salesrule_customer_group', { rule_id: ruleId, customer_group_id: g });
    await out.add('salesrule_label', { rule_id: ruleId, store_id: 0, label: r.name });
    await out.add('salesrule_label', {
      rule_id: ruleId,
      store_id: layout.overrideStoreId,
      label: `${r.name} (DE)`,
    });
    if (r.coupon) {
      await out.add('salesrule_coupon', {
        rule_id: ruleId,
        code: r.coupon,
        usage_limit: null,
        usage_per_customer: 1,
        times_used: 0,
        expiration_date: null,
        is_primary: 1,
        created_at: clock.at(0),
        type: 0,
      });
    }
  }
}

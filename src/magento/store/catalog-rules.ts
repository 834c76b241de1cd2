/**
 * Catalog price rules as 1.9's admin saves them (Promotions > Catalog Price Rules): conditions
 * and actions PHP-serialized with 1.9's `catalogrule/rule_*` aliases, websites and customer
 * groups. Their price index (catalogrule_product*) is left empty: the indexer builds it.
 */
import type { GeneratorContext, StoreLayout } from './context.js';
import { type PhpValue, phpSerialize } from './php-serialize.js';

const ACTIONS: PhpValue = {
  type: 'catalogrule/rule_action_collection',
  attribute: null,
  operator: '=',
  value: null,
};

function conditions(children: PhpValue[]): PhpValue {
  return {
    type: 'catalogrule/rule_condition_combine',
    attribute: null,
    operator: null,
    value: '1',
    is_value_processed: null,
    aggregator: 'all',
    ...(children.length ? { conditions: children } : {}),
  };
}

function product(attribute: string, operator: string, value: string): PhpValue {
  return {
    type: 'catalogrule/rule_condition_product',
    attribute,
    operator,
    value,
    is_value_processed: false,
  };
}

export async function generateCatalogRules(ctx: GeneratorContext, layout: StoreLayout): Promise<void> {
  const { out } = ctx;
  const rules = [
    {
      name: 'Summer sale 15%',
      conditions: conditions([product('sku', '{}', 'SIM-')]),
      action: 'by_percent',
      amount: '15.0000',
      groups: [0, 1],
      to: '2016-08-31',
    },
    {
      name: 'Wholesale price',
      conditions: conditions([]),
      action: 'to_percent',
      amount: '80.0000',
      groups: [2],
      to: null,
    },
  ];
  for (const [i, r] of rules.entries()) {
    const ruleId = await out.nextId('catalogrule', 'rule_id');
    await out.add('catalogrule', {
      rule_id: ruleId,
      name: r.name,
      description: null,
      from_date: '2015-06-01',
      to_date: r.to,
      is_active: 1,
      conditions_serialized: phpSerialize(r.conditions),
      actions_serialized: phpSerialize(ACTIONS),
      stop_rules_processing: 1,
      sort_order: i,
      simple_action: r.action,
      discount_amount: r.amount,
      sub_is_enable: 0,
      sub_simple_action: null,
      sub_discount_amount: '0.0000',
    });
    for (const w of layout.websites)
      await out.add('catalogrule_website', { rule_id: ruleId, website_id: w.websiteId });
    for (const g of r.groups)
      await out.add('catalogrule_customer_group', { rule_id: ruleId, customer_group_id: g });
  }
}

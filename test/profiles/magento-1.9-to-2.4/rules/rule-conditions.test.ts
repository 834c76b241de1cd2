import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HandlerRejection } from '../../../../src/handlers/contract.js';
import { type PhpValue, phpSerialize } from '../../../../src/magento/store/php-serialize.js';
import { magentoRuleConditions } from '../../../../src/profiles/magento-1.9-to-2.4/rules/rule-conditions.js';

const conditions = {
  type: 'salesrule/rule_condition_combine',
  attribute: null,
  operator: null,
  value: '1',
  is_value_processed: null,
  aggregator: 'all',
  conditions: [
    {
      type: 'salesrule/rule_condition_address',
      attribute: 'base_subtotal',
      operator: '>=',
      value: '50',
      is_value_processed: false,
    },
    {
      type: 'salesrule/rule_condition_product_found',
      attribute: null,
      operator: null,
      value: '1',
      is_value_processed: null,
      aggregator: 'any',
      conditions: [
        // A value that looks like an alias is the shop's: only `type` is converted.
        {
          type: 'salesrule/rule_condition_product',
          attribute: 'sku',
          operator: '()',
          value: 'salesrule/x, Ü-1',
        },
      ],
    },
  ],
};

test('magentoRuleConditions: the serialized tree becomes JSON with 2.4 class names, attributes and values kept', () => {
  const handler = magentoRuleConditions.create({});
  const json = handler.transform(phpSerialize(conditions as unknown as PhpValue), {});
  assert.equal(typeof json, 'string');
  assert.deepEqual(JSON.parse(String(json)), {
    ...conditions,
    type: 'Magento\\SalesRule\\Model\\Rule\\Condition\\Combine',
    conditions: [
      { ...conditions.conditions[0], type: 'Magento\\SalesRule\\Model\\Rule\\Condition\\Address' },
      {
        ...conditions.conditions[1],
        type: 'Magento\\SalesRule\\Model\\Rule\\Condition\\Product\\Found',
        conditions: [
          {
            type: 'Magento\\SalesRule\\Model\\Rule\\Condition\\Product',
            attribute: 'sku',
            operator: '()',
            value: 'salesrule/x, Ü-1',
          },
        ],
      },
    ],
  });
  // Twice is harmless; NULL and empty stay.
  assert.equal(handler.transform(json, {}), json);
  assert.equal(handler.transform(null, {}), null);
  assert.equal(handler.transform('', {}), '');
});

test('magentoRuleConditions: catalog rule aliases; an unknown condition type or broken text rejects the rule', () => {
  const handler = magentoRuleConditions.create({});
  const actions = { type: 'catalogrule/rule_action_collection', attribute: null, operator: '=', value: null };
  assert.deepEqual(JSON.parse(String(handler.transform(phpSerialize(actions), {}))), {
    ...actions,
    type: 'Magento\\CatalogRule\\Model\\Rule\\Action\\Collection',
  });
  assert.throws(
    () => handler.transform(phpSerialize({ type: 'myext/rule_condition_weather', value: 'sunny' }), {}),
    (e: unknown) => e instanceof HandlerRejection && /myext\/rule_condition_weather/.test(e.message),
  );
  assert.throws(() => handler.transform('a:1:{s:4:"type";', {}), HandlerRejection);
});

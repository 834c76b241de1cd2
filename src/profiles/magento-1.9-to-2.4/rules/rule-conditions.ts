/**
 * `magentoRuleConditions`: a 1.9 sales or catalog rule keeps its conditions and actions as a
 * PHP-serialized tree whose nodes name their model by 1.9 alias (`salesrule/rule_condition_address`);
 * 2.4 reads the same tree as JSON with PHP class names (`Magento\SalesRule\Model\Rule\Condition\Address`).
 * Only the `type` of each node changes: attribute codes, operators and values stay as the shop
 * wrote them. A node of a type 2.4 has no class for (an extension's condition) rejects the rule:
 * 2.4 cannot load such a rule, and the rejected-rows file names the alias for the operator.
 */
import { type HandlerDefinition, HandlerRejection } from '../../../handlers/contract.js';
import {
  type PhpEntries,
  PhpSerializeError,
  type PhpValue,
  toJson,
  unserialize,
} from '../../../handlers/php-serialize.js';

/** 1.9 condition and action aliases -> 2.4 classes (Mage_SalesRule, Mage_CatalogRule, Mage_Rule). */
export const RULE_CONDITION_CLASSES: Readonly<Record<string, string>> = {
  'salesrule/rule_condition_combine': 'Magento\\SalesRule\\Model\\Rule\\Condition\\Combine',
  'salesrule/rule_condition_address': 'Magento\\SalesRule\\Model\\Rule\\Condition\\Address',
  'salesrule/rule_condition_product': 'Magento\\SalesRule\\Model\\Rule\\Condition\\Product',
  'salesrule/rule_condition_product_combine': 'Magento\\SalesRule\\Model\\Rule\\Condition\\Product\\Combine',
  'salesrule/rule_condition_product_found': 'Magento\\SalesRule\\Model\\Rule\\Condition\\Product\\Found',
  'salesrule/rule_condition_product_subselect':
    'Magento\\SalesRule\\Model\\Rule\\Condition\\Product\\Subselect',
  'catalogrule/rule_condition_combine': 'Magento\\CatalogRule\\Model\\Rule\\Condition\\Combine',
  'catalogrule/rule_condition_product': 'Magento\\CatalogRule\\Model\\Rule\\Condition\\Product',
  'catalogrule/rule_action_collection': 'Magento\\CatalogRule\\Model\\Rule\\Action\\Collection',
  'catalogrule/rule_action_product': 'Magento\\CatalogRule\\Model\\Rule\\Action\\Product',
  'rule/condition_combine': 'Magento\\Rule\\Model\\Condition\\Combine',
  'rule/action_collection': 'Magento\\Rule\\Model\\Action\\Collection',
};

/** The tree with every node's `type` alias replaced by its 2.4 class; throws naming an unknown alias. */
export function convertRuleTree(value: PhpValue): PhpValue {
  if (value.kind !== 'array' && value.kind !== 'object') return value;
  const entries = new Map<string, { intKey: boolean; value: PhpValue }>();
  for (const [key, entry] of value.entries as PhpEntries) {
    let converted = convertRuleTree(entry.value);
    if (key === 'type' && !entry.intKey && converted.kind === 'string') {
      converted = { kind: 'string', value: ruleClass(converted.value) };
    }
    entries.set(key, { intKey: entry.intKey, value: converted });
  }
  return { ...value, entries };
}

function ruleClass(type: string): string {
  if (type.includes('\\')) return type; // already a Magento 2 class
  const found = RULE_CONDITION_CLASSES[type];
  if (found === undefined) {
    throw new HandlerRejection(
      `magentoRuleConditions: the condition type "${type}" has no Magento 2.4 class (an extension's condition?): recreate the rule in 2.4`,
    );
  }
  return found;
}

export const magentoRuleConditions: HandlerDefinition = {
  name: 'magentoRuleConditions',
  description:
    "magentoRuleConditions: a 1.9 rule's serialized conditions/actions -> 2.4's JSON with class names; NULL and empty stay; no params",
  create() {
    return {
      transform(value) {
        if (value === null || value.length === 0) return value;
        const text = Buffer.isBuffer(value) ? value.toString('utf8') : value;
        if (text.startsWith('{')) return text; // already 2.4's JSON: running twice is harmless
        try {
          return toJson(convertRuleTree(unserialize(value)));
        } catch (error) {
          if (error instanceof PhpSerializeError) {
            throw new HandlerRejection(`magentoRuleConditions: not PHP-serialized: ${error.message}`);
          }
          throw error;
        }
      },
    };
  },
};

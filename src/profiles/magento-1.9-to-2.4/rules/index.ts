/**
 * Tax rates and rules, shopping cart price rules (with coupons, labels and usage) and catalog
 * price rules. The documents are the map's (map/tax-rules.json, sales-rules.json,
 * catalog-rules.json), so delta applies the same rules: rates and tax rules merge by code into
 * what 2.4's installer seeded (its US-CA and US-NY rates), rule ids are kept (2.4 has none of
 * its own), website, store, customer group, tax class and attribute ids go through their id
 * maps, and a rule's serialized conditions become 2.4's JSON with class names
 * (rule-conditions.ts). The catalog rules' price index (catalogrule_product*) is 2.4's indexer's.
 */
import { mapFile, type ProfileArea } from '../area.js';
import { magentoRuleConditions } from './rule-conditions.js';
import { RulesCheck } from './rules-check.js';

export const rulesArea: ProfileArea = {
  mapFiles: [mapFile('tax-rules.json'), mapFile('sales-rules.json'), mapFile('catalog-rules.json')],
  steps: [new RulesCheck()],
  handlers: [magentoRuleConditions],
};

/**
 * Tax rates, tax rules, sales rules and catalog rules by natural key, for the profile's
 * verification: each entity as its key (a rate's or tax rule's code, a rule's name) and its
 * values, with every id spelled as what it stands for (a website's, store's and customer
 * group's code, a tax class's name, a rate's code), read alike from 1.9 and 2.4. A rule's
 * conditions come as stored (serialized in 1.9, JSON in 2.4); the caller compares them.
 */
import type { Queryable } from './database.js';
import { qualifiedName } from './identifiers.js';

export type RuleEntity = 'tax rate' | 'tax rule' | 'sales rule' | 'catalog rule';
export const RULE_ENTITIES: readonly RuleEntity[] = ['tax rate', 'tax rule', 'sales rule', 'catalog rule'];

export interface RulesSide {
  schema: string;
  prefix: string;
  version: '1.9' | '2.4';
}

/** One entity: `key` names it; `values` are compared column by column (NULL as null). */
export interface KeyedEntity {
  key: string;
  values: Record<string, string | null>;
}

/** The tables of the four entities on both versions, for the orphan check. */
export const RULE_TABLES = [
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
] as const;

const RULE_COLUMNS = {
  'sales rule': [
    'description',
    'from_date',
    'to_date',
    'uses_per_customer',
    'is_active',
    'stop_rules_processing',
    'is_advanced',
    'product_ids',
    'sort_order',
    'simple_action',
    'discount_amount',
    'discount_qty',
    'discount_step',
    'simple_free_shipping',
    'apply_to_shipping',
    'times_used',
    'is_rss',
    'coupon_type',
    'use_auto_generation',
    'uses_per_coupon',
  ],
  'catalog rule': [
    'description',
    'from_date',
    'to_date',
    'is_active',
    'stop_rules_processing',
    'sort_order',
    'simple_action',
    'discount_amount',
  ],
} as const;

export async function readRuleEntities(
  db: Queryable,
  side: RulesSide,
  entity: RuleEntity,
): Promise<KeyedEntity[]> {
  const t = (name: string) => qualifiedName(side.schema, `${side.prefix}${name}`);
  const store = t(side.version === '1.9' ? 'core_store' : 'store');
  const website = t(side.version === '1.9' ? 'core_website' : 'store_website');
  const list = (expression: string, from: string) =>
    `(SELECT GROUP_CONCAT(${expression} ORDER BY ${expression} SEPARATOR '; ') ${from})`;
  let sql: string;
  switch (entity) {
    case 'tax rate':
      sql = `SELECT r.code AS \`key\`, r.tax_country_id, r.tax_region_id, r.tax_postcode, r.rate,
          r.zip_is_range, r.zip_from, r.zip_to,
          ${list(`CONCAT(s.code, '=', l.value)`, `FROM ${t('tax_calculation_rate_title')} l JOIN ${store} s ON s.store_id = l.store_id WHERE l.tax_calculation_rate_id = r.tax_calculation_rate_id`)} AS titles
        FROM ${t('tax_calculation_rate')} r`;
      break;
    case 'tax rule':
      sql = `SELECT u.code AS \`key\`, u.priority, u.position, u.calculate_subtotal,
          ${list(
            `CONCAT(r.code, ' / ', cc.class_name, ' / ', pc.class_name)`,
            `FROM ${t('tax_calculation')} c JOIN ${t('tax_calculation_rate')} r ON r.tax_calculation_rate_id = c.tax_calculation_rate_id
              JOIN ${t('tax_class')} cc ON cc.class_id = c.customer_tax_class_id
              JOIN ${t('tax_class')} pc ON pc.class_id = c.product_tax_class_id
             WHERE c.tax_calculation_rule_id = u.tax_calculation_rule_id`,
          )} AS calculations
        FROM ${t('tax_calculation_rule')} u`;
      break;
    case 'sales rule':
    case 'catalog rule': {
      const rule = entity === 'sales rule' ? 'salesrule' : 'catalogrule';
      const ruleColumns = RULE_COLUMNS[entity].map((c) => `r.${c}`).join(', ');
      const extra =
        entity === 'sales rule'
          ? `, ${list(`CONCAT(s.code, '=', l.label)`, `FROM ${t('salesrule_label')} l JOIN ${store} s ON s.store_id = l.store_id WHERE l.rule_id = r.rule_id`)} AS labels,
          ${list(`CONCAT_WS(' ', c.code, c.usage_limit, c.usage_per_customer, c.times_used, c.is_primary, c.type)`, `FROM ${t('salesrule_coupon')} c WHERE c.rule_id = r.rule_id`)} AS coupons`
          : '';
      sql = `SELECT r.name AS \`key\`, ${ruleColumns}, r.conditions_serialized, r.actions_serialized,
          ${list('w.code', `FROM ${t(`${rule}_website`)} x JOIN ${website} w ON w.website_id = x.website_id WHERE x.rule_id = r.rule_id`)} AS websites,
          ${list('g.customer_group_code', `FROM ${t(`${rule}_customer_group`)} x JOIN ${t('customer_group')} g ON g.customer_group_id = x.customer_group_id WHERE x.rule_id = r.rule_id`)} AS customer_groups${extra}
        FROM ${t(rule)} r`;
      break;
    }
    default:
      return entity satisfies never;
  }
  const rows = await db.query<Record<string, unknown>>(`${sql} ORDER BY 1`);
  return rows.map((row) => {
    const values: Record<string, string | null> = {};
    for (const [column, value] of Object.entries(row)) {
      if (column === 'key') continue;
      values[column] = value === null || value === undefined ? null : String(value);
    }
    return { key: String(row.key ?? ''), values };
  });
}

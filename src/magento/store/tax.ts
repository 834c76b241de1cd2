/**
 * Tax configuration as 1.9's admin saves it (Sales > Tax): rates for a country or region
 * (one with the code 2.4's installer also seeds), their titles on a store view, a product tax
 * class of the shop's own, and tax rules linking rates to customer and product classes
 * (tax_calculation holds one row per rate x customer class x product class).
 */
import type { GeneratorContext, StoreLayout } from './context.js';

const RETAIL_CUSTOMER = 3;
const TAXABLE_GOODS = 2;
const SHIPPING = 4;

export async function generateTaxRules(ctx: GeneratorContext, layout: StoreLayout): Promise<void> {
  const { out } = ctx;
  const reducedGoods = await out.nextId('tax_class', 'class_id');
  await out.add('tax_class', {
    class_id: reducedGoods,
    class_name: 'Reduced Rate Goods',
    class_type: 'PRODUCT',
  });
  const rates: Record<string, number> = {};
  for (const [code, country, region, postcode, rate, title] of [
    ['US-CA-*-Rate 1', 'US', 12, '*', '8.2500', null],
    ['US-NY-*-Rate 1', 'US', 43, '*', '8.3750', null],
    ['US-TX-Austin', 'US', 57, '78701', '8.2500', 'Austin sales tax'],
    ['DE-*-*-MwSt 19', 'DE', 0, '*', '19.0000', 'MwSt. 19%'],
    ['DE-*-*-MwSt 7', 'DE', 0, '*', '7.0000', 'MwSt. 7%'],
  ] as const) {
    const id = await out.nextId('tax_calculation_rate', 'tax_calculation_rate_id');
    rates[code] = id;
    await out.add('tax_calculation_rate', {
      tax_calculation_rate_id: id,
      tax_country_id: country,
      tax_region_id: region,
      tax_postcode: postcode,
      code,
      rate,
      zip_is_range: null,
      zip_from: null,
      zip_to: null,
    });
    if (title) {
      await out.add('tax_calculation_rate_title', {
        tax_calculation_rate_id: id,
        store_id: layout.overrideStoreId,
        value: title,
      });
    }
  }
  const rules: { code: string; priority: number; rates: string[]; products: number[] }[] = [
    {
      code: 'US retail',
      priority: 0,
      rates: ['US-CA-*-Rate 1', 'US-NY-*-Rate 1', 'US-TX-Austin'],
      products: [TAXABLE_GOODS, SHIPPING],
    },
    { code: 'Germany standard', priority: 1, rates: ['DE-*-*-MwSt 19'], products: [TAXABLE_GOODS, SHIPPING] },
    { code: 'Germany reduced', priority: 1, rates: ['DE-*-*-MwSt 7'], products: [reducedGoods] },
  ];
  for (const [position, rule] of rules.entries()) {
    const ruleId = await out.nextId('tax_calculation_rule', 'tax_calculation_rule_id');
    await out.add('tax_calculation_rule', {
      tax_calculation_rule_id: ruleId,
      code: rule.code,
      priority: rule.priority,
      position,
      calculate_subtotal: 0,
    });
    for (const rate of rule.rates)
      for (const product of rule.products)
        await out.add('tax_calculation', {
          tax_calculation_rate_id: rates[rate],
          tax_calculation_rule_id: ruleId,
          customer_tax_class_id: RETAIL_CUSTOMER,
          product_tax_class_id: product,
        });
  }
}

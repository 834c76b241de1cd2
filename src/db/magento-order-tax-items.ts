/**
 * sales_order_tax_item as 2.4 keeps it: per order item and tax rate, the percent (1.9 keeps
 * only that) and the tax amounts (2.4's `amount`, `base_amount`, `real_amount`,
 * `real_base_amount`, NOT NULL there). 1.9 keeps an item's tax as one total, so the total is
 * split over the item's rates by their percents: exact for an item with one rate (the usual
 * case), proportional for stacked rates. Every row is a product's (`taxable_item_type`), as
 * 1.9 taxed shipping on the order, not per item.
 */
import { quoteIdentifier } from './identifiers.js';

export function orderTaxItemSelect(prefix: string): string {
  const t = (table: string) => quoteIdentifier(`${prefix}${table}`);
  const share = (column: string) =>
    `COALESCE(ROUND(oi.${column} * ti.tax_percent / NULLIF(rates.percent, 0), 4), 0)`;
  return `SELECT ti.tax_item_id, ti.tax_id, ti.item_id, ti.tax_percent,
      ${share('tax_amount')} AS amount, ${share('base_tax_amount')} AS base_amount,
      ${share('tax_amount')} AS real_amount, ${share('base_tax_amount')} AS real_base_amount,
      NULL AS associated_item_id, 'product' AS taxable_item_type
    FROM ${t('sales_order_tax_item')} ti
    JOIN ${t('sales_flat_order_item')} oi ON oi.item_id = ti.item_id
    JOIN (SELECT item_id, SUM(tax_percent) AS percent FROM ${t('sales_order_tax_item')} GROUP BY item_id) rates
      ON rates.item_id = ti.item_id`;
}

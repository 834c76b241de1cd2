/**
 * The taxes applied to each order item (sales_order_tax_item): 2.4 wants amounts per rate that
 * 1.9 does not keep; the select splits the item's tax over its rates
 * (src/db/magento-order-tax-items.ts). Ids kept, so the rows point at the migrated
 * sales_order_tax and sales_order_item rows; verified row by row, named by order item.
 */
import { orderTaxItemSelect } from '../../../db/magento-order-tax-items.js';
import { SelectStep } from '../select-step.js';

export const orderTaxItemStep = new SelectStep({
  document: 'sales_order_tax_item',
  key: 'tax_item_id',
  select: async (_source, prefix) => orderTaxItemSelect(prefix),
  describe: (row) => `tax ${String(row.tax_id)} of order item ${String(row.item_id)}`,
});

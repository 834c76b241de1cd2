/**
 * The admin's invoice, shipment and credit memo lists: 2.4 reads them from grid tables its
 * indexer fills when a document is saved, so migrated documents would be missing from them
 * until a full grid reindex. Each grid row is built from the migrated document and its order
 * (src/db/magento-sales-grids.ts), store and customer group ids through their id maps,
 * verified per document by its increment id.
 */
import { documentGridSelect, type GridDocument } from '../../../db/magento-sales-grids.js';
import { mapId } from '../../../handlers/mapId.js';
import { SelectStep } from '../select-step.js';

const gridStep = (document: GridDocument) =>
  new SelectStep({
    document: `sales_${document}_grid`,
    key: 'entity_id',
    select: async (_source, prefix) => documentGridSelect(prefix, document),
    transforms: {
      store_id: mapId.create({ map: 'store' }),
      customer_group_id: mapId.create({ map: 'customer_group' }),
    },
    describe: (row) =>
      `${document} ${String(row.increment_id)} of order ${String(row.order_increment_id)} (grid)`,
    // Delta: a document's row by its id; its order, the order's addresses and payment by order id.
    sources: [
      { table: `sales_flat_${document}`, column: 'entity_id' },
      { table: 'sales_flat_order', column: 'entity_id', by: 'order_id' },
      { table: 'sales_flat_order_address', column: 'parent_id', by: 'order_id' },
      { table: 'sales_flat_order_payment', column: 'parent_id', by: 'order_id' },
    ],
  });

export const salesGridSteps = [gridStep('invoice'), gridStep('shipment'), gridStep('creditmemo')];

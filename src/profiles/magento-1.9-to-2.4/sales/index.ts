/**
 * Orders and everything under them. The documents themselves are the map's (map/sales.json:
 * 1.9's sales_flat_* renamed, hidden tax renamed to 2.4's discount tax compensation, serialized
 * options and payment information to JSON, store and group ids through their id maps), so
 * delta applies the same rules. The steps add what 2.4 keeps that 1.9 did not: the shop's own
 * order statuses beside the installer's (states visible on the storefront), the order grid,
 * and per-store sequences that continue the migrated increment ids.
 */
import type { Database } from '../../../db/database.js';
import { quoteIdentifier } from '../../../db/identifiers.js';
import { orderGridSelect, orderStatusStateSelect } from '../../../db/magento-sales.js';
import { mapId } from '../../../handlers/mapId.js';
import { mapFile, type ProfileArea } from '../area.js';
import { MissingRowsStep } from '../missing-rows-step.js';
import { SelectStep } from '../select-step.js';
import { salesGridSteps } from './grids.js';
import { orderTaxItemStep } from './order-tax-items.js';
import { SalesSequenceStep } from './sequence-step.js';

const byMap = (map: string) => mapId.create({ map });
const plain = (table: string, columns: string) => (_source: Database, prefix: string) =>
  `SELECT ${columns} FROM ${quoteIdentifier(`${prefix}${table}`)}`;

export const salesArea: ProfileArea = {
  mapFiles: [mapFile('sales.json'), mapFile('sales-more.json')], // sales-more: order taxes, gift messages, transactions, downloads
  steps: [
    new MissingRowsStep({
      document: 'sales_order_status',
      naturalKey: ['status'],
      select: plain('sales_order_status', 'status, label'),
      sources: ['sales_order_status'],
    }),
    new MissingRowsStep({
      document: 'sales_order_status_label',
      naturalKey: ['status', 'store_id'],
      select: plain('sales_order_status_label', 'status, store_id, label'),
      sources: ['sales_order_status_label'],
      transforms: { store_id: byMap('store') },
    }),
    new MissingRowsStep({
      document: 'sales_order_status_state',
      naturalKey: ['status', 'state'],
      select: (_source, prefix) => orderStatusStateSelect(prefix),
      sources: ['sales_order_status_state'],
    }),
    new SelectStep({
      document: 'sales_order_grid',
      key: 'entity_id',
      select: async (_source, prefix) => orderGridSelect(prefix),
      transforms: { store_id: byMap('store'), customer_group: byMap('customer_group') },
      describe: (row) => `order ${String(row.increment_id)} (grid)`,
      // An order's row by its id; its addresses and payment by the order they belong to.
      sources: [
        { table: 'sales_flat_order', column: 'entity_id' },
        { table: 'sales_flat_order_address', column: 'parent_id' },
        { table: 'sales_flat_order_payment', column: 'parent_id' },
      ],
    }),
    ...salesGridSteps, // invoice, shipment and credit memo grids
    orderTaxItemStep, // amounts per rate 2.4 wants and 1.9 does not keep
    new SalesSequenceStep(),
  ],
};

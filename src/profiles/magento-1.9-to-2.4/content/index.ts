/**
 * The shop's content and what its customers left in progress: CMS pages and blocks (a step:
 * the shop's content replaces 2.4's seeded pages by identifier and store view), open carts
 * (map/quotes.json: 1.9's sales_flat_quote* renamed, serialized options to JSON, store and group
 * ids mapped, ids kept), wishlist items and their options, ratings (merged with 2.4's seeded
 * ones by code; options by rating and code; votes keep their review and customer ids) and the
 * visitor log as 2.4's customer_visitor, as the Magento tool's Log step does
 * (map/content.json). The map's documents are the ones delta keeps in step (deltalog.json).
 */
import { CMS_BLOCK, CMS_PAGE } from '../../../db/magento-cms.js';
import { mapFile, type ProfileArea } from '../area.js';
import { itemOptionToJson } from '../handlers/item-option-to-json.js';
import { CmsStep } from './cms-step.js';
import { pageLayout } from './page-layouts.js';

export const contentArea: ProfileArea = {
  mapFiles: [mapFile('content.json'), mapFile('quotes.json')],
  steps: [
    new CmsStep({
      kind: CMS_PAGE,
      transforms: { page_layout: pageLayout, custom_root_template: pageLayout },
    }),
    new CmsStep({ kind: CMS_BLOCK }),
  ],
  handlers: [itemOptionToJson],
};

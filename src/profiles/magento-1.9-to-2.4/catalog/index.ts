/**
 * Catalog: products (ids kept; 2.4 has none), every value table with its attribute and store
 * ids remapped, website assignment, stock items; categories merged keeping their ids (2.4's
 * root catalog 1 and default category 2 are 1.9's) with their values merged by entity,
 * attribute and store (2.4's own values for the root categories kept), category products.
 * Verified by natural key (catalog-values-check.ts). catalog-structures.json: related, up-sell,
 * cross-sell and grouped links (link types and link attributes merged by code), configurable
 * super attributes (attribute ids mapped) and links, bundle options and selections,
 * downloadable links and samples (store and website ids mapped). catalog-extras.json and
 * the steps below: the media gallery, custom options, tier and group prices, bundle option
 * titles and selection prices, the stock (see extras-check.ts for their check by natural key).
 */

import {
  bundleOptionValueSelect,
  bundleSelectionPriceSelect,
  mediaGalleryValueSelect,
  tierPriceSelect,
} from '../../../db/magento-catalog-extras.js';
import { mapId } from '../../../handlers/mapId.js';
import { mapFile, type ProfileArea } from '../area.js';
import { MissingRowsStep } from '../missing-rows-step.js';
import { SelectStep } from '../select-step.js';
import { CatalogValuesCheck } from './catalog-values-check.js';
import { CatalogExtrasCheck } from './extras-check.js';
import { OptionValuesStep } from './option-values-step.js';

const byMap = (map: string, keep?: string[]) => mapId.create(keep ? { map, keep } : { map });

export const catalogArea: ProfileArea = {
  mapFiles: [mapFile('catalog.json'), mapFile('catalog-structures.json'), mapFile('catalog-extras.json')],
  steps: [
    new OptionValuesStep('catalog_product_entity_int', 'catalog_product'),
    new OptionValuesStep('catalog_product_entity_varchar', 'catalog_product'),
    new OptionValuesStep('catalog_product_entity_text', 'catalog_product'),
    new SelectStep({
      document: 'catalog_product_entity_media_gallery_value',
      key: 'record_id',
      select: async (_source, prefix) => mediaGalleryValueSelect(prefix),
      transforms: { store_id: byMap('store') },
      describe: (row) =>
        `image ${String(row.value_id)} of product ${String(row.entity_id)} (store ${String(row.store_id)})`,
    }),
    // Tier prices and 1.9's group prices (qty 1 tier prices in 2.4), groups and websites mapped.
    new SelectStep({
      document: 'catalog_product_entity_tier_price',
      key: 'value_id',
      select: async (_source, prefix) => tierPriceSelect(prefix),
      transforms: { customer_group_id: byMap('customer_group'), website_id: byMap('store_website', ['0']) },
      describe: (row) =>
        `tier price of product ${String(row.entity_id)} (group ${String(row.customer_group_id)}, qty ${String(row.qty)}, website ${String(row.website_id)})`,
    }),
    new SelectStep({
      document: 'catalog_product_bundle_option_value',
      key: 'value_id',
      select: async (_source, prefix) => bundleOptionValueSelect(prefix),
      transforms: { store_id: byMap('store') },
      describe: (row) => `bundle option ${String(row.option_id)} of product ${String(row.parent_product_id)}`,
    }),
    // One row per selection and website with its own price (a price scope of website): few.
    new MissingRowsStep({
      document: 'catalog_product_bundle_selection_price',
      naturalKey: ['selection_id', 'parent_product_id', 'website_id'],
      select: (_source, prefix) => bundleSelectionPriceSelect(prefix),
      transforms: { website_id: byMap('store_website', ['0']) },
    }),
    new CatalogValuesCheck(),
    new CatalogExtrasCheck(),
  ],
};

/**
 * Catalog: products (ids kept; 2.4 has none), every value table with its attribute and store
 * ids remapped, website assignment, stock items; categories merged keeping their ids (2.4's
 * root catalog 1 and default category 2 are 1.9's) with their values merged by entity,
 * attribute and store (2.4's own values for the root categories kept), category products.
 * Verified by natural key (catalog-values-check.ts). catalog-structures.json: related, up-sell,
 * cross-sell and grouped links (link types and link attributes merged by code), configurable
 * super attributes (attribute ids mapped) and links, bundle options and selections,
 * downloadable links and samples (store and website ids mapped).
 */
import { mapFile, type ProfileArea } from '../area.js';
import { CatalogValuesCheck } from './catalog-values-check.js';
import { OptionValuesStep } from './option-values-step.js';

export const catalogArea: ProfileArea = {
  mapFiles: [mapFile('catalog.json'), mapFile('catalog-structures.json')],
  steps: [
    new OptionValuesStep('catalog_product_entity_int', 'catalog_product'),
    new OptionValuesStep('catalog_product_entity_varchar', 'catalog_product'),
    new OptionValuesStep('catalog_product_entity_text', 'catalog_product'),
    new CatalogValuesCheck(),
  ],
};

/**
 * The selects over a Magento 1.9 source that fill the 2.4 catalog tables whose shape changed:
 * the media gallery's per-store values (2.4 wants the product on each), tier and group prices
 * (one table in 2.4), bundle option titles and selection prices (2.4 wants the bundle on
 * each), and the customer forms of the shop's own attributes. Their column names are the 2.4
 * columns; ids still go through the profile's handlers. Joins to a parent are LEFT: a 1.9 row
 * whose parent is gone arrives with NULL there, which 2.4 refuses, so it lands in the
 * rejected-rows file rather than vanishing.
 */
import { quoteIdentifier } from './identifiers.js';

const table = (prefix: string, name: string) => quoteIdentifier(`${prefix}${name}`);

/**
 * 1.9's gallery values with their product. record_id (2.4's generated key) is numbered in
 * (value_id, store_id) order, so a resumed run and the verification compute the same one.
 */
export function mediaGalleryValueSelect(prefix: string): string {
  return `SELECT ROW_NUMBER() OVER (ORDER BY v.value_id, v.store_id) AS record_id,
      v.value_id, v.store_id, g.entity_id, v.label, v.position, v.disabled
    FROM ${table(prefix, 'catalog_product_entity_media_gallery_value')} v
    LEFT JOIN ${table(prefix, 'catalog_product_entity_media_gallery')} g ON g.value_id = v.value_id`;
}

/**
 * Tier prices keep their value_id; group prices follow as qty 1 tier rows numbered after the
 * highest tier price id (as the Magento tool copies the tier prices first). Values are copied
 * as 1.9 has them, is_percent (set on a bundle's, whose values are percents as its tier prices'
 * are) included in the value as the Magento tool does: 2.4 reads a bundle's tier price value
 * the same way. A group price with the same
 * product, group and website as a qty 1 tier price is refused by 2.4's unique key: the tier
 * price stays and the group price is in the rejected-rows file with the server's reason.
 */
export function tierPriceSelect(prefix: string): string {
  const tier = table(prefix, 'catalog_product_entity_tier_price');
  return `SELECT value_id, entity_id, all_groups, customer_group_id, qty, value, website_id, NULL AS percentage_value
      FROM ${tier}
    UNION ALL
    SELECT g.value_id + (SELECT IFNULL(MAX(value_id), 0) FROM ${tier}), g.entity_id, g.all_groups, g.customer_group_id,
      1.0000, g.value, g.website_id, NULL
      FROM ${table(prefix, 'catalog_product_entity_group_price')} g`;
}

/** Bundle option titles with their bundle (2.4's parent_product_id); ids kept. */
export function bundleOptionValueSelect(prefix: string): string {
  return `SELECT v.value_id, v.option_id, o.parent_id AS parent_product_id, v.store_id, v.title
    FROM ${table(prefix, 'catalog_product_bundle_option_value')} v
    LEFT JOIN ${table(prefix, 'catalog_product_bundle_option')} o ON o.option_id = v.option_id`;
}

/** A selection's price per website with its bundle (2.4's parent_product_id). */
export function bundleSelectionPriceSelect(prefix: string): string {
  return `SELECT p.selection_id, s.parent_product_id, p.website_id, p.selection_price_type, p.selection_price_value
    FROM ${table(prefix, 'catalog_product_bundle_selection_price')} p
    LEFT JOIN ${table(prefix, 'catalog_product_bundle_selection')} s ON s.selection_id = p.selection_id`;
}

/**
 * The forms the shop's own customer and address attributes are on. The installer's attributes
 * are on the forms 2.4's installer chose for them (its rows are kept as they are).
 */
export function customerFormAttributeSelect(prefix: string): string {
  return `SELECT f.form_code, f.attribute_id
    FROM ${table(prefix, 'customer_form_attribute')} f
    LEFT JOIN ${table(prefix, 'eav_attribute')} a ON a.attribute_id = f.attribute_id
   WHERE a.is_user_defined = 1 OR a.attribute_id IS NULL`;
}

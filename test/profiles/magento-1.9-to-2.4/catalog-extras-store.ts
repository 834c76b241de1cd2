/**
 * The catalog's extras on top of writeSmallCatalog (products 1..12 at least): product images
 * with per-store labels (and one value whose image row is gone), tier prices beside group
 * prices (one group price clashing with a qty 1 tier price), a customer group 1.9 numbers 5
 * and 2.4 will number 4, a bundle's option titles and per-website selection prices, custom
 * options with per-store titles and prices, configurable pricing, stock status, and a
 * user-defined customer attribute on two forms.
 */
import { sql } from './magento-env.js';

export async function writeCatalogExtras(m1: string): Promise<void> {
  const attr = (code: string, type = 4) =>
    `(SELECT attribute_id FROM \`${m1}\`.eav_attribute WHERE entity_type_id = ${type} AND attribute_code = '${code}')`;
  await sql(`
    SET foreign_key_checks = 0;
    USE \`${m1}\`;
    INSERT INTO customer_group (customer_group_id, customer_group_code, tax_class_id) VALUES (5, 'VIP', 3);
    INSERT INTO catalog_product_entity_media_gallery (value_id, attribute_id, entity_id, value) VALUES
      (1, ${attr('media_gallery')}, 1, '/s/h/shirt-1.jpg'), (2, ${attr('media_gallery')}, 1, '/s/h/shirt-1b.jpg'),
      (3, ${attr('media_gallery')}, 2, '/s/h/shirt-2.jpg');
    INSERT INTO catalog_product_entity_media_gallery_value (value_id, store_id, label, position, disabled) VALUES
      (1, 0, 'Front', 1, 0), (1, 2, 'Devant', 1, 0), (2, 0, NULL, 2, 1), (3, 0, 'Shirt two', 1, 0), (99, 0, 'Lost', 1, 0);
    INSERT INTO catalog_product_entity_tier_price (entity_id, all_groups, customer_group_id, qty, value, website_id) VALUES
      (3, 0, 1, 1.0000, 2.0000, 0), (4, 0, 5, 2.0000, 3.0000, 1);
    INSERT INTO catalog_product_entity_group_price (entity_id, all_groups, customer_group_id, value, website_id, is_percent) VALUES
      (2, 0, 1, 7.5000, 0, 0), (1, 0, 5, 0.7000, 2, 0), (3, 0, 1, 1.5000, 0, 0), (10, 0, 2, 10.0000, 0, 1);
    INSERT INTO catalog_product_bundle_option (option_id, parent_id, required, position, type) VALUES (1, 10, 1, 1, 'select');
    INSERT INTO catalog_product_bundle_option_value (value_id, option_id, store_id, title) VALUES (1, 1, 0, 'Size'), (2, 1, 2, 'Taille');
    INSERT INTO catalog_product_bundle_selection (selection_id, option_id, parent_product_id, product_id, position, is_default, selection_price_type, selection_price_value, selection_qty)
      VALUES (1, 1, 10, 11, 0, 1, 0, 1.0000, 1.0000), (2, 1, 10, 12, 1, 0, 0, 2.0000, 1.0000);
    INSERT INTO catalog_product_bundle_selection_price (selection_id, website_id, selection_price_type, selection_price_value) VALUES
      (1, 2, 0, 3.5000), (2, 1, 1, 10.0000);
    INSERT INTO catalog_product_option (option_id, product_id, type, is_require, sku, max_characters, sort_order) VALUES
      (1, 5, 'drop_down', 1, NULL, NULL, 1), (2, 5, 'field', 0, 'ENGR', 20, 2);
    INSERT INTO catalog_product_option_title (option_id, store_id, title) VALUES (1, 0, 'Colour'), (1, 2, 'Couleur'), (2, 0, 'Engraving');
    INSERT INTO catalog_product_option_price (option_id, store_id, price, price_type) VALUES (2, 0, 5.0000, 'fixed'), (2, 2, 10.0000, 'percent');
    INSERT INTO catalog_product_option_type_value (option_type_id, option_id, sku, sort_order) VALUES (1, 1, 'RED', 1), (2, 1, 'BLUE', 2);
    INSERT INTO catalog_product_option_type_title (option_type_id, store_id, title) VALUES (1, 0, 'Red'), (1, 2, 'Rouge'), (2, 0, 'Blue');
    INSERT INTO catalog_product_option_type_price (option_type_id, store_id, price, price_type) VALUES (1, 0, 1.0000, 'fixed'), (2, 2, 2.0000, 'fixed');
    INSERT INTO catalog_product_super_attribute_pricing (product_super_attribute_id, value_index, is_percent, pricing_value, website_id) VALUES
      (1, '101', 0, 2.5000, 0), (1, '102', 1, 10.0000, 0);
    INSERT INTO cataloginventory_stock_status (product_id, website_id, stock_id, qty, stock_status) VALUES (1, 1, 1, 10.0000, 1), (2, 2, 1, 20.0000, 1);
    INSERT INTO eav_attribute (entity_type_id, attribute_code, backend_type, frontend_input, frontend_label, is_user_defined)
      VALUES (1, 'loyalty_no', 'varchar', 'text', 'Loyalty number', 1);
    INSERT INTO customer_eav_attribute (attribute_id, is_visible) SELECT attribute_id, 1 FROM eav_attribute WHERE attribute_code = 'loyalty_no';
    INSERT INTO customer_form_attribute (form_code, attribute_id) SELECT f, attribute_id FROM eav_attribute
      JOIN (SELECT 'adminhtml_customer' AS f UNION ALL SELECT 'customer_account_edit') AS forms WHERE attribute_code = 'loyalty_no';
  `);
}

/**
 * A small 1.9 catalog written by hand into the installer's schema (until m1gen's generator is
 * merged): a second website and store view, a user-defined select and multiselect with options,
 * a category under the default category, and `products` simple products with values on the
 * admin store and overrides on the second store view, website assignments, category links,
 * stock items, URL rewrites (products with and without category, categories, redirects),
 * related / up-sell / cross-sell links with positions, and a configurable's super attribute.
 */
import { sql } from './magento-env.js';

export async function writeSmallCatalog(m1: string, products: number): Promise<void> {
  const attr = (code: string, type = 4) =>
    `(SELECT attribute_id FROM \`${m1}\`.eav_attribute WHERE entity_type_id = ${type} AND attribute_code = '${code}')`;
  await sql(`
    SET foreign_key_checks = 0;
    USE \`${m1}\`;
    INSERT INTO core_website (website_id, code, name, sort_order, default_group_id, is_default) VALUES (2, 'outlet', 'Outlet', 1, 2, 0);
    INSERT INTO core_store_group (group_id, website_id, name, root_category_id, default_store_id) VALUES (2, 2, 'Outlet Store', 2, 2);
    INSERT INTO core_store (store_id, code, website_id, group_id, name, sort_order, is_active) VALUES (2, 'outlet_en', 2, 2, 'Outlet English', 0, 1);
    INSERT INTO eav_attribute (entity_type_id, attribute_code, backend_type, frontend_input, frontend_label, source_model, backend_model, is_user_defined)
      VALUES (4, 'shirt_color', 'int', 'select', 'Shirt colour', 'eav/entity_attribute_source_table', NULL, 1),
             (4, 'fabric', 'varchar', 'multiselect', 'Fabric', NULL, 'eav/entity_attribute_backend_array', 1),
             (4, 'care_note', 'text', 'textarea', 'Care note', NULL, NULL, 1);
    INSERT INTO catalog_eav_attribute (attribute_id, is_global, is_visible, is_filterable)
      SELECT attribute_id, 0, 1, 1 FROM eav_attribute WHERE attribute_code IN ('shirt_color', 'fabric', 'care_note');
    INSERT INTO eav_entity_attribute (entity_type_id, attribute_set_id, attribute_group_id, attribute_id, sort_order)
      SELECT 4, 4, (SELECT attribute_group_id FROM eav_attribute_group WHERE attribute_set_id = 4 AND attribute_group_name = 'General'), attribute_id, 50
        FROM eav_attribute WHERE attribute_code IN ('shirt_color', 'fabric', 'care_note');
    INSERT INTO eav_attribute_option (option_id, attribute_id, sort_order) VALUES
      (101, ${attr('shirt_color')}, 0), (102, ${attr('shirt_color')}, 1), (103, ${attr('fabric')}, 0), (104, ${attr('fabric')}, 1);
    INSERT INTO eav_attribute_option_value (option_id, store_id, value) VALUES
      (101, 0, 'Red'), (101, 2, 'Rouge'), (102, 0, 'Blue'), (103, 0, 'Cotton'), (104, 0, 'Linen');
    INSERT INTO catalog_category_entity (entity_id, entity_type_id, attribute_set_id, parent_id, created_at, updated_at, path, position, level, children_count)
      VALUES (3, 3, 3, 2, NOW(), NOW(), '1/2/3', 1, 2, 0);
    INSERT INTO catalog_category_entity_varchar (entity_type_id, attribute_id, store_id, entity_id, value) VALUES
      (3, ${attr('name', 3)}, 0, 3, 'Shirts'), (3, ${attr('name', 3)}, 2, 3, 'Chemises'), (3, ${attr('url_key', 3)}, 0, 3, 'shirts');
    INSERT INTO catalog_category_entity_int (entity_type_id, attribute_id, store_id, entity_id, value) VALUES (3, ${attr('is_active', 3)}, 0, 3, 1);
  `);
  const rows = (n: number, f: (i: number) => string) =>
    Array.from({ length: n }, (_, k) => f(k + 1)).join(', ');
  await sql(`
    SET foreign_key_checks = 0;
    USE \`${m1}\`;
    INSERT INTO catalog_product_entity (entity_id, entity_type_id, attribute_set_id, type_id, sku, created_at, updated_at)
      VALUES ${rows(products, (i) => `(${i}, 4, 4, 'simple', 'SKU-${i}', NOW(), NOW())`)};
    INSERT INTO catalog_product_entity_varchar (entity_type_id, attribute_id, store_id, entity_id, value) VALUES
      ${rows(products, (i) => `(4, ${attr('name')}, 0, ${i}, 'Shirt ${i}'), (4, ${attr('url_key')}, 0, ${i}, 'shirt-${i}'), (4, ${attr('fabric')}, 0, ${i}, '${i % 2 ? '103' : '103,104'}')`)},
      ${rows(products, (i) => (i % 2 ? `(4, ${attr('name')}, 2, ${i}, 'Chemise ${i}')` : `(4, ${attr('meta_title')}, 2, ${i}, 'Titre ${i}')`))};
    INSERT INTO catalog_product_entity_int (entity_type_id, attribute_id, store_id, entity_id, value) VALUES
      ${rows(products, (i) => `(4, ${attr('status')}, 0, ${i}, 1), (4, ${attr('visibility')}, 0, ${i}, 4), (4, ${attr('shirt_color')}, 0, ${i}, ${i % 2 ? 101 : 102})`)},
      ${rows(products, (i) => `(4, ${attr('status')}, 2, ${i}, ${i % 3 ? 1 : 2})`)};
    INSERT INTO catalog_product_entity_decimal (entity_type_id, attribute_id, store_id, entity_id, value) VALUES
      ${rows(products, (i) => `(4, ${attr('price')}, 0, ${i}, ${i}.5), (4, ${attr('weight')}, 0, ${i}, 0.25)`)};
    INSERT INTO catalog_product_entity_text (entity_type_id, attribute_id, store_id, entity_id, value) VALUES
      ${rows(products, (i) => `(4, ${attr('description')}, 0, ${i}, 'A shirt, number ${i}.\\nMade with care: ünïcødé ✓'), (4, ${attr('care_note')}, 2, ${i}, 'Lavage ${i}')`)};
    INSERT INTO catalog_product_entity_datetime (entity_type_id, attribute_id, store_id, entity_id, value) VALUES
      ${rows(products, (i) => `(4, ${attr('news_from_date')}, 0, ${i}, '2016-0${(i % 9) + 1}-1${i % 10} 00:00:00')`)};
    INSERT INTO catalog_product_website (product_id, website_id) VALUES ${rows(products, (i) => `(${i}, ${i % 2 ? 1 : 2})`)};
    INSERT INTO catalog_category_product (category_id, product_id, position) VALUES ${rows(products, (i) => `(3, ${i}, ${i})`)};
    INSERT INTO cataloginventory_stock_item (product_id, stock_id, qty, is_in_stock) VALUES ${rows(products, (i) => `(${i}, 1, ${i * 10}.0000, 1)`)};
    INSERT INTO core_url_rewrite (store_id, id_path, request_path, target_path, is_system, options, category_id, product_id) VALUES
      (1, 'category/3', 'shirts.html', 'catalog/category/view/id/3', 1, '', 3, NULL),
      (2, 'category/3', 'chemises.html', 'catalog/category/view/id/3', 1, '', 3, NULL),
      ${rows(products, (i) => `(1, 'product/${i}', 'shirt-${i}.html', 'catalog/product/view/id/${i}', 1, '', NULL, ${i}), (1, 'product/${i}/3', 'shirts/shirt-${i}.html', 'catalog/product/view/id/${i}/category/3', 1, '', 3, ${i})`)},
      (1, '1500000000_1', 'old-shirt-1.html', 'shirt-1.html', 0, 'RP', NULL, 1),
      (2, '1500000000_2', 'sale', 'shirts.html', 0, 'R', NULL, NULL);
    INSERT INTO catalog_product_link (link_id, product_id, linked_product_id, link_type_id) VALUES (1, 1, 2, 1), (2, 1, 3, 4), (3, 4, 5, 5);
    INSERT INTO catalog_product_link_attribute_int (product_link_attribute_id, link_id, value) VALUES (1, 1, 7), (4, 2, 8), (5, 3, 9);
    INSERT INTO catalog_product_super_attribute (product_super_attribute_id, product_id, attribute_id, position) VALUES (1, 1, ${attr('shirt_color')}, 0);
    INSERT INTO catalog_product_super_attribute_label (product_super_attribute_id, store_id, use_default, value) VALUES (1, 0, 0, 'Colour'), (1, 2, 0, 'Couleur');
    INSERT INTO catalog_product_super_link (product_id, parent_id) VALUES (2, 1), (3, 1);
    INSERT INTO catalog_product_relation (parent_id, child_id) VALUES (1, 2), (1, 3);
    INSERT INTO catalog_product_entity_tier_price (entity_id, all_groups, customer_group_id, qty, value, website_id) VALUES
      (1, 1, 0, 10.0000, 0.9000, 0), (1, 0, 2, 5.0000, 0.8000, 2);
  `);
}

/**
 * The catalog's extras by natural key, for the profile's verification: media gallery entries
 * and their per-store values, tier (and 1.9 group) prices, custom options and their values,
 * bundle option titles and selection prices, each as (key, value) text read the same way from
 * 1.9 and 2.4: a product by sku, a store by code, a website by code, a customer group by code,
 * an attribute by code; never by the ids that differ. Ids the tool keeps (an option's, an
 * image's) are part of a key where nothing else names the row. Read a range of product ids
 * at a time. Decimals compared at 6 places (1.9 stores decimal(12,4), 2.4 decimal(20,6)).
 */
import type { Queryable } from './database.js';
import { qualifiedName } from './identifiers.js';

export interface ExtrasSide {
  schema: string;
  prefix: string;
  version: '1.9' | '2.4';
}

export interface KeyedValue {
  key: string;
  value: string;
}

export const EXTRAS_KINDS = [
  'catalog_product_entity_media_gallery',
  'catalog_product_entity_media_gallery_value',
  'catalog_product_entity_tier_price',
  'catalog_product_option',
  'catalog_product_option_title',
  'catalog_product_option_price',
  'catalog_product_option_type_title',
  'catalog_product_option_type_price',
  'catalog_product_bundle_option_value',
  'catalog_product_bundle_selection_price',
] as const;
export type ExtrasKind = (typeof EXTRAS_KINDS)[number];

/** The products' id range of a select: two placeholders, (after, upTo]. */
const RANGE = 'e.entity_id > ? AND e.entity_id <= ?';

const d6 = (column: string) => `CAST(${column} AS DECIMAL(20,6))`;

/** The select of one kind on one side, its products' ids bounded by two placeholders. */
function extrasSelect(kind: ExtrasKind, side: ExtrasSide): string {
  const t = (name: string) => qualifiedName(side.schema, `${side.prefix}${name}`);
  const m1 = side.version === '1.9';
  const store = t(m1 ? 'core_store' : 'store');
  const website = t(m1 ? 'core_website' : 'store_website');
  const product = t('catalog_product_entity');
  const range = RANGE;
  switch (kind) {
    case 'catalog_product_entity_media_gallery':
      return `SELECT CONCAT_WS(' ', 'sku', e.sku, 'attribute', a.attribute_code, 'file', g.value) AS k, '' AS v
        FROM ${t('catalog_product_entity_media_gallery')} g
        ${m1 ? 'JOIN' : `JOIN ${t('catalog_product_entity_media_gallery_value_to_entity')} ge ON ge.value_id = g.value_id JOIN`}
          ${product} e ON e.entity_id = ${m1 ? 'g' : 'ge'}.entity_id
        JOIN ${t('eav_attribute')} a ON a.attribute_id = g.attribute_id WHERE ${range}`;
    case 'catalog_product_entity_media_gallery_value':
      return `SELECT CONCAT_WS(' ', 'sku', e.sku, 'file', g.value, 'store', s.code) AS k,
          CONCAT_WS(' | ', IFNULL(v.label, 'NULL'), IFNULL(v.position, 'NULL'), v.disabled) AS v
        FROM ${t('catalog_product_entity_media_gallery_value')} v
        JOIN ${t('catalog_product_entity_media_gallery')} g ON g.value_id = v.value_id
        JOIN ${product} e ON e.entity_id = ${m1 ? 'g' : 'v'}.entity_id
        JOIN ${store} s ON s.store_id = v.store_id WHERE ${range}`;
    case 'catalog_product_entity_tier_price': {
      const tier = (from: string, qty: string, value: string, percent: string, where = '') =>
        `SELECT CONCAT_WS(' ', 'sku', e.sku, 'all groups', p.all_groups, 'group', cg.customer_group_code,
            'website', w.code, 'qty', ${d6(qty)}) AS k,
            CONCAT_WS(' | ', ${d6(value)}, IFNULL(${d6(percent)}, 'NULL')) AS v
          FROM ${from} p JOIN ${product} e ON e.entity_id = p.entity_id
          JOIN ${t('customer_group')} cg ON cg.customer_group_id = p.customer_group_id
          JOIN ${website} w ON w.website_id = p.website_id WHERE ${range}${where}`;
      if (!m1) return tier(t('catalog_product_entity_tier_price'), 'p.qty', 'p.value', 'p.percentage_value');
      // A group price whose qty 1 tier price 1.9 also has is refused (the tier price stays).
      const clash = ` AND NOT EXISTS (SELECT 1 FROM ${t('catalog_product_entity_tier_price')} x WHERE x.entity_id = p.entity_id
          AND x.all_groups = p.all_groups AND x.customer_group_id = p.customer_group_id AND x.website_id = p.website_id AND x.qty = 1)`;
      return `${tier(t('catalog_product_entity_tier_price'), 'p.qty', 'p.value', 'NULL')} UNION ALL ${tier(
        t('catalog_product_entity_group_price'),
        '1',
        'p.value',
        'NULL',
        clash,
      )}`;
    }
    case 'catalog_product_option':
      return `SELECT CONCAT_WS(' ', 'sku', e.sku, 'option', o.option_id) AS k,
          CONCAT_WS(' | ', IFNULL(o.type, 'NULL'), o.is_require, IFNULL(o.sku, 'NULL'), IFNULL(o.max_characters, 'NULL'),
            IFNULL(o.file_extension, 'NULL'), IFNULL(o.image_size_x, 'NULL'), IFNULL(o.image_size_y, 'NULL'), o.sort_order) AS v
        FROM ${t('catalog_product_option')} o JOIN ${product} e ON e.entity_id = o.product_id WHERE ${range}`;
    case 'catalog_product_option_title':
    case 'catalog_product_option_price': {
      const value = kind.endsWith('title')
        ? "IFNULL(x.title, 'NULL')"
        : `CONCAT_WS(' | ', ${d6('x.price')}, x.price_type)`;
      return `SELECT CONCAT_WS(' ', 'sku', e.sku, 'option', o.option_id, 'store', s.code) AS k, ${value} AS v
        FROM ${t(kind)} x JOIN ${t('catalog_product_option')} o ON o.option_id = x.option_id
        JOIN ${product} e ON e.entity_id = o.product_id JOIN ${store} s ON s.store_id = x.store_id WHERE ${range}`;
    }
    case 'catalog_product_option_type_title':
    case 'catalog_product_option_type_price': {
      const value = kind.endsWith('title')
        ? "IFNULL(x.title, 'NULL')"
        : `CONCAT_WS(' | ', ${d6('x.price')}, x.price_type)`;
      return `SELECT CONCAT_WS(' ', 'sku', e.sku, 'option', o.option_id, 'value', tv.option_type_id, IFNULL(tv.sku, ''), 'store', s.code) AS k,
          ${value} AS v
        FROM ${t(kind)} x JOIN ${t('catalog_product_option_type_value')} tv ON tv.option_type_id = x.option_type_id
        JOIN ${t('catalog_product_option')} o ON o.option_id = tv.option_id
        JOIN ${product} e ON e.entity_id = o.product_id JOIN ${store} s ON s.store_id = x.store_id WHERE ${range}`;
    }
    case 'catalog_product_bundle_option_value':
      return `SELECT CONCAT_WS(' ', 'bundle', e.sku, 'option', o.option_id, 'position', o.position, 'store', s.code) AS k,
          IFNULL(x.title, 'NULL') AS v
        FROM ${t(kind)} x JOIN ${t('catalog_product_bundle_option')} o ON o.option_id = x.option_id
        JOIN ${product} e ON e.entity_id = ${m1 ? 'o.parent_id' : 'x.parent_product_id'}
        JOIN ${store} s ON s.store_id = x.store_id WHERE ${range}`;
    case 'catalog_product_bundle_selection_price':
      return `SELECT CONCAT_WS(' ', 'bundle', e.sku, 'selection', c.sku, 'website', w.code) AS k,
          CONCAT_WS(' | ', x.selection_price_type, ${d6('x.selection_price_value')}) AS v
        FROM ${t(kind)} x JOIN ${t('catalog_product_bundle_selection')} sel ON sel.selection_id = x.selection_id
        JOIN ${product} e ON e.entity_id = ${m1 ? 'sel.parent_product_id' : 'x.parent_product_id'}
        JOIN ${product} c ON c.entity_id = sel.product_id
        JOIN ${website} w ON w.website_id = x.website_id WHERE ${range}`;
  }
}

/** The rows of one kind whose product id is in (after, upTo]. */
export async function readExtras(
  db: Queryable,
  side: ExtrasSide,
  kind: ExtrasKind,
  after: number,
  upTo: number,
): Promise<KeyedValue[]> {
  const select = extrasSelect(kind, side);
  // The tier prices' 1.9 select is a UNION of two selects, each bounded by the range.
  const ranges = select.split(RANGE).length - 1;
  const params = Array.from({ length: ranges }, () => [after, upTo]).flat();
  const rows = await db.query<{ k: string; v: string }>(select, params);
  return rows.map((r) => ({ key: String(r.k), value: String(r.v) }));
}

/** The source's highest product id (ids are kept, so the destination's range is the same). */
export async function maxProductId(db: Queryable, side: ExtrasSide): Promise<number> {
  const [row] = await db.query<{ n: string | null }>(
    `SELECT MAX(entity_id) AS n FROM ${qualifiedName(side.schema, `${side.prefix}catalog_product_entity`)}`,
  );
  return Number(row?.n ?? 0);
}

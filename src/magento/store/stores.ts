/**
 * A second website with its store group and store view, as the 1.9 admin creates them: the
 * installer's website 1 ("base") keeps store view 1; website 2 gets its own root category
 * (written by categories.ts) and store view 2, the one the generator writes overrides on.
 * Plus the configuration values a running shop has per scope.
 */
import type { GeneratorContext, StoreLayout } from './context.js';
import { phpSerialize } from './php-serialize.js';

export async function generateStores(ctx: GeneratorContext): Promise<StoreLayout> {
  const { out } = ctx;
  const installed = await out.select<{
    store_id: number;
    website_id: number;
    group_id: number;
    root: number;
  }>(
    `SELECT s.store_id, s.website_id, s.group_id, g.root_category_id AS root
     FROM {schema}.core_store s JOIN {schema}.core_store_group g ON g.group_id = s.group_id
     WHERE s.store_id > 0 ORDER BY s.store_id LIMIT 1`,
  );
  const first = installed[0];
  if (!first) throw new Error('store generator: the 1.9 install has no frontend store view');

  const websiteId = await out.nextId('core_website', 'website_id');
  const groupId = await out.nextId('core_store_group', 'group_id');
  const storeId = await out.nextId('core_store', 'store_id');
  const rootCategoryId = await out.nextId('catalog_category_entity', 'entity_id');
  await out.add('core_website', {
    website_id: websiteId,
    code: 'europe',
    name: 'Europe Website',
    sort_order: 10,
    default_group_id: groupId,
    is_default: 0,
  });
  await out.add('core_store_group', {
    group_id: groupId,
    website_id: websiteId,
    name: 'Europe Store',
    root_category_id: rootCategoryId,
    default_store_id: storeId,
  });
  await out.add('core_store', {
    store_id: storeId,
    code: 'europe_de',
    website_id: websiteId,
    group_id: groupId,
    name: 'Deutsch',
    sort_order: 0,
    is_active: 1,
  });

  const config: [string, number, string, string | null][] = [
    ['default', 0, 'web/unsecure/base_url', 'http://shop.example.com/'],
    ['default', 0, 'web/secure/base_url', 'https://shop.example.com/'],
    ['default', 0, 'web/seo/use_rewrites', '1'],
    ['default', 0, 'general/locale/code', 'en_US'],
    ['default', 0, 'general/country/default', 'US'],
    ['default', 0, 'currency/options/base', 'USD'],
    ['default', 0, 'design/package/name', 'rwd'],
    ['default', 0, 'design/theme/default', 'default'],
    ['default', 0, 'catalog/seo/product_url_suffix', '.html'],
    ['default', 0, 'catalog/seo/category_url_suffix', '.html'],
    ['default', 0, 'customer/password/reset_link_expiration_period', '1'],
    ['default', 0, 'sales_email/order/enabled', '1'],
    // 1.9 keeps this one PHP-serialized: minimum quantity per customer group.
    ['default', 0, 'cataloginventory/item_options/min_sale_qty', phpSerialize({ '32000': '1', '2': '5' })],
    ['websites', websiteId, 'web/unsecure/base_url', 'http://shop.example.eu/'],
    ['websites', websiteId, 'web/secure/base_url', 'https://shop.example.eu/'],
    ['websites', websiteId, 'currency/options/base', 'EUR'],
    ['stores', storeId, 'general/locale/code', 'de_DE'],
    ['stores', storeId, 'design/head/default_title', 'Shop Europa'],
  ];
  for (const [scope, scopeId, path, value] of config) {
    await out.add('core_config_data', { scope, scope_id: scopeId, path, value });
  }

  return {
    websites: [
      {
        websiteId: first.website_id,
        code: 'base',
        groupId: first.group_id,
        rootCategoryId: first.root,
        storeIds: [first.store_id],
      },
      { websiteId, code: 'europe', groupId, rootCategoryId, storeIds: [storeId] },
    ],
    storeIds: [first.store_id, storeId],
    overrideStoreId: storeId,
  };
}

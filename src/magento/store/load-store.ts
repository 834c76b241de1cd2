/**
 * Reads back what the storefront needs from a generated (or any) 1.9 store: the websites and
 * store views, the simple and virtual products on sale with their names and prices, and
 * customers with their first address, in the shapes the generator's writers take.
 */
import type { GeneratorContext, StoreLayout } from './context.js';
import type { GeneratedCustomer } from './customers.js';
import type { GeneratedProduct } from './products.js';

export async function loadStoreLayout(ctx: GeneratorContext): Promise<StoreLayout> {
  const rows = await ctx.out.select<{
    website_id: number;
    code: string;
    group_id: number;
    root: number;
    store_id: number;
  }>(
    `SELECT w.website_id, w.code, g.group_id, g.root_category_id AS root, s.store_id
     FROM {schema}.core_website w JOIN {schema}.core_store_group g ON g.group_id = w.default_group_id
     JOIN {schema}.core_store s ON s.group_id = g.group_id
     WHERE w.website_id > 0 ORDER BY w.website_id, s.store_id`,
  );
  const websites: StoreLayout['websites'] = [];
  for (const r of rows) {
    let w = websites.find((x) => x.websiteId === r.website_id);
    if (!w) {
      w = {
        websiteId: r.website_id,
        code: r.code,
        groupId: r.group_id,
        rootCategoryId: r.root,
        storeIds: [],
      };
      websites.push(w);
    }
    w.storeIds.push(r.store_id);
  }
  const storeIds = websites.flatMap((w) => w.storeIds);
  return { websites, storeIds, overrideStoreId: storeIds[storeIds.length - 1] ?? 1 };
}

/** Simple and virtual products in a category, newest `limit` first. */
export async function loadSellableProducts(
  ctx: GeneratorContext,
  layout: StoreLayout,
  limit: number,
): Promise<GeneratedProduct[]> {
  const name = ctx.attributes.attribute('catalog_product', 'name').id;
  const price = ctx.attributes.attribute('catalog_product', 'price').id;
  const rows = await ctx.out.select<{
    id: number;
    sku: string;
    type: string;
    name: string;
    price: string;
    websites: string;
    categories: string;
  }>(
    `SELECT p.entity_id AS id, p.sku, p.type_id AS type, n.value AS name, pr.value AS price,
            (SELECT GROUP_CONCAT(website_id) FROM {schema}.catalog_product_website w WHERE w.product_id = p.entity_id) AS websites,
            (SELECT GROUP_CONCAT(category_id) FROM {schema}.catalog_category_product c WHERE c.product_id = p.entity_id) AS categories
     FROM {schema}.catalog_product_entity p
     JOIN {schema}.catalog_product_entity_varchar n ON n.entity_id = p.entity_id AND n.attribute_id = ? AND n.store_id = 0
     JOIN {schema}.catalog_product_entity_decimal pr ON pr.entity_id = p.entity_id AND pr.attribute_id = ? AND pr.store_id = 0
     WHERE p.type_id IN ('simple', 'virtual')
       AND EXISTS (SELECT 1 FROM {schema}.catalog_category_product c WHERE c.product_id = p.entity_id)
     ORDER BY p.entity_id DESC LIMIT ?`,
    [name, price, limit],
  );
  return rows.map((r) => {
    const websiteIds = String(r.websites ?? '')
      .split(',')
      .map(Number);
    return {
      id: r.id,
      sku: r.sku,
      name: r.name,
      type: r.type as GeneratedProduct['type'],
      price: Number(r.price),
      weight: r.type === 'virtual' ? 0 : 1,
      urlKey: '',
      visibility: 4,
      websiteIndexes: layout.websites.flatMap((w, i) => (websiteIds.includes(w.websiteId) ? [i] : [])),
      categoryIds: String(r.categories ?? '')
        .split(',')
        .map(Number),
    };
  });
}

/** Customers with names and their first address, newest `limit` first. */
export async function loadCustomers(
  ctx: GeneratorContext,
  layout: StoreLayout,
  limit: number,
): Promise<GeneratedCustomer[]> {
  const first = ctx.attributes.attribute('customer', 'firstname').id;
  const last = ctx.attributes.attribute('customer', 'lastname').id;
  const rows = await ctx.out.select<{
    id: number;
    email: string;
    group_id: number;
    website_id: number;
    store_id: number;
    firstname: string;
    lastname: string;
    address_id: number | null;
  }>(
    `SELECT c.entity_id AS id, c.email, c.group_id, c.website_id, c.store_id, f.value AS firstname, l.value AS lastname,
            (SELECT MIN(a.entity_id) FROM {schema}.customer_address_entity a WHERE a.parent_id = c.entity_id) AS address_id
     FROM {schema}.customer_entity c
     JOIN {schema}.customer_entity_varchar f ON f.entity_id = c.entity_id AND f.attribute_id = ?
     JOIN {schema}.customer_entity_varchar l ON l.entity_id = c.entity_id AND l.attribute_id = ?
     ORDER BY c.entity_id DESC LIMIT ?`,
    [first, last, limit],
  );
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    firstname: r.firstname,
    lastname: r.lastname,
    groupId: r.group_id,
    websiteIndex: Math.max(
      0,
      layout.websites.findIndex((w) => w.websiteId === r.website_id),
    ),
    storeId: r.store_id,
    addresses: r.address_id
      ? [
          {
            id: r.address_id,
            firstname: r.firstname,
            lastname: r.lastname,
            street: '1 Main Street',
            city: 'Springfield',
            regionId: null,
            region: 'Texas',
            postcode: '73301',
            countryId: 'US',
            telephone: '+1 555 0100',
            company: null,
          },
        ]
      : [],
  }));
}

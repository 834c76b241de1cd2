/**
 * 1.9's URL rewrites (core_url_rewrite) as its URL indexer and admin write them: per store
 * view, a system rewrite for every category, every visible product without a category, and
 * every visible product under each of its categories; plus the merchant's custom redirects
 * (not system, "RP" permanent or "R" temporary).
 */
import type { GeneratedCategory } from './categories.js';
import type { GeneratorContext, StoreLayout } from './context.js';
import type { GeneratedProduct } from './products.js';

export async function generateUrlRewrites(
  ctx: GeneratorContext,
  layout: StoreLayout,
  categories: GeneratedCategory[],
  products: GeneratedProduct[],
): Promise<void> {
  const { out } = ctx;
  const rewrite = (row: {
    store: number;
    idPath: string;
    request: string;
    target: string;
    system: boolean;
    options?: string | null;
    category?: number | null;
    product?: number | null;
  }) =>
    out.add('core_url_rewrite', {
      store_id: row.store,
      id_path: row.idPath,
      request_path: row.request,
      target_path: row.target,
      is_system: row.system ? 1 : 0,
      options: row.options ?? null,
      description: null,
      category_id: row.category ?? null,
      product_id: row.product ?? null,
    });
  const categoryPath = new Map(categories.map((c) => [c.id, c]));
  for (const [websiteIndex, website] of layout.websites.entries()) {
    for (const store of website.storeIds) {
      const translated = store === layout.overrideStoreId;
      for (const c of categories.filter((c) => c.websiteIndex === websiteIndex)) {
        await rewrite({
          store,
          idPath: `category/${c.id}`,
          request: `${c.urlPath}.html`,
          target: `catalog/category/view/id/${c.id}`,
          system: true,
          category: c.id,
        });
      }
      for (const p of products) {
        if (p.visibility === 1 || !p.websiteIndexes.includes(websiteIndex)) continue;
        const key = translated ? `${p.urlKey}-de` : p.urlKey;
        await rewrite({
          store,
          idPath: `product/${p.id}`,
          request: `${key}.html`,
          target: `catalog/product/view/id/${p.id}`,
          system: true,
          product: p.id,
        });
        for (const categoryId of p.categoryIds) {
          const c = categoryPath.get(categoryId);
          if (!c || c.websiteIndex !== websiteIndex) continue;
          await rewrite({
            store,
            idPath: `product/${p.id}/${c.id}`,
            request: `${c.urlPath}/${key}.html`,
            target: `catalog/product/view/id/${p.id}/category/${c.id}`,
            system: true,
            category: c.id,
            product: p.id,
          });
        }
      }
    }
  }
  // The merchant's own redirects: an old page, a renamed product, a campaign link.
  const firstStore = layout.storeIds[0] as number;
  const product = products.find((p) => p.visibility !== 1);
  const custom: { request: string; target: string; options: string; product?: number }[] = [
    { request: 'old-about.html', target: 'about-us', options: 'RP' },
    { request: 'summer-sale', target: 'sale.html', options: 'R' },
  ];
  if (product)
    custom.push({
      request: 'best-seller.html',
      target: `${product.urlKey}.html`,
      options: 'RP',
      product: product.id,
    });
  for (const [i, c] of custom.entries()) {
    await rewrite({
      store: firstStore,
      idPath: `${1_500_000_000 + i}_${1000 + i}`,
      request: c.request,
      target: c.target,
      system: false,
      options: c.options,
      product: c.product ?? null,
    });
  }
}

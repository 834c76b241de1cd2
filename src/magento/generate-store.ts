/**
 * The Magento 1.9 store generator: fills a 1.9 install (loaded by installs.ts) with what a
 * running 1.9 shop has written, area by area (src/magento/store/*.ts): a second website, the
 * category tree, the shop's own attributes, products of all six types, URL rewrites, CMS,
 * sales and catalog rules, tax rates and rules, customers, reviews, newsletter, wishlists, orders with everything under them,
 * open carts, visitor logs. Deterministic by seed; sized by the number of orders (products
 * and customers derive from it); rows go in as batched multi-row INSERTs.
 */
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { generateShopAttributes } from './store/attributes.js';
import { generateCatalogRules } from './store/catalog-rules.js';
import { generateCategories } from './store/categories.js';
import { generateCms } from './store/cms.js';
import { AttributeCatalog, eavWriter, type GeneratorContext, type StoreLayout } from './store/context.js';
import { generateCustomers } from './store/customers.js';
import { generateNewsletter } from './store/newsletter.js';
import { IncrementIds, randomOrderSpec, salesCatalog, writeOrder } from './store/orders.js';
import { generateProducts } from './store/products.js';
import { generateQuotes } from './store/quotes.js';
import { generateReviews } from './store/reviews.js';
import { Clock, Rng } from './store/rng.js';
import { RowWriter } from './store/row-writer.js';
import { generateSalesRules } from './store/sales-rules.js';
import { generateStores } from './store/stores.js';
import { generateTaxRules } from './store/tax.js';
import { generateUrlRewrites } from './store/url-rewrites.js';
import { generateVisitors } from './store/visitors.js';
import { generateWishlists } from './store/wishlists.js';

export interface GenerateStoreOptions {
  orders: number;
  /** Default: orders / 20, at least 30, at most 2,000. */
  products?: number;
  /** Default: orders / 2, at least 20. */
  customers?: number;
  seed?: number;
  /** The install's table prefix, as loadMagentoInstall gave it (default none). */
  prefix?: string;
}

export interface GeneratedStore {
  layout: StoreLayout;
  /** Rows written, per table. */
  counts: Record<string, number>;
}

export interface StoreSize {
  orders: number;
  products: number;
  customers: number;
  reviews: number;
  quotes: number;
  visitors: number;
  guestSubscribers: number;
}

/** How much of everything a store of `orders` orders gets. */
export function storeSize(opts: GenerateStoreOptions): StoreSize {
  const orders = Math.max(0, Math.floor(opts.orders));
  return {
    orders,
    products: Math.max(12, Math.floor(opts.products ?? Math.min(2000, Math.max(30, Math.ceil(orders / 20))))),
    customers: Math.max(1, Math.floor(opts.customers ?? Math.max(20, Math.ceil(orders / 2)))),
    reviews: Math.max(10, Math.ceil(orders / 10)),
    quotes: Math.max(5, Math.ceil(orders / 20)),
    visitors: Math.max(10, Math.ceil(orders / 5)),
    guestSubscribers: Math.max(5, Math.ceil(orders / 50)),
  };
}

/** Fills the 1.9 install in `schema`; the install must be fresh (as installs.ts loads it). */
export async function generateMagentoStore(
  conn: Connection,
  schema: string,
  opts: GenerateStoreOptions,
): Promise<GeneratedStore> {
  const size = storeSize(opts);
  const out = new RowWriter(conn, schema, opts.prefix ?? '');
  const rng = new Rng(opts.seed ?? 19_0302);
  const attributes = await AttributeCatalog.load(out);
  const ctx: GeneratorContext = {
    out,
    rng,
    clock: new Clock(rng),
    attributes,
    eav: eavWriter(out, attributes),
  };
  const [before] = await conn.query<RowDataPacket[]>('SELECT @@SESSION.foreign_key_checks AS fk');
  // Parents and children go in as separate batches; the foreign-key check test proves no orphan is left.
  await conn.query('SET SESSION foreign_key_checks = 0');
  try {
    const layout = await generateStores(ctx);
    const categories = await generateCategories(ctx, layout);
    const shop = await generateShopAttributes(ctx, layout);
    const products = await generateProducts(ctx, layout, categories, shop, size.products);
    await generateUrlRewrites(ctx, layout, categories, products);
    await generateCms(ctx, layout);
    await generateSalesRules(ctx, layout);
    await generateCatalogRules(ctx, layout);
    await generateTaxRules(ctx, layout);
    const customers = await generateCustomers(ctx, layout, size.customers);
    await generateReviews(ctx, layout, products, customers, size.reviews);
    await generateNewsletter(ctx, layout, customers, size.guestSubscribers);
    await generateWishlists(ctx, customers, products);
    const catalog = await salesCatalog(ctx, products);
    const increments = await IncrementIds.load(ctx);
    for (let i = 0; i < size.orders; i++) {
      const day = Math.floor((i / Math.max(1, size.orders)) * 700);
      await writeOrder(ctx, catalog, increments, randomOrderSpec(ctx, layout, catalog, customers, day));
    }
    await generateQuotes(ctx, layout, catalog, customers, size.quotes);
    await generateVisitors(ctx, layout, customers, size.visitors);
    await out.flush();
    await increments.save(ctx);
    return { layout, counts: out.counts };
  } finally {
    await conn.query('SET SESSION foreign_key_checks = ?', [Number(before[0]?.fk ?? 1)]);
  }
}

/**
 * A Magento 1.9 storefront for `migrate delta` to follow: while it runs it places orders
 * (items, addresses, payment, status history, grid), invoices some, edits customers, changes
 * stock, opens carts, writes reviews and takes newsletter subscriptions, each operation in
 * one transaction as 1.9 does, with the generator's own writers (so what it writes is what
 * the generator writes). It sells simple and virtual products only.
 */
import type { Connection } from 'mysql2/promise';
import { AttributeCatalog, eavWriter, type GeneratorContext, type StoreLayout } from './store/context.js';
import type { GeneratedCustomer } from './store/customers.js';
import { loadCustomers, loadSellableProducts, loadStoreLayout } from './store/load-store.js';
import { IncrementIds, type SalesCatalog, salesCatalog, writeOrder } from './store/orders.js';
import type { GeneratedProduct } from './store/products.js';
import { writeQuote } from './store/quotes.js';
import { type ReviewSetup, reviewSetup, writeReview } from './store/reviews.js';
import { Clock, formatDateTime, Rng } from './store/rng.js';
import { RowWriter } from './store/row-writer.js';

export const STOREFRONT_OPERATIONS = [
  'placeOrder',
  'invoiceOrder',
  'editCustomer',
  'changeStock',
  'openCart',
  'writeReview',
  'subscribe',
] as const;
export type StorefrontOperation = (typeof STOREFRONT_OPERATIONS)[number];

export type MagentoStorefrontStats = Record<StorefrontOperation, number>;

export class MagentoStorefront {
  readonly stats: MagentoStorefrontStats = Object.fromEntries(
    STOREFRONT_OPERATIONS.map((o) => [o, 0]),
  ) as MagentoStorefrontStats;
  private readonly placed: number[] = [];

  private constructor(
    private readonly conn: Connection,
    private readonly ctx: GeneratorContext,
    private readonly layout: StoreLayout,
    private readonly catalog: SalesCatalog,
    private readonly products: GeneratedProduct[],
    private readonly customers: GeneratedCustomer[],
    private readonly increments: IncrementIds,
    private readonly reviews: ReviewSetup,
  ) {}

  /** Opens the storefront on a 1.9 store in `schema` (generated or not) through `conn`, which it owns until stopped. */
  static async open(conn: Connection, schema: string, seed = 1, prefix = ''): Promise<MagentoStorefront> {
    const out = new RowWriter(conn, schema, prefix);
    const rng = new Rng(seed);
    const attributes = await AttributeCatalog.load(out);
    const ctx: GeneratorContext = {
      out,
      rng,
      clock: new Clock(rng),
      attributes,
      eav: eavWriter(out, attributes),
    };
    const layout = await loadStoreLayout(ctx);
    const products = await loadSellableProducts(ctx, layout, 500);
    if (products.length === 0)
      throw new Error('the storefront found no simple or virtual product in a category to sell');
    const customers = await loadCustomers(ctx, layout, 500);
    const catalog = await salesCatalog(ctx, products);
    const increments = await IncrementIds.load(ctx);
    const reviews = await reviewSetup(ctx);
    return new MagentoStorefront(conn, ctx, layout, catalog, products, customers, increments, reviews);
  }

  /** Runs one operation (chosen at random, placing orders most often) in a transaction. */
  async step(): Promise<StorefrontOperation> {
    const roll = this.ctx.rng.next();
    const operation: StorefrontOperation =
      roll < 0.35
        ? 'placeOrder'
        : roll < 0.5
          ? 'invoiceOrder'
          : roll < 0.6
            ? 'editCustomer'
            : roll < 0.75
              ? 'changeStock'
              : roll < 0.85
                ? 'openCart'
                : roll < 0.93
                  ? 'writeReview'
                  : 'subscribe';
    await this.run(operation);
    return operation;
  }

  async run(operation: StorefrontOperation): Promise<void> {
    await this.conn.query('START TRANSACTION');
    try {
      const done = await this[operation]();
      await this.ctx.out.flush();
      await this.conn.query('COMMIT');
      if (done) this.stats[operation]++;
    } catch (error) {
      await this.conn.query('ROLLBACK').catch(() => {});
      throw error;
    }
  }

  private now(): string {
    return formatDateTime(new Date());
  }

  private async placeOrder(): Promise<boolean> {
    const { ctx } = this;
    const customer = this.customers.length && ctx.rng.chance(0.8) ? ctx.rng.pick(this.customers) : undefined;
    const websiteIndex = customer?.websiteIndex ?? 0;
    const pool = this.catalog.sellable.filter((p) => p.websiteIndexes.includes(websiteIndex));
    if (pool.length === 0) return false;
    const lines = Array.from({ length: ctx.rng.int(1, 3) }, () => ({
      product: ctx.rng.pick(pool),
      qty: ctx.rng.int(1, 2),
      children: [],
    })).map((l) => ({
      ...l,
      price: l.product.price,
      options: { info_buyRequest: { product: String(l.product.id), qty: l.qty } },
    }));
    const { orderId } = await writeOrder(ctx, this.catalog, this.increments, {
      storeId: customer?.storeId ?? (this.layout.websites[0]?.storeIds[0] as number),
      customer,
      lines,
      state: 'new',
      status: 'pending',
      createdAt: this.now(),
      paymentMethod: ctx.rng.pick(['checkmo', 'paypal_express', 'purchaseorder']),
    });
    await ctx.out.flush();
    await this.increments.save(ctx);
    this.placed.push(orderId);
    return true;
  }

  /** Invoices an order placed here: the invoice, its items and grid row, the order paid and processing. */
  private async invoiceOrder(): Promise<boolean> {
    const { out } = this.ctx;
    const orderId = this.placed.shift();
    if (orderId === undefined) return false;
    const [order] = await out.select<{
      store_id: number;
      increment_id: string;
      grand_total: string;
      subtotal: string;
      currency: string;
      billing: number;
      shipping: number | null;
      created_at: string;
    }>(
      `SELECT store_id, increment_id, grand_total, subtotal, order_currency_code AS currency, billing_address_id AS billing,
              shipping_address_id AS shipping, DATE_FORMAT(created_at, '%Y-%m-%d %H:%i:%s') AS created_at
       FROM {schema}.sales_flat_order WHERE entity_id = ? FOR UPDATE`,
      [orderId],
    );
    if (!order) return false;
    const invoiceId = await out.nextId('sales_flat_invoice', 'entity_id');
    const incrementId = this.increments.next('invoice', order.store_id);
    const now = this.now();
    await out.add('sales_flat_invoice', {
      entity_id: invoiceId,
      store_id: order.store_id,
      base_grand_total: order.grand_total,
      grand_total: order.grand_total,
      subtotal: order.subtotal,
      base_subtotal: order.subtotal,
      billing_address_id: order.billing,
      shipping_address_id: order.shipping,
      order_id: orderId,
      state: 2,
      order_currency_code: order.currency,
      base_currency_code: order.currency,
      increment_id: incrementId,
      created_at: now,
      updated_at: now,
    });
    await out.add('sales_flat_invoice_grid', {
      entity_id: invoiceId,
      store_id: order.store_id,
      base_grand_total: order.grand_total,
      grand_total: order.grand_total,
      order_id: orderId,
      state: 2,
      increment_id: incrementId,
      order_increment_id: order.increment_id,
      created_at: now,
      order_created_at: order.created_at,
    });
    await out.add('sales_flat_order_status_history', {
      parent_id: orderId,
      is_customer_notified: 0,
      is_visible_on_front: 0,
      comment: `Invoice #${incrementId} created.`,
      status: 'processing',
      created_at: now,
      entity_name: 'invoice',
    });
    await out.execute(
      `INSERT INTO {schema}.sales_flat_invoice_item (parent_id, base_price, price, base_row_total, row_total, qty, product_id, order_item_id, sku, name)
       SELECT ?, base_price, price, base_row_total, row_total, qty_ordered, product_id, item_id, sku, name
       FROM {schema}.sales_flat_order_item WHERE order_id = ?`,
      [invoiceId, orderId],
    );
    await out.execute(
      'UPDATE {schema}.sales_flat_order_item SET qty_invoiced = qty_ordered, updated_at = ? WHERE order_id = ?',
      [now, orderId],
    );
    await out.execute(
      `UPDATE {schema}.sales_flat_order SET state = 'processing', status = 'processing', total_paid = grand_total,
         base_total_paid = base_grand_total, total_invoiced = grand_total, base_total_invoiced = base_grand_total,
         total_due = 0, base_total_due = 0, updated_at = ? WHERE entity_id = ?`,
      [now, orderId],
    );
    await out.execute(
      `UPDATE {schema}.sales_flat_order_grid SET status = 'processing', total_paid = grand_total, base_total_paid = base_grand_total,
         updated_at = ? WHERE entity_id = ?`,
      [now, orderId],
    );
    await this.increments.save(this.ctx);
    return true;
  }

  private async editCustomer(): Promise<boolean> {
    const { ctx } = this;
    if (this.customers.length === 0) return false;
    const customer = ctx.rng.pick(this.customers);
    const lastname = ctx.attributes.attribute('customer', 'lastname');
    await ctx.out.execute(
      'UPDATE {schema}.customer_entity_varchar SET value = ? WHERE entity_id = ? AND attribute_id = ?',
      [`${customer.lastname}-${ctx.rng.int(1, 999)}`, customer.id, lastname.id],
    );
    await ctx.out.execute('UPDATE {schema}.customer_entity SET updated_at = ? WHERE entity_id = ?', [
      this.now(),
      customer.id,
    ]);
    return true;
  }

  private async changeStock(): Promise<boolean> {
    const { ctx } = this;
    const product = ctx.rng.pick(this.products);
    const qty = ctx.rng.int(0, 100);
    await ctx.out.execute(
      'UPDATE {schema}.cataloginventory_stock_item SET qty = ?, is_in_stock = ? WHERE product_id = ? AND stock_id = 1',
      [qty, qty > 0 ? 1 : 0, product.id],
    );
    await ctx.out.execute(
      'UPDATE {schema}.cataloginventory_stock_status SET qty = ?, stock_status = ? WHERE product_id = ?',
      [qty, qty > 0 ? 1 : 0, product.id],
    );
    return true;
  }

  private async openCart(): Promise<boolean> {
    const customer =
      this.customers.length && this.ctx.rng.chance(0.6) ? this.ctx.rng.pick(this.customers) : undefined;
    await writeQuote(this.ctx, this.layout, this.catalog, customer, this.now());
    return true;
  }

  private async writeReview(): Promise<boolean> {
    const product = this.ctx.rng.pick(this.products);
    await writeReview(this.ctx, this.layout, this.reviews, product, this.customers, this.now());
    return true;
  }

  private async subscribe(): Promise<boolean> {
    const { ctx } = this;
    const id = await ctx.out.nextId('newsletter_subscriber', 'subscriber_id');
    await ctx.out.add('newsletter_subscriber', {
      subscriber_id: id,
      store_id: ctx.rng.pick(this.layout.storeIds),
      change_status_at: this.now(),
      customer_id: 0,
      subscriber_email: `storefront${id}@example.net`,
      subscriber_status: 1,
      subscriber_confirm_code: `code${id}`.padEnd(32, '0'),
    });
    return true;
  }
}

/**
 * Runs the storefront at `rate` operations per second until `signal` aborts; resolves with
 * what it did. An operation that fails is counted, not fatal: a shop keeps selling.
 */
export async function runMagentoStorefront(
  conn: Connection,
  schema: string,
  opts: { rate: number; seed?: number; prefix?: string; signal: AbortSignal },
): Promise<{ stats: MagentoStorefrontStats; errors: number; firstError?: string; lastError?: string }> {
  const storefront = await MagentoStorefront.open(conn, schema, opts.seed ?? 1, opts.prefix ?? '');
  let errors = 0;
  let lastError: string | undefined;
  // The first says why: a failed operation can leave buffered rows that make later ones fail too.
  let firstError: string | undefined;
  const interval = 1000 / Math.max(1, opts.rate);
  while (!opts.signal.aborted) {
    const started = Date.now();
    try {
      await storefront.step();
    } catch (error) {
      errors++;
      lastError = (error as Error).message;
      firstError ??= lastError;
    }
    const wait = interval - (Date.now() - started);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  return { stats: storefront.stats, errors, ...(lastError ? { firstError, lastError } : {}) };
}

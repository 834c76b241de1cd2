/**
 * Shopping carts still open (1.9's sales_flat_quote with is_active 1): customers' and
 * guests', with items, the item options 1.9's cart keeps (info_buyRequest serialized; for a
 * configurable line the chosen attributes, the simple product and its qty), addresses and
 * the payment method picked so far (PayPal's serialized token and payer), and the shipping
 * rate 1.9 estimated for a customer's known address.
 */
import type { GeneratorContext, StoreLayout } from './context.js';
import type { GeneratedCustomer } from './customers.js';
import { orderLine, type SalesCatalog } from './orders.js';
import { type PhpValue, phpSerialize } from './php-serialize.js';

export async function writeQuote(
  ctx: GeneratorContext,
  layout: StoreLayout,
  catalog: SalesCatalog,
  customer: GeneratedCustomer | undefined,
  createdAt: string,
): Promise<number> {
  const { out, rng, clock } = ctx;
  const websiteIndex = customer?.websiteIndex ?? 0;
  const storeId = customer?.storeId ?? (layout.websites[websiteIndex]?.storeIds[0] as number);
  const pool = catalog.sellable.filter((p) => p.websiteIndexes.includes(websiteIndex));
  const lines = Array.from({ length: rng.int(1, 3) }, () =>
    orderLine(ctx, catalog, rng.pick(pool), rng.int(1, 2)),
  );
  const quoteId = await out.nextId('sales_flat_quote', 'entity_id');
  const subtotal = lines.reduce((s, l) => s + l.price * l.qty, 0);
  const currency = storeId === 1 ? 'USD' : 'EUR';
  const updatedAt = clock.after(createdAt, rng.int(60, 86_400));
  await out.add('sales_flat_quote', {
    entity_id: quoteId,
    store_id: storeId,
    created_at: createdAt,
    updated_at: updatedAt,
    converted_at: null,
    is_active: 1,
    is_virtual: 0,
    items_count: lines.length,
    items_qty: lines.reduce((s, l) => s + l.qty, 0).toFixed(4),
    base_currency_code: currency,
    store_currency_code: currency,
    quote_currency_code: currency,
    global_currency_code: 'USD',
    grand_total: subtotal.toFixed(4),
    base_grand_total: subtotal.toFixed(4),
    subtotal: subtotal.toFixed(4),
    base_subtotal: subtotal.toFixed(4),
    checkout_method: customer ? 'customer' : 'guest',
    customer_id: customer?.id ?? null,
    customer_tax_class_id: 3,
    customer_group_id: customer?.groupId ?? 0,
    customer_email: customer?.email ?? null,
    customer_firstname: customer?.firstname ?? null,
    customer_lastname: customer?.lastname ?? null,
    customer_is_guest: customer ? 0 : 1,
    remote_ip: `10.1.${rng.int(0, 255)}.${rng.int(1, 254)}`,
    reserved_order_id: null,
  });
  for (const line of lines) {
    const itemId = await out.nextId('sales_flat_quote_item', 'item_id');
    const item = async (
      id: number,
      parent: number | null,
      productId: number,
      sku: string,
      name: string,
      type: string,
      qty: number,
      price: number,
    ) =>
      out.add('sales_flat_quote_item', {
        item_id: id,
        quote_id: quoteId,
        created_at: createdAt,
        updated_at: updatedAt,
        product_id: productId,
        store_id: storeId,
        parent_item_id: parent,
        is_virtual: type === 'virtual' || type === 'downloadable' ? 1 : 0,
        sku,
        name,
        qty: qty.toFixed(4),
        price: price.toFixed(4),
        base_price: price.toFixed(4),
        row_total: (price * qty).toFixed(4),
        base_row_total: (price * qty).toFixed(4),
        product_type: type,
      });
    const option = (id: number, productId: number, code: string, value: string) =>
      out.add('sales_flat_quote_item_option', { item_id: id, product_id: productId, code, value });
    await item(
      itemId,
      null,
      line.product.id,
      line.product.sku,
      line.product.name,
      line.product.type,
      line.qty,
      line.price,
    );
    const buyRequest = (line.options as { info_buyRequest?: PhpValue }).info_buyRequest ?? null;
    await option(itemId, line.product.id, 'info_buyRequest', phpSerialize(buyRequest));
    for (const child of line.children) {
      const childId = await out.nextId('sales_flat_quote_item', 'item_id');
      await item(
        childId,
        itemId,
        child.product.id,
        child.product.sku,
        child.product.name,
        child.product.type,
        child.qty,
        child.price,
      );
      await option(childId, child.product.id, 'info_buyRequest', phpSerialize(buyRequest));
      if (line.product.type === 'configurable') {
        const superAttribute = (buyRequest as { super_attribute?: PhpValue } | null)?.super_attribute ?? null;
        await option(itemId, line.product.id, 'attributes', phpSerialize(superAttribute));
        await option(itemId, child.product.id, 'simple_product', String(child.product.id));
        await option(itemId, child.product.id, `product_qty_${child.product.id}`, String(child.qty));
      }
    }
  }
  const address = customer?.addresses[0];
  for (const type of ['billing', 'shipping']) {
    const addressId = await out.nextId('sales_flat_quote_address', 'address_id');
    await out.add('sales_flat_quote_address', {
      address_id: addressId,
      quote_id: quoteId,
      created_at: createdAt,
      updated_at: updatedAt,
      customer_id: customer?.id ?? null,
      save_in_address_book: 0,
      customer_address_id: address?.id ?? null,
      address_type: type,
      email: customer?.email ?? null,
      firstname: address?.firstname ?? null,
      lastname: address?.lastname ?? null,
      street: address?.street ?? null,
      city: address?.city ?? null,
      region: address?.region ?? null,
      region_id: address?.regionId ?? null,
      postcode: address?.postcode ?? null,
      country_id: address?.countryId ?? null,
      telephone: address?.telephone ?? null,
      same_as_billing: type === 'shipping' ? 1 : 0,
      subtotal: subtotal.toFixed(4),
      base_subtotal: subtotal.toFixed(4),
      grand_total: subtotal.toFixed(4),
      base_grand_total: subtotal.toFixed(4),
    });
    // The rate 1.9 keeps once a shipping address has been estimated (a customer's known address).
    if (type === 'shipping' && address) {
      await out.add('sales_flat_quote_shipping_rate', {
        address_id: addressId,
        created_at: createdAt,
        updated_at: updatedAt,
        carrier: 'flatrate',
        carrier_title: 'Flat Rate',
        code: 'flatrate_flatrate',
        method: 'flatrate',
        method_description: null,
        price: (5 * lines.length).toFixed(4),
        error_message: null,
        method_title: 'Fixed',
      });
    }
  }
  const method = rng.pick(['checkmo', 'paypal_express', null]);
  await out.add('sales_flat_quote_payment', {
    quote_id: quoteId,
    created_at: createdAt,
    updated_at: updatedAt,
    method,
    // PayPal Express keeps its token and payer in the payment's serialized additional information.
    additional_information:
      method === 'paypal_express'
        ? phpSerialize({
            paypal_express_checkout_token: `EC-${quoteId}X`,
            paypal_payer_id: `PAYER${quoteId}`,
          })
        : null,
  });
  return quoteId;
}

export async function generateQuotes(
  ctx: GeneratorContext,
  layout: StoreLayout,
  catalog: SalesCatalog,
  customers: GeneratedCustomer[],
  count: number,
): Promise<void> {
  for (let i = 0; i < count; i++) {
    const customer = customers.length && ctx.rng.chance(0.7) ? ctx.rng.pick(customers) : undefined;
    await writeQuote(ctx, layout, catalog, customer, ctx.clock.at(600 + ctx.rng.int(0, 100)));
  }
}

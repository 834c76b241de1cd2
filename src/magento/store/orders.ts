/**
 * Orders as 1.9's checkout and admin write them: the order with its totals, items (parent and
 * child rows for configurable and bundle lines; product_options PHP-serialized), billing and
 * shipping addresses, the payment (additional_information serialized), status history, the
 * grid row; then, by state, invoices, shipments with tracks, credit memos, their items,
 * comments and grids; downloadable purchases. Increment ids continue per store in
 * eav_entity_store, as 1.9's numeric increment model keeps them.
 */
import type { GeneratorContext, StoreLayout } from './context.js';
import type { GeneratedAddress, GeneratedCustomer } from './customers.js';
import { type PhpValue, phpSerialize } from './php-serialize.js';
import type { GeneratedProduct } from './products.js';

/** Every state 1.9 has, with its default status and the share of generated orders in it. */
export const ORDER_STATES: { state: string; status: string; share: number }[] = [
  { state: 'new', status: 'pending', share: 0.1 },
  { state: 'pending_payment', status: 'pending_payment', share: 0.05 },
  { state: 'processing', status: 'processing', share: 0.2 },
  { state: 'complete', status: 'complete', share: 0.38 },
  { state: 'closed', status: 'closed', share: 0.1 },
  { state: 'canceled', status: 'canceled', share: 0.1 },
  { state: 'holded', status: 'holded', share: 0.05 },
  { state: 'payment_review', status: 'payment_review', share: 0.02 },
];

const PAYMENT_METHODS = ['checkmo', 'paypal_express', 'purchaseorder', 'banktransfer', 'ccsave'];

/** Per store, the last increment id of each sales entity, as eav_entity_store keeps it. */
export class IncrementIds {
  private readonly last = new Map<string, number>();
  constructor(private readonly entityTypeIds: Record<string, number>) {}

  static async load(ctx: GeneratorContext): Promise<IncrementIds> {
    const types: Record<string, number> = {};
    for (const code of ['order', 'invoice', 'shipment', 'creditmemo'])
      types[code] = ctx.attributes.entityType(code).id;
    const ids = new IncrementIds(types);
    const rows = await ctx.out.select<{
      entity_type_id: number;
      store_id: number;
      increment_last_id: string;
    }>('SELECT entity_type_id, store_id, increment_last_id FROM {schema}.eav_entity_store');
    for (const r of rows) {
      const code = Object.entries(types).find(([, id]) => id === r.entity_type_id)?.[0];
      if (code) ids.last.set(`${code}/${r.store_id}`, Number(r.increment_last_id));
    }
    return ids;
  }

  /** The next increment id: the store id as prefix, then 8 digits ("100000001"). */
  next(entity: string, storeId: number): string {
    const key = `${entity}/${storeId}`;
    const prefix = String(storeId);
    const last = this.last.get(key) ?? Number(`${prefix}00000000`);
    this.last.set(key, last + 1);
    return String(last + 1);
  }

  /** Writes the counters back (insert or update), so 1.9 would continue from them. */
  async save(ctx: GeneratorContext): Promise<void> {
    for (const [key, last] of this.last) {
      const [entity, store] = key.split('/') as [string, string];
      const typeId = this.entityTypeIds[entity];
      const existing = await ctx.out.select<{ id: number }>(
        'SELECT entity_store_id AS id FROM {schema}.eav_entity_store WHERE entity_type_id = ? AND store_id = ?',
        [typeId, Number(store)],
      );
      if (existing[0]) {
        await ctx.out.execute(
          'UPDATE {schema}.eav_entity_store SET increment_last_id = ? WHERE entity_store_id = ?',
          [String(last), existing[0].id],
        );
      } else {
        await ctx.out.add('eav_entity_store', {
          entity_type_id: typeId,
          store_id: Number(store),
          increment_prefix: store,
          increment_last_id: String(last),
        });
      }
    }
    await ctx.out.flush();
  }
}

interface Line {
  product: GeneratedProduct;
  qty: number;
  price: number;
  options: PhpValue;
  /** Child rows (configurable: the chosen simple; bundle: the selections). */
  children: { product: GeneratedProduct; qty: number; price: number; options: PhpValue }[];
}

export interface OrderSpec {
  storeId: number;
  customer: GeneratedCustomer | undefined;
  lines: Line[];
  state: string;
  status: string;
  createdAt: string;
  paymentMethod: string;
}

export interface SalesCatalog {
  sellable: GeneratedProduct[];
  storeNames: Map<number, string>;
  optionLabels: Map<number, string>;
}

export async function salesCatalog(
  ctx: GeneratorContext,
  products: GeneratedProduct[],
): Promise<SalesCatalog> {
  const stores = await ctx.out.select<{ store_id: number; name: string; website: string; grp: string }>(
    `SELECT s.store_id, s.name, w.name AS website, g.name AS grp FROM {schema}.core_store s
     JOIN {schema}.core_website w ON w.website_id = s.website_id JOIN {schema}.core_store_group g ON g.group_id = s.group_id`,
  );
  const labels = await ctx.out.select<{ option_id: number; value: string }>(
    'SELECT option_id, value FROM {schema}.eav_attribute_option_value WHERE store_id = 0',
  );
  return {
    // Configurable children and grouped parents are not bought on their own.
    sellable: products.filter((p) => p.categoryIds.length > 0 && p.type !== 'grouped'),
    // 1.9 stores the store name as "website\ngroup\nview".
    storeNames: new Map(stores.map((s) => [s.store_id, `${s.website}\n${s.grp}\n${s.name}`])),
    optionLabels: new Map(labels.map((l) => [l.option_id, l.value])),
  };
}

/** One order line of a product, its options as 1.9 serializes them. */
export function orderLine(
  ctx: GeneratorContext,
  catalog: SalesCatalog,
  product: GeneratedProduct,
  qty: number,
): Line {
  const { rng } = ctx;
  const buyRequest: Record<string, PhpValue> = {
    uenc: 'aHR0cDovL3Nob3AuZXhhbXBsZS5jb20v',
    product: String(product.id),
    qty,
  };
  if (product.type === 'configurable' && product.children?.length && product.superAttributes) {
    const child = rng.pick(product.children);
    buyRequest.super_attribute = {
      [String(product.superAttributes.color)]: String(child.color),
      [String(product.superAttributes.size)]: String(child.size),
    };
    const options: PhpValue = {
      info_buyRequest: buyRequest,
      attributes_info: [
        { label: 'Color', value: catalog.optionLabels.get(child.color) ?? String(child.color) },
        { label: 'Size', value: catalog.optionLabels.get(child.size) ?? String(child.size) },
      ],
      simple_name: child.product.name,
      simple_sku: child.product.sku,
      product_calculations: 1,
      shipment_type: 0,
    };
    return {
      product,
      qty,
      price: product.price,
      options,
      children: [{ product: child.product, qty, price: 0, options: { info_buyRequest: buyRequest } }],
    };
  }
  if (product.type === 'bundle' && product.bundleOptions?.length) {
    const chosen = product.bundleOptions.map((o) => ({ option: o, selection: rng.pick(o.selections) }));
    buyRequest.bundle_option = Object.fromEntries(
      chosen.map((c) => [String(c.option.optionId), String(c.selection.selectionId)]),
    );
    const bundleOptions: Record<string, PhpValue> = {};
    for (const c of chosen) {
      bundleOptions[String(c.option.optionId)] = {
        option_id: String(c.option.optionId),
        label: c.option.title,
        value: [{ title: c.selection.product.name, qty: 1, price: c.selection.product.price }],
      };
    }
    const price = chosen.reduce((sum, c) => sum + c.selection.product.price, 0);
    return {
      product,
      qty,
      price,
      options: {
        info_buyRequest: buyRequest,
        bundle_options: bundleOptions,
        product_calculations: 1,
        shipment_type: 0,
      },
      children: chosen.map((c) => ({
        product: c.selection.product,
        qty,
        price: c.selection.product.price,
        options: {
          info_buyRequest: buyRequest,
          bundle_selection_attributes: phpSerialize({
            price: c.selection.product.price,
            qty: 1,
            option_label: c.option.title,
            option_id: String(c.option.optionId),
          }),
        },
      })),
    };
  }
  if (product.type === 'downloadable' && product.links?.length) {
    const links = product.links.map((l) => String(l.linkId));
    buyRequest.links = links;
    return {
      product,
      qty,
      price: product.price,
      options: { info_buyRequest: buyRequest, links },
      children: [],
    };
  }
  return { product, qty, price: product.price, options: { info_buyRequest: buyRequest }, children: [] };
}

/** A random order of the generated store. */
export function randomOrderSpec(
  ctx: GeneratorContext,
  layout: StoreLayout,
  catalog: SalesCatalog,
  customers: GeneratedCustomer[],
  day: number,
): OrderSpec {
  const { rng, clock } = ctx;
  const guest = customers.length === 0 || rng.chance(0.15);
  const customer = guest ? undefined : rng.pick(customers);
  const websiteIndex = customer?.websiteIndex ?? (rng.chance(0.2) ? 1 : 0);
  const storeId = customer?.storeId ?? (layout.websites[websiteIndex]?.storeIds[0] as number);
  const pool = catalog.sellable.filter((p) => p.websiteIndexes.includes(websiteIndex));
  const lines: Line[] = [];
  const count = rng.int(1, 4);
  for (let i = 0; i < count; i++) lines.push(orderLine(ctx, catalog, rng.pick(pool), rng.int(1, 3)));
  let roll = rng.next();
  let chosen = ORDER_STATES[0] as (typeof ORDER_STATES)[number];
  for (const s of ORDER_STATES) {
    if (roll < s.share) {
      chosen = s;
      break;
    }
    roll -= s.share;
  }
  return {
    storeId,
    customer,
    lines,
    state: chosen.state,
    status: chosen.status,
    createdAt: clock.at(day),
    paymentMethod: rng.pick(PAYMENT_METHODS),
  };
}

function money(n: number): string {
  return n.toFixed(4);
}

/** An invoice's or credit memo's line for one order item: the item billed (or refunded) whole. */
function billedItem(parentId: number, item: OrderDocs['itemRows'][number]) {
  return {
    parent_id: parentId,
    base_price: money(item.price),
    price: money(item.price),
    base_row_total: money(item.price * item.qty),
    row_total: money(item.price * item.qty),
    qty: money(item.qty),
    product_id: item.product.id,
    order_item_id: item.id,
    sku: item.product.sku,
    name: item.product.name,
  };
}

/** Writes one order and, by its state, its invoice, shipment and credit memo. Returns the order id. */
export async function writeOrder(
  ctx: GeneratorContext,
  catalog: SalesCatalog,
  increments: IncrementIds,
  spec: OrderSpec,
): Promise<{ orderId: number; incrementId: string }> {
  const { out, rng, clock } = ctx;
  const orderId = await out.nextId('sales_flat_order', 'entity_id');
  const incrementId = increments.next('order', spec.storeId);
  const customer = spec.customer;
  const isVirtual = spec.lines.every(
    (l) => l.product.type === 'virtual' || l.product.type === 'downloadable',
  );
  const subtotal = spec.lines.reduce((s, l) => s + l.price * l.qty, 0);
  const shipping = isVirtual ? 0 : 5;
  const discount = rng.chance(0.15) ? Math.round(subtotal * 10) / 100 : 0;
  const grand = subtotal + shipping - discount;
  const qtyOrdered = spec.lines.reduce((s, l) => s + l.qty, 0);
  const invoiced = ['processing', 'complete', 'closed'].includes(spec.state);
  const shipped = !isVirtual && (spec.state === 'complete' || spec.state === 'closed');
  const refunded = spec.state === 'closed';
  const canceled = spec.state === 'canceled';
  const updatedAt = clock.after(spec.createdAt, rng.int(60, 86_400 * 3));
  const currency = spec.storeId === 1 ? 'USD' : 'EUR';
  const address = customer?.addresses[0] ?? guestAddress(ctx);
  const firstname = customer?.firstname ?? address.firstname;
  const lastname = customer?.lastname ?? address.lastname;
  const email = customer?.email ?? `guest${orderId}@example.org`;
  const billingId = await out.nextId('sales_flat_order_address', 'entity_id');
  const shippingId = isVirtual ? null : await out.nextId('sales_flat_order_address', 'entity_id');

  await out.add('sales_flat_order', {
    entity_id: orderId,
    state: spec.state,
    status: spec.status,
    coupon_code: discount ? 'WELCOME10' : null,
    protect_code: rng.int(0x100000, 0xffffff).toString(16),
    shipping_description: isVirtual ? null : 'Flat Rate - Fixed',
    is_virtual: isVirtual ? 1 : 0,
    store_id: spec.storeId,
    customer_id: customer?.id ?? null,
    base_discount_amount: money(-discount),
    discount_amount: money(-discount),
    base_grand_total: money(grand),
    grand_total: money(grand),
    base_shipping_amount: money(shipping),
    shipping_amount: money(shipping),
    base_shipping_tax_amount: money(0),
    shipping_tax_amount: money(0),
    base_subtotal: money(subtotal),
    subtotal: money(subtotal),
    base_tax_amount: money(0),
    tax_amount: money(0),
    base_to_global_rate: 1,
    base_to_order_rate: 1,
    store_to_base_rate: 1,
    store_to_order_rate: 1,
    base_total_paid: invoiced ? money(grand) : null,
    total_paid: invoiced ? money(grand) : null,
    base_total_invoiced: invoiced ? money(grand) : null,
    total_invoiced: invoiced ? money(grand) : null,
    base_subtotal_invoiced: invoiced ? money(subtotal) : null,
    subtotal_invoiced: invoiced ? money(subtotal) : null,
    base_total_refunded: refunded ? money(grand) : null,
    total_refunded: refunded ? money(grand) : null,
    base_total_offline_refunded: refunded ? money(grand) : null,
    total_offline_refunded: refunded ? money(grand) : null,
    base_total_canceled: canceled ? money(grand) : null,
    total_canceled: canceled ? money(grand) : null,
    base_total_qty_ordered: null,
    total_qty_ordered: money(qtyOrdered),
    customer_is_guest: customer ? 0 : 1,
    customer_note_notify: 1,
    billing_address_id: billingId,
    shipping_address_id: shippingId,
    customer_group_id: customer?.groupId ?? 0,
    email_sent: 1,
    quote_id: null,
    base_subtotal_incl_tax: money(subtotal),
    subtotal_incl_tax: money(subtotal),
    base_total_due: invoiced ? money(0) : money(grand),
    total_due: invoiced ? money(0) : money(grand),
    weight: money(spec.lines.reduce((s, l) => s + l.product.weight * l.qty, 0)),
    increment_id: incrementId,
    applied_rule_ids: discount ? '1' : null,
    base_currency_code: currency,
    global_currency_code: 'USD',
    order_currency_code: currency,
    store_currency_code: currency,
    customer_email: email,
    customer_firstname: firstname,
    customer_lastname: lastname,
    remote_ip: `10.0.${rng.int(0, 255)}.${rng.int(1, 254)}`,
    shipping_method: isVirtual ? null : 'flatrate_flatrate',
    store_name: catalog.storeNames.get(spec.storeId) ?? null,
    customer_note: rng.chance(0.05) ? 'Bitte an der Tür abstellen — merci!' : null,
    created_at: spec.createdAt,
    updated_at: updatedAt,
    total_item_count: spec.lines.length,
    hold_before_state: spec.state === 'holded' ? 'processing' : null,
    hold_before_status: spec.state === 'holded' ? 'processing' : null,
    shipping_incl_tax: money(shipping),
    base_shipping_incl_tax: money(shipping),
    discount_description: discount ? 'WELCOME10' : null,
  });

  for (const [type, id] of [
    ['billing', billingId],
    ['shipping', shippingId],
  ] as const) {
    if (id === null) continue;
    await out.add('sales_flat_order_address', {
      entity_id: id,
      parent_id: orderId,
      customer_address_id: customer?.addresses[0]?.id ?? null,
      quote_address_id: null,
      region_id: address.regionId,
      customer_id: customer?.id ?? null,
      fax: null,
      region: address.region,
      postcode: address.postcode,
      lastname: address.lastname,
      street: address.street,
      city: address.city,
      email,
      telephone: address.telephone,
      country_id: address.countryId,
      firstname: address.firstname,
      address_type: type,
      company: address.company,
    });
  }

  const additional: PhpValue | null =
    spec.paymentMethod === 'paypal_express'
      ? {
          paypal_payer_id: `PAYER${orderId}`,
          paypal_payer_email: email,
          paypal_payer_status: 'verified',
          paypal_address_status: 'Confirmed',
          paypal_correlation_id: `c${orderId}`,
          paypal_express_checkout_payer_id: `PAYER${orderId}`,
          paypal_express_checkout_token: `EC-${orderId}`,
          paypal_payment_status: invoiced ? 'completed' : 'pending',
        }
      : spec.paymentMethod === 'ccsave'
        ? { cc_type: 'VI', cc_last4: '1111' }
        : null;
  await out.add('sales_flat_order_payment', {
    parent_id: orderId,
    base_shipping_amount: money(shipping),
    shipping_amount: money(shipping),
    base_amount_ordered: money(grand),
    amount_ordered: money(grand),
    base_amount_paid: invoiced ? money(grand) : null,
    amount_paid: invoiced ? money(grand) : null,
    base_amount_refunded: refunded ? money(grand) : null,
    amount_refunded: refunded ? money(grand) : null,
    base_amount_canceled: canceled ? money(grand) : null,
    method: spec.paymentMethod,
    po_number: spec.paymentMethod === 'purchaseorder' ? `PO-${orderId}` : null,
    cc_type: spec.paymentMethod === 'ccsave' ? 'VI' : null,
    cc_last4: spec.paymentMethod === 'ccsave' ? '1111' : null,
    cc_exp_month: spec.paymentMethod === 'ccsave' ? '12' : null,
    cc_exp_year: spec.paymentMethod === 'ccsave' ? '2019' : null,
    last_trans_id: spec.paymentMethod === 'paypal_express' && invoiced ? `TX${orderId}` : null,
    additional_information: additional === null ? null : phpSerialize(additional),
  });

  // Items: a parent row, then its children pointing at it.
  const itemRows: {
    id: number;
    parentId: number | null;
    product: GeneratedProduct;
    qty: number;
    price: number;
  }[] = [];
  for (const line of spec.lines) {
    const parentId = await out.nextId('sales_flat_order_item', 'item_id');
    itemRows.push({ id: parentId, parentId: null, product: line.product, qty: line.qty, price: line.price });
    await writeItem(
      ctx,
      orderId,
      spec,
      parentId,
      null,
      line.product,
      line.qty,
      line.price,
      line.options,
      invoiced,
      shipped,
      refunded,
      canceled,
      updatedAt,
    );
    for (const child of line.children) {
      const childId = await out.nextId('sales_flat_order_item', 'item_id');
      itemRows.push({ id: childId, parentId, product: child.product, qty: child.qty, price: child.price });
      await writeItem(
        ctx,
        orderId,
        spec,
        childId,
        parentId,
        child.product,
        child.qty,
        child.price,
        child.options,
        invoiced,
        shipped,
        refunded,
        canceled,
        updatedAt,
      );
    }
    if (line.product.type === 'downloadable' && line.product.links) {
      await writeDownloadablePurchase(ctx, orderId, incrementId, parentId, spec, line.product, invoiced);
    }
  }

  const history = async (status: string, comment: string | null, at: string, entity: string) =>
    out.add('sales_flat_order_status_history', {
      parent_id: orderId,
      is_customer_notified: comment ? 1 : 0,
      is_visible_on_front: comment && rng.chance(0.5) ? 1 : 0,
      comment,
      status,
      created_at: at,
      entity_name: entity,
    });
  await history('pending', null, spec.createdAt, 'order');
  if (spec.status !== 'pending') await history(spec.status, `Order ${spec.state}.`, updatedAt, 'order');

  const billingName = `${address.firstname} ${address.lastname}`;
  await out.add('sales_flat_order_grid', {
    entity_id: orderId,
    status: spec.status,
    store_id: spec.storeId,
    store_name: catalog.storeNames.get(spec.storeId) ?? null,
    customer_id: customer?.id ?? null,
    base_grand_total: money(grand),
    base_total_paid: invoiced ? money(grand) : null,
    grand_total: money(grand),
    total_paid: invoiced ? money(grand) : null,
    increment_id: incrementId,
    base_currency_code: currency,
    order_currency_code: currency,
    shipping_name: shippingId ? billingName : null,
    billing_name: billingName,
    created_at: spec.createdAt,
    updated_at: updatedAt,
  });

  const totals = { subtotal, shipping, discount, grand, currency, qty: qtyOrdered };
  const docs = {
    orderId,
    incrementId,
    billingId,
    shippingId,
    billingName,
    spec,
    updatedAt,
    totals,
    itemRows,
  };
  let invoiceId: number | null = null;
  if (invoiced) invoiceId = await writeInvoice(ctx, increments, docs);
  if (shipped) await writeShipment(ctx, increments, docs);
  if (refunded) await writeCreditmemo(ctx, increments, docs, invoiceId);
  return { orderId, incrementId };
}

function guestAddress(ctx: GeneratorContext): GeneratedAddress {
  const { rng } = ctx;
  return {
    id: 0,
    firstname: rng.pick(['Guest', 'Gäst', 'Invité']),
    lastname: rng.pick(['Buyer', 'Käufer']),
    street: `${rng.int(1, 200)} Side Road`,
    city: 'Hamburg',
    regionId: null,
    region: 'Hamburg',
    postcode: String(rng.int(20000, 22999)),
    countryId: 'DE',
    telephone: `+49 40 ${rng.int(100000, 999999)}`,
    company: null,
  };
}

async function writeItem(
  ctx: GeneratorContext,
  orderId: number,
  spec: OrderSpec,
  itemId: number,
  parentItemId: number | null,
  product: GeneratedProduct,
  qty: number,
  price: number,
  options: PhpValue,
  invoiced: boolean,
  shipped: boolean,
  refunded: boolean,
  canceled: boolean,
  updatedAt: string,
) {
  const virtual = product.type === 'virtual' || product.type === 'downloadable';
  await ctx.out.add('sales_flat_order_item', {
    item_id: itemId,
    order_id: orderId,
    parent_item_id: parentItemId,
    quote_item_id: null,
    store_id: spec.storeId,
    created_at: spec.createdAt,
    updated_at: updatedAt,
    product_id: product.id,
    product_type: product.type,
    product_options: phpSerialize(options),
    weight: virtual ? null : money(product.weight),
    is_virtual: virtual ? 1 : 0,
    sku: product.sku,
    name: product.name,
    free_shipping: 0,
    is_qty_decimal: 0,
    no_discount: 0,
    qty_canceled: money(canceled ? qty : 0),
    qty_invoiced: money(invoiced ? qty : 0),
    qty_ordered: money(qty),
    qty_refunded: money(refunded ? qty : 0),
    qty_shipped: money(shipped && !virtual ? qty : 0),
    price: money(price),
    base_price: money(price),
    original_price: money(product.price),
    base_original_price: money(product.price),
    tax_percent: money(0),
    tax_amount: money(0),
    base_tax_amount: money(0),
    row_total: money(price * qty),
    base_row_total: money(price * qty),
    row_invoiced: money(invoiced ? price * qty : 0),
    base_row_invoiced: money(invoiced ? price * qty : 0),
    row_weight: money(virtual ? 0 : product.weight * qty),
    price_incl_tax: money(price),
    base_price_incl_tax: money(price),
    row_total_incl_tax: money(price * qty),
    base_row_total_incl_tax: money(price * qty),
    amount_refunded: money(refunded ? price * qty : 0),
    base_amount_refunded: money(refunded ? price * qty : 0),
    is_nominal: 0,
  });
}

async function writeDownloadablePurchase(
  ctx: GeneratorContext,
  orderId: number,
  incrementId: string,
  itemId: number,
  spec: OrderSpec,
  product: GeneratedProduct,
  invoiced: boolean,
) {
  const { out } = ctx;
  const purchasedId = await out.nextId('downloadable_link_purchased', 'purchased_id');
  await out.add('downloadable_link_purchased', {
    purchased_id: purchasedId,
    order_id: orderId,
    order_increment_id: incrementId,
    order_item_id: itemId,
    created_at: spec.createdAt,
    updated_at: spec.createdAt,
    customer_id: spec.customer?.id ?? null,
    product_name: product.name,
    product_sku: product.sku,
    link_section_title: 'Downloads',
  });
  for (const link of product.links ?? []) {
    await out.add('downloadable_link_purchased_item', {
      purchased_id: purchasedId,
      order_item_id: itemId,
      product_id: product.id,
      link_hash: `${orderId}x${link.linkId}`.padEnd(32, '0'),
      number_of_downloads_bought: 0,
      number_of_downloads_used: 0,
      link_id: link.linkId,
      link_title: link.title,
      is_shareable: 0,
      link_url: null,
      link_file: `/${product.sku.toLowerCase()}.zip`,
      link_type: 'file',
      status: invoiced ? 'available' : 'pending',
      created_at: spec.createdAt,
      updated_at: spec.createdAt,
    });
  }
}

interface OrderDocs {
  orderId: number;
  incrementId: string;
  billingId: number;
  shippingId: number | null;
  billingName: string;
  spec: OrderSpec;
  updatedAt: string;
  totals: {
    subtotal: number;
    shipping: number;
    discount: number;
    grand: number;
    currency: string;
    qty: number;
  };
  itemRows: { id: number; parentId: number | null; product: GeneratedProduct; qty: number; price: number }[];
}

async function writeInvoice(ctx: GeneratorContext, increments: IncrementIds, d: OrderDocs): Promise<number> {
  const { out } = ctx;
  const id = await out.nextId('sales_flat_invoice', 'entity_id');
  const incrementId = increments.next('invoice', d.spec.storeId);
  const t = d.totals;
  await out.add('sales_flat_invoice', {
    entity_id: id,
    store_id: d.spec.storeId,
    base_grand_total: money(t.grand),
    grand_total: money(t.grand),
    shipping_amount: money(t.shipping),
    base_shipping_amount: money(t.shipping),
    subtotal: money(t.subtotal),
    base_subtotal: money(t.subtotal),
    discount_amount: money(-t.discount),
    base_discount_amount: money(-t.discount),
    tax_amount: money(0),
    base_tax_amount: money(0),
    total_qty: money(t.qty),
    billing_address_id: d.billingId,
    shipping_address_id: d.shippingId,
    order_id: d.orderId,
    email_sent: 1,
    state: 2,
    store_currency_code: t.currency,
    order_currency_code: t.currency,
    base_currency_code: t.currency,
    global_currency_code: 'USD',
    increment_id: incrementId,
    created_at: d.updatedAt,
    updated_at: d.updatedAt,
  });
  for (const item of d.itemRows) {
    await out.add('sales_flat_invoice_item', billedItem(id, item));
  }
  if (ctx.rng.chance(0.3)) {
    await out.add('sales_flat_invoice_comment', {
      parent_id: id,
      is_customer_notified: 1,
      is_visible_on_front: 0,
      comment: 'Paid in full, thank you.',
      created_at: d.updatedAt,
    });
  }
  await out.add('sales_flat_invoice_grid', {
    entity_id: id,
    store_id: d.spec.storeId,
    base_grand_total: money(t.grand),
    grand_total: money(t.grand),
    order_id: d.orderId,
    state: 2,
    store_currency_code: t.currency,
    order_currency_code: t.currency,
    base_currency_code: t.currency,
    global_currency_code: 'USD',
    increment_id: incrementId,
    order_increment_id: d.incrementId,
    created_at: d.updatedAt,
    order_created_at: d.spec.createdAt,
    billing_name: d.billingName,
  });
  await out.add('sales_flat_order_status_history', {
    parent_id: d.orderId,
    is_customer_notified: 0,
    is_visible_on_front: 0,
    comment: `Invoice #${incrementId} created.`,
    status: 'processing',
    created_at: d.updatedAt,
    entity_name: 'invoice',
  });
  return id;
}

async function writeShipment(ctx: GeneratorContext, increments: IncrementIds, d: OrderDocs): Promise<void> {
  const { out, rng } = ctx;
  const id = await out.nextId('sales_flat_shipment', 'entity_id');
  const incrementId = increments.next('shipment', d.spec.storeId);
  // Shipments list the rows that ship: simple lines and the children of composite lines.
  const shipping = d.itemRows.filter(
    (i) =>
      (i.parentId !== null || !['configurable', 'bundle'].includes(i.product.type)) &&
      i.product.type !== 'virtual' &&
      i.product.type !== 'downloadable',
  );
  const qty = shipping.reduce((s, i) => s + i.qty, 0);
  await out.add('sales_flat_shipment', {
    entity_id: id,
    store_id: d.spec.storeId,
    total_weight: null,
    total_qty: money(qty),
    email_sent: 1,
    order_id: d.orderId,
    customer_id: d.spec.customer?.id ?? null,
    shipping_address_id: d.shippingId,
    billing_address_id: d.billingId,
    shipment_status: null,
    increment_id: incrementId,
    created_at: d.updatedAt,
    updated_at: d.updatedAt,
  });
  for (const item of shipping) {
    await out.add('sales_flat_shipment_item', {
      parent_id: id,
      row_total: null,
      price: money(item.price),
      weight: money(item.product.weight),
      qty: money(item.qty),
      product_id: item.product.id,
      order_item_id: item.id,
      name: item.product.name,
      sku: item.product.sku,
    });
  }
  await out.add('sales_flat_shipment_track', {
    parent_id: id,
    weight: null,
    qty: null,
    order_id: d.orderId,
    track_number: `1Z${rng.int(100000000, 999999999)}`,
    description: null,
    title: 'United Parcel Service',
    carrier_code: 'ups',
    created_at: d.updatedAt,
    updated_at: d.updatedAt,
  });
  if (rng.chance(0.2)) {
    await out.add('sales_flat_shipment_comment', {
      parent_id: id,
      is_customer_notified: 1,
      is_visible_on_front: 1,
      comment: 'Left with the neighbour.',
      created_at: d.updatedAt,
    });
  }
  await out.add('sales_flat_shipment_grid', {
    entity_id: id,
    store_id: d.spec.storeId,
    total_qty: money(qty),
    order_id: d.orderId,
    shipment_status: null,
    increment_id: incrementId,
    order_increment_id: d.incrementId,
    created_at: d.updatedAt,
    order_created_at: d.spec.createdAt,
    shipping_name: d.billingName,
  });
}

async function writeCreditmemo(
  ctx: GeneratorContext,
  increments: IncrementIds,
  d: OrderDocs,
  invoiceId: number | null,
): Promise<void> {
  const { out } = ctx;
  const id = await out.nextId('sales_flat_creditmemo', 'entity_id');
  const incrementId = increments.next('creditmemo', d.spec.storeId);
  const t = d.totals;
  await out.add('sales_flat_creditmemo', {
    entity_id: id,
    store_id: d.spec.storeId,
    grand_total: money(t.grand),
    base_grand_total: money(t.grand),
    subtotal: money(t.subtotal),
    base_subtotal: money(t.subtotal),
    shipping_amount: money(t.shipping),
    base_shipping_amount: money(t.shipping),
    discount_amount: money(-t.discount),
    base_discount_amount: money(-t.discount),
    adjustment: money(0),
    order_id: d.orderId,
    email_sent: 1,
    state: 2,
    billing_address_id: d.billingId,
    shipping_address_id: d.shippingId,
    invoice_id: invoiceId,
    store_currency_code: t.currency,
    order_currency_code: t.currency,
    base_currency_code: t.currency,
    global_currency_code: 'USD',
    increment_id: incrementId,
    created_at: d.updatedAt,
    updated_at: d.updatedAt,
  });
  for (const item of d.itemRows) {
    await out.add('sales_flat_creditmemo_item', billedItem(id, item));
  }
  await out.add('sales_flat_creditmemo_comment', {
    parent_id: id,
    is_customer_notified: 1,
    is_visible_on_front: 1,
    comment: 'Refunded: item returned.',
    created_at: d.updatedAt,
  });
  await out.add('sales_flat_creditmemo_grid', {
    entity_id: id,
    store_id: d.spec.storeId,
    grand_total: money(t.grand),
    base_grand_total: money(t.grand),
    order_id: d.orderId,
    state: 2,
    invoice_id: invoiceId,
    store_currency_code: t.currency,
    order_currency_code: t.currency,
    base_currency_code: t.currency,
    global_currency_code: 'USD',
    increment_id: incrementId,
    order_increment_id: d.incrementId,
    created_at: d.updatedAt,
    order_created_at: d.spec.createdAt,
    billing_name: d.billingName,
  });
}

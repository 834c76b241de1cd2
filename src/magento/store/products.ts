/**
 * Products of the six 1.9 types with what 1.9's product save writes for each: the entity row,
 * EAV values on the admin store and overrides on the second store view, websites, categories,
 * stock item and status, media gallery, tier and group prices, custom options (every
 * seventh simple), related/up-sell/cross-sell links; configurable super attributes, labels, pricing and child links; bundle options,
 * titles and selections; grouped links with their qty; downloadable links, titles, prices
 * and samples.
 */

import type { ShopAttributes } from './attributes.js';
import type { GeneratedCategory } from './categories.js';
import { slug } from './categories.js';
import type { GeneratorContext, StoreLayout } from './context.js';
import { writeCustomOptions } from './custom-options.js';

export type ProductType = 'simple' | 'configurable' | 'grouped' | 'bundle' | 'virtual' | 'downloadable';

export interface GeneratedProduct {
  id: number;
  sku: string;
  name: string;
  type: ProductType;
  price: number;
  weight: number;
  /** Its URL key on the admin store; the second store view's is `<key>-de`. */
  urlKey: string;
  /** Catalog visibility: 1 is not visible on its own (configurable children). */
  visibility: number;
  /** Configurable: its children and their color/size option ids. */
  children?: { product: GeneratedProduct; color: number; size: number }[];
  superAttributes?: { color: number; size: number };
  /** Bundle: its options with one selection each chosen for orders. */
  bundleOptions?: {
    optionId: number;
    title: string;
    selections: { selectionId: number; product: GeneratedProduct }[];
  }[];
  /** Grouped: its members. */
  members?: GeneratedProduct[];
  /** Downloadable: its links. */
  links?: { linkId: number; title: string }[];
  /** Websites (indexes into the layout) it is sold on. */
  websiteIndexes: number[];
  /** Categories it is in. */
  categoryIds: number[];
}

const NOUNS = [
  'Shirt',
  'Jacket',
  'Lamp',
  'Mug',
  'Backpack',
  'Scarf',
  'Sneaker',
  'Clock',
  'Vase',
  'Headphones',
];
const ADJECTIVES = [
  'Classic',
  'Modern',
  'Cosy',
  'Elegant',
  'Rugged',
  'Vintage',
  'Crème',
  'Naïve',
  'Bold',
  'Slim',
];

/** How many products of each type a store with `count` products gets (children of configurables come on top). */
export function productMix(count: number): Record<ProductType, number> {
  const share = (p: number) => Math.max(1, Math.round(count * p));
  const configurable = share(0.1);
  const grouped = share(0.05);
  const bundle = share(0.05);
  const virtual = share(0.1);
  const downloadable = share(0.05);
  const simple = Math.max(6, count - configurable - grouped - bundle - virtual - downloadable);
  return { simple, configurable, grouped, bundle, virtual, downloadable };
}

export async function generateProducts(
  ctx: GeneratorContext,
  layout: StoreLayout,
  categories: GeneratedCategory[],
  shop: ShopAttributes,
  count: number,
): Promise<GeneratedProduct[]> {
  const { out, rng, clock, attributes } = ctx;
  const product = attributes.entityType('catalog_product');
  const override = layout.overrideStoreId;
  const mix = productMix(count);
  const all: GeneratedProduct[] = [];
  const media = attributes.attribute('catalog_product', 'media_gallery');
  const categoriesOf = (websiteIndex: number) => categories.filter((c) => c.websiteIndex === websiteIndex);

  const base = async (
    type: ProductType,
    opts: {
      setId?: number;
      visibility?: number;
      name?: string;
      sku?: string;
      inCategories?: boolean;
      /** Websites of its own (a configurable's children are on their parent's). */
      websiteIndexes?: number[];
      /** Custom options (writeCustomOptions: one of them required). */
      customOptions?: boolean;
    } = {},
  ): Promise<GeneratedProduct> => {
    const id = await out.nextId('catalog_product_entity', 'entity_id');
    const name = opts.name ?? `${rng.pick(ADJECTIVES)} ${rng.pick(NOUNS)} ${id}`;
    const sku = opts.sku ?? `${type.slice(0, 3).toUpperCase()}-${String(id).padStart(6, '0')}`;
    const physical = type === 'simple' || type === 'configurable' || type === 'bundle';
    const price = type === 'grouped' ? 0 : Number(rng.price(5, 300));
    const weight = physical ? rng.int(1, 50) / 10 : 0;
    const created = clock.at(rng.int(0, 60));
    const composite = type === 'configurable' || type === 'bundle';
    await out.add('catalog_product_entity', {
      entity_id: id,
      entity_type_id: product.id,
      attribute_set_id: opts.setId ?? shop.defaultSetId,
      type_id: type,
      sku,
      has_options: composite || type === 'downloadable' || opts.customOptions ? 1 : 0,
      required_options: composite || opts.customOptions ? 1 : 0,
      created_at: created,
      updated_at: clock.after(created, rng.int(0, 86_400 * 30)),
    });
    const visibility = opts.visibility ?? 4;
    const urlKey = `${slug(name)}-${id}`;
    const v = (code: string, value: unknown, store = 0) => ctx.eav('catalog_product', id, code, value, store);
    await v('name', name);
    await v('description', `<p>${name}: crafted with care. Größe & Qualität — “100%”.</p>`);
    await v('short_description', `${name}, short.`);
    await v('status', 1);
    await v('visibility', visibility);
    await v('tax_class_id', type === 'downloadable' || type === 'virtual' ? 0 : 2);
    await v('url_key', urlKey);
    await v('url_path', `${urlKey}.html`);
    await v('meta_title', name);
    await v('options_container', 'container2');
    await v('msrp_enabled', '2');
    await v('msrp_display_actual_price_type', '4');
    if (type !== 'grouped') await v('price', price.toFixed(4));
    if (physical && type !== 'configurable') await v('weight', weight.toFixed(4));
    if (rng.chance(0.2) && type !== 'grouped') await v('special_price', (price * 0.8).toFixed(4));
    if (rng.chance(0.2)) await v('news_from_date', clock.at(rng.int(60, 120)).slice(0, 10) + ' 00:00:00');
    if (type === 'simple' && rng.chance(0.5)) await v('manufacturer', rng.pick(shop.manufacturerOptions));
    if (type === 'simple' && rng.chance(0.5)) await v('material', rng.pick(['Cotton', 'Wool', 'Leinen']));

    const websiteIndexes = opts.websiteIndexes ?? (id % 2 === 0 ? [0, 1] : [0]);
    for (const w of websiteIndexes) {
      await out.add('catalog_product_website', { product_id: id, website_id: layout.websites[w]?.websiteId });
    }
    if (websiteIndexes.includes(1)) {
      // The second website's store view: a translated name, description and URL key; some products disabled there.
      await v('name', `${name} (DE)`, override);
      await v('description', `<p>${name} — auf Deutsch.</p>`, override);
      await v('url_key', `${urlKey}-de`, override);
      await v('url_path', `${urlKey}-de.html`, override);
      if (rng.chance(0.1)) await v('status', 2, override);
    }
    if (opts.customOptions) {
      await writeCustomOptions(ctx, id, price, websiteIndexes.includes(1) ? override : undefined);
    }
    const categoryIds: number[] = [];
    if (opts.inCategories !== false && visibility !== 1) {
      for (const w of websiteIndexes) {
        const pool = categoriesOf(w);
        const chosen = new Set([rng.pick(pool).id, rng.pick(pool).id]);
        for (const categoryId of chosen) {
          await out.add('catalog_category_product', {
            category_id: categoryId,
            product_id: id,
            position: rng.int(0, 20),
          });
          categoryIds.push(categoryId);
        }
      }
    }
    const qty = type === 'simple' || type === 'virtual' || type === 'downloadable' ? rng.int(0, 500) : 0;
    const inStock =
      type === 'simple' || type === 'virtual' || type === 'downloadable' ? (qty > 0 ? 1 : 0) : 1;
    await out.add('cataloginventory_stock_item', {
      product_id: id,
      stock_id: 1,
      qty: qty.toFixed(4),
      use_config_min_qty: 1,
      is_qty_decimal: 0,
      use_config_backorders: 1,
      use_config_min_sale_qty: 1,
      use_config_max_sale_qty: 1,
      is_in_stock: inStock,
      low_stock_date: inStock ? null : created,
      use_config_notify_stock_qty: 1,
      manage_stock: 0,
      use_config_manage_stock: 1,
    });
    for (const w of websiteIndexes) {
      await out.add('cataloginventory_stock_status', {
        product_id: id,
        website_id: layout.websites[w]?.websiteId,
        stock_id: 1,
        qty: qty.toFixed(4),
        stock_status: inStock,
      });
    }
    if (visibility !== 1) {
      const images = rng.int(1, 2);
      for (let i = 0; i < images; i++) {
        const valueId = await out.nextId('catalog_product_entity_media_gallery', 'value_id');
        const file = `/${sku[0]?.toLowerCase()}/${sku[1]?.toLowerCase()}/${sku.toLowerCase()}-${i}.jpg`;
        await out.add('catalog_product_entity_media_gallery', {
          value_id: valueId,
          attribute_id: media.id,
          entity_id: id,
          value: file,
        });
        await out.add('catalog_product_entity_media_gallery_value', {
          value_id: valueId,
          store_id: 0,
          label: `${name} ${i + 1}`,
          position: i + 1,
          disabled: 0,
        });
        if (websiteIndexes.includes(1) && i === 0) {
          await out.add('catalog_product_entity_media_gallery_value', {
            value_id: valueId,
            store_id: override,
            label: `${name} Bild`,
            position: 1,
            disabled: 0,
          });
        }
        if (i === 0) {
          await v('image', file);
          await v('small_image', file);
          await v('thumbnail', file);
        }
      }
    }
    const generated: GeneratedProduct = {
      id,
      sku,
      name,
      type,
      price,
      weight,
      urlKey,
      visibility,
      websiteIndexes,
      categoryIds,
    };
    all.push(generated);
    return generated;
  };

  const prices = async (p: GeneratedProduct) => {
    if (rng.chance(0.25)) {
      for (const qty of [5, 10]) {
        await out.add('catalog_product_entity_tier_price', {
          entity_id: p.id,
          all_groups: 1,
          customer_group_id: 0,
          qty: qty.toFixed(4),
          value: (p.price * (1 - qty / 100)).toFixed(4),
          website_id: 0,
        });
      }
    }
    if (rng.chance(0.15)) {
      await out.add('catalog_product_entity_group_price', {
        entity_id: p.id,
        all_groups: 0,
        customer_group_id: 2,
        value: (p.price * 0.9).toFixed(4),
        website_id: 0,
        is_percent: 0,
      });
    }
  };

  const simples: GeneratedProduct[] = [];
  for (let i = 0; i < mix.simple; i++) {
    const p = await base('simple', {
      setId: i % 3 === 0 ? shop.clothingSetId : shop.defaultSetId,
      customOptions: i % 7 === 3, // decided by position: the random sequence stays as it was
    });
    await prices(p);
    simples.push(p);
  }
  for (let i = 0; i < mix.virtual; i++) await prices(await base('virtual'));

  // Configurable: children in every color x size pair chosen, not visible on their own.
  const color = attributes.attribute('catalog_product', 'color').id;
  const size = attributes.attribute('catalog_product', 'size').id;
  for (let i = 0; i < mix.configurable; i++) {
    const parent = await base('configurable', { setId: shop.clothingSetId });
    parent.children = [];
    const colors = [rng.pick(shop.colorOptions), rng.pick(shop.colorOptions)].filter(
      (c, k, a) => a.indexOf(c) === k,
    );
    const sizes = shop.sizeOptions.slice(0, rng.int(2, shop.sizeOptions.length));
    for (const c of colors) {
      for (const s of sizes) {
        const child = await base('simple', {
          setId: shop.clothingSetId,
          visibility: 1,
          name: `${parent.name} ${c}-${s}`,
          sku: `${parent.sku}-${c}-${s}`,
          inCategories: false,
          websiteIndexes: parent.websiteIndexes,
        });
        await ctx.eav('catalog_product', child.id, 'color', c);
        await ctx.eav('catalog_product', child.id, 'size', s);
        await out.add('catalog_product_super_link', { product_id: child.id, parent_id: parent.id });
        await out.add('catalog_product_relation', { parent_id: parent.id, child_id: child.id });
        parent.children.push({ product: child, color: c, size: s });
      }
    }
    for (const [position, attributeId] of [color, size].entries()) {
      const superId = await out.nextId('catalog_product_super_attribute', 'product_super_attribute_id');
      await out.add('catalog_product_super_attribute', {
        product_super_attribute_id: superId,
        product_id: parent.id,
        attribute_id: attributeId,
        position,
      });
      await out.add('catalog_product_super_attribute_label', {
        product_super_attribute_id: superId,
        store_id: 0,
        use_default: 1,
        value: position === 0 ? 'Color' : 'Size',
      });
      if (attributeId === size && sizes.length > 2) {
        await out.add('catalog_product_super_attribute_pricing', {
          product_super_attribute_id: superId,
          value_index: String(sizes[sizes.length - 1]),
          is_percent: 0,
          pricing_value: '5.0000',
          website_id: 0,
        });
      }
    }
    parent.superAttributes = { color, size };
  }

  const standalone = simples.filter((s) => s.type === 'simple');
  for (let i = 0; i < mix.bundle; i++) {
    const bundle = await base('bundle');
    for (const [code, value] of [
      ['price_type', 0],
      ['sku_type', 0],
      ['weight_type', 0],
      ['price_view', 0],
      ['shipment_type', 0],
    ] as const) {
      await ctx.eav('catalog_product', bundle.id, code, value);
    }
    bundle.bundleOptions = [];
    for (let o = 0; o < 2; o++) {
      const optionId = await out.nextId('catalog_product_bundle_option', 'option_id');
      const title = o === 0 ? 'Main item' : 'Extra';
      await out.add('catalog_product_bundle_option', {
        option_id: optionId,
        parent_id: bundle.id,
        required: o === 0 ? 1 : 0,
        position: o + 1,
        type: o === 0 ? 'select' : 'checkbox',
      });
      await out.add('catalog_product_bundle_option_value', { option_id: optionId, store_id: 0, title });
      const selections: { selectionId: number; product: GeneratedProduct }[] = [];
      const picked = [rng.pick(standalone), rng.pick(standalone)].filter((p, k, a) => a.indexOf(p) === k);
      for (const [position, member] of picked.entries()) {
        const selectionId = await out.nextId('catalog_product_bundle_selection', 'selection_id');
        await out.add('catalog_product_bundle_selection', {
          selection_id: selectionId,
          option_id: optionId,
          parent_product_id: bundle.id,
          product_id: member.id,
          position,
          is_default: position === 0 ? 1 : 0,
          selection_price_type: 0,
          selection_price_value: '0.0000',
          selection_qty: '1.0000',
          selection_can_change_qty: 1,
        });
        selections.push({ selectionId, product: member });
      }
      bundle.bundleOptions.push({ optionId, title, selections });
    }
    for (const id of new Set(bundle.bundleOptions.flatMap((o) => o.selections.map((s) => s.product.id)))) {
      await out.add('catalog_product_relation', { parent_id: bundle.id, child_id: id });
    }
  }

  for (let i = 0; i < mix.grouped; i++) {
    const grouped = await base('grouped');
    const members = [rng.pick(standalone), rng.pick(standalone), rng.pick(standalone)].filter(
      (p, k, a) => a.indexOf(p) === k,
    );
    grouped.members = members;
    for (const [position, member] of members.entries()) {
      const linkId = await link(ctx, grouped.id, member.id, 3);
      if (linkId === undefined) continue;
      await out.add('catalog_product_link_attribute_int', {
        product_link_attribute_id: await linkAttribute(ctx, 3, 'position'),
        link_id: linkId,
        value: position,
      });
      await out.add('catalog_product_link_attribute_decimal', {
        product_link_attribute_id: await linkAttribute(ctx, 3, 'qty'),
        link_id: linkId,
        value: '1.0000',
      });
      await out.add('catalog_product_relation', { parent_id: grouped.id, child_id: member.id });
    }
  }

  for (let i = 0; i < mix.downloadable; i++) {
    const d = await base('downloadable');
    await ctx.eav('catalog_product', d.id, 'links_purchased_separately', 1);
    await ctx.eav('catalog_product', d.id, 'links_title', 'Downloads');
    await ctx.eav('catalog_product', d.id, 'samples_title', 'Samples');
    await ctx.eav('catalog_product', d.id, 'links_exist', 1);
    d.links = [];
    for (let l = 0; l < 2; l++) {
      const linkId = await out.nextId('downloadable_link', 'link_id');
      const title = l === 0 ? 'PDF edition' : 'EPUB edition';
      await out.add('downloadable_link', {
        link_id: linkId,
        product_id: d.id,
        sort_order: l,
        number_of_downloads: l === 0 ? 0 : 5,
        is_shareable: 2,
        link_url: null,
        link_file: `/${d.sku.toLowerCase()}-${l}.zip`,
        link_type: 'file',
        sample_url: null,
        sample_file: null,
        sample_type: null,
      });
      await out.add('downloadable_link_title', { link_id: linkId, store_id: 0, title });
      await out.add('downloadable_link_price', { link_id: linkId, website_id: 0, price: (l * 2).toFixed(4) });
      d.links.push({ linkId, title });
    }
    const sampleId = await out.nextId('downloadable_sample', 'sample_id');
    await out.add('downloadable_sample', {
      sample_id: sampleId,
      product_id: d.id,
      sample_url: `https://shop.example.com/samples/${d.sku.toLowerCase()}.pdf`,
      sample_file: null,
      sample_type: 'url',
      sort_order: 0,
    });
    await out.add('downloadable_sample_title', { sample_id: sampleId, store_id: 0, title: 'Sample chapter' });
  }

  // Related, up-sell and cross-sell links between visible products, with their position.
  const visible = all.filter((p) => p.categoryIds.length > 0);
  for (const p of visible) {
    for (const type of [1, 4, 5]) {
      if (!rng.chance(0.4)) continue;
      const other = rng.pick(visible);
      if (other.id === p.id) continue;
      const linkId = await link(ctx, p.id, other.id, type);
      if (linkId === undefined) continue;
      await out.add('catalog_product_link_attribute_int', {
        product_link_attribute_id: await linkAttribute(ctx, type, 'position'),
        link_id: linkId,
        value: rng.int(0, 10),
      });
    }
  }
  return all;
}

const linkAttributes = new WeakMap<GeneratorContext, Map<string, number>>();

/** The id of a link type's attribute (position, qty), looked up in the install. */
async function linkAttribute(ctx: GeneratorContext, typeId: number, code: string): Promise<number> {
  let known = linkAttributes.get(ctx);
  if (!known) {
    known = new Map();
    const rows = await ctx.out.select<{ id: number; type: number; code: string }>(
      'SELECT product_link_attribute_id AS id, link_type_id AS type, product_link_attribute_code AS code FROM {schema}.catalog_product_link_attribute',
    );
    for (const r of rows) known.set(`${r.type}/${r.code}`, r.id);
    linkAttributes.set(ctx, known);
  }
  const id = known.get(`${typeId}/${code}`);
  if (id === undefined)
    throw new Error(`store generator: the install has no link attribute ${code} for link type ${typeId}`);
  return id;
}

const linkKeys = new WeakMap<GeneratorContext, Set<string>>();

/** Writes a product link once per (product, linked product, type), as the unique key demands. */
async function link(
  ctx: GeneratorContext,
  productId: number,
  linkedId: number,
  typeId: number,
): Promise<number | undefined> {
  let seen = linkKeys.get(ctx);
  if (!seen) {
    seen = new Set();
    linkKeys.set(ctx, seen);
  }
  const key = `${typeId}/${productId}/${linkedId}`;
  if (seen.has(key)) return undefined;
  seen.add(key);
  const linkId = await ctx.out.nextId('catalog_product_link', 'link_id');
  await ctx.out.add('catalog_product_link', {
    link_id: linkId,
    product_id: productId,
    linked_product_id: linkedId,
    link_type_id: typeId,
  });
  return linkId;
}

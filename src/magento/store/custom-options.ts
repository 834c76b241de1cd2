/**
 * A product's custom options as 1.9's product save writes them: a required drop-down (its
 * values with sku, title and price) and an optional text field (its title and price), each
 * titled on the admin store and translated on the second store view when the product is sold
 * there. The product's has_options and required_options are the caller's (its entity row).
 */
import type { GeneratorContext } from './context.js';

export async function writeCustomOptions(
  ctx: GeneratorContext,
  productId: number,
  price: number,
  /** The second store view's id when the product is sold there. */
  translatedStore: number | undefined,
): Promise<void> {
  const { out } = ctx;
  const title = async (table: string, key: string, id: number, admin: string, translated: string) => {
    await out.add(table, { [key]: id, store_id: 0, title: admin });
    if (translatedStore !== undefined)
      await out.add(table, { [key]: id, store_id: translatedStore, title: translated });
  };

  const wrap = await out.nextId('catalog_product_option', 'option_id');
  await out.add('catalog_product_option', {
    option_id: wrap,
    product_id: productId,
    type: 'drop_down',
    is_require: 1,
    sku: null,
    max_characters: null,
    file_extension: null,
    image_size_x: 0,
    image_size_y: 0,
    sort_order: 1,
  });
  await title('catalog_product_option_title', 'option_id', wrap, 'Gift wrap', 'Geschenkverpackung');
  const values = [
    { sku: 'wrap-none', admin: 'None', translated: 'Keine', price: 0 },
    { sku: 'wrap-paper', admin: 'Paper', translated: 'Papier', price: 2.5 },
    { sku: 'wrap-box', admin: 'Box', translated: 'Schachtel', price: Math.round(price * 5) / 100 },
  ];
  for (const [i, value] of values.entries()) {
    const typeId = await out.nextId('catalog_product_option_type_value', 'option_type_id');
    await out.add('catalog_product_option_type_value', {
      option_type_id: typeId,
      option_id: wrap,
      sku: value.sku,
      sort_order: i,
    });
    await title('catalog_product_option_type_title', 'option_type_id', typeId, value.admin, value.translated);
    await out.add('catalog_product_option_type_price', {
      option_type_id: typeId,
      store_id: 0,
      price: value.price.toFixed(4),
      price_type: 'fixed',
    });
  }

  const engraving = await out.nextId('catalog_product_option', 'option_id');
  await out.add('catalog_product_option', {
    option_id: engraving,
    product_id: productId,
    type: 'field',
    is_require: 0,
    sku: 'engraving',
    max_characters: 20,
    file_extension: null,
    image_size_x: 0,
    image_size_y: 0,
    sort_order: 2,
  });
  await title('catalog_product_option_title', 'option_id', engraving, 'Engraving', 'Gravur');
  await out.add('catalog_product_option_price', {
    option_id: engraving,
    store_id: 0,
    price: '10.0000',
    price_type: 'percent',
  });
}

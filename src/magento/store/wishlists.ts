/**
 * Wishlists as 1.9 keeps them: one per customer who has one (some shared, with a sharing
 * code), items on the customer's store view with a qty and sometimes a note, and the
 * info_buyRequest option 1.9 stores with each item (PHP-serialized).
 */
import { createHash } from 'node:crypto';
import type { GeneratorContext } from './context.js';
import type { GeneratedCustomer } from './customers.js';
import { phpSerialize } from './php-serialize.js';
import type { GeneratedProduct } from './products.js';

export async function generateWishlists(
  ctx: GeneratorContext,
  customers: GeneratedCustomer[],
  products: GeneratedProduct[],
): Promise<void> {
  const { out, rng, clock } = ctx;
  for (const customer of customers) {
    if (!rng.chance(0.2)) continue;
    const pool = products.filter(
      (p) => p.visibility !== 1 && p.websiteIndexes.includes(customer.websiteIndex),
    );
    if (pool.length === 0) continue;
    const wishlistId = await out.nextId('wishlist', 'wishlist_id');
    const updated = clock.at(rng.int(200, 700));
    await out.add('wishlist', {
      wishlist_id: wishlistId,
      customer_id: customer.id,
      shared: rng.chance(0.2) ? 1 : 0,
      sharing_code: createHash('md5').update(`wishlist${wishlistId}`).digest('hex'),
      updated_at: updated,
    });
    const chosen = new Set(Array.from({ length: rng.int(1, 3) }, () => rng.pick(pool)));
    for (const product of chosen) {
      const itemId = await out.nextId('wishlist_item', 'wishlist_item_id');
      const qty = rng.int(1, 2);
      await out.add('wishlist_item', {
        wishlist_item_id: itemId,
        wishlist_id: wishlistId,
        product_id: product.id,
        store_id: customer.storeId,
        added_at: updated,
        // 1.9's tables are utf8mb3: accents yes, 4-byte characters (emoji) no.
        description: rng.chance(0.2) ? 'Für Weihnachten' : null,
        qty: qty.toFixed(4),
      });
      await out.add('wishlist_item_option', {
        wishlist_item_id: itemId,
        product_id: product.id,
        code: 'info_buyRequest',
        value: phpSerialize({ product: String(product.id), qty }),
      });
    }
  }
}

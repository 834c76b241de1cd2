/**
 * Newsletter subscribers as 1.9 keeps them: customers (customer_id set) and guests
 * (customer_id 0, 1.9's "no customer"), in each status 1.9 knows: subscribed (1), not
 * activated (2), unsubscribed (3), unconfirmed (4).
 */
import { createHash } from 'node:crypto';
import type { GeneratorContext, StoreLayout } from './context.js';
import type { GeneratedCustomer } from './customers.js';

export async function generateNewsletter(
  ctx: GeneratorContext,
  layout: StoreLayout,
  customers: GeneratedCustomer[],
  guests: number,
): Promise<void> {
  const { out, rng, clock } = ctx;
  const subscriber = async (store: number, customerId: number, email: string) =>
    out.add('newsletter_subscriber', {
      store_id: store,
      change_status_at: clock.at(rng.int(30, 700)),
      customer_id: customerId,
      subscriber_email: email,
      subscriber_status: rng.pick([1, 1, 1, 2, 3, 4]),
      subscriber_confirm_code: createHash('md5').update(email).digest('hex').slice(0, 32),
    });
  for (const c of customers) if (rng.chance(0.3)) await subscriber(c.storeId, c.id, c.email);
  for (let i = 0; i < guests; i++)
    await subscriber(rng.pick(layout.storeIds), 0, `reader${i + 1}@example.net`);
}

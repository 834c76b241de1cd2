/**
 * 1.9's visitor log: visitors with their first and last visit, browser info, the URLs they
 * viewed (log_url_info + log_url), the customers among them (log_customer) and their carts
 * (log_quote).
 */
import type { GeneratorContext, StoreLayout } from './context.js';
import type { GeneratedCustomer } from './customers.js';

export async function generateVisitors(
  ctx: GeneratorContext,
  layout: StoreLayout,
  customers: GeneratedCustomer[],
  count: number,
): Promise<void> {
  const { out, rng, clock } = ctx;
  for (let i = 0; i < count; i++) {
    const visitorId = await out.nextId('log_visitor', 'visitor_id');
    const store = rng.pick(layout.storeIds);
    const first = clock.at(rng.int(400, 700));
    const urls: number[] = [];
    for (let u = 0; u < rng.int(1, 3); u++) {
      const urlId = await out.nextId('log_url_info', 'url_id');
      await out.add('log_url_info', {
        url_id: urlId,
        url: `https://shop.example.com/${rng.pick(['women.html', 'men/tops.html', 'checkout/cart/', 'customer/account/'])}`,
        referer: u === 0 ? 'https://www.google.com/' : null,
      });
      await out.add('log_url', {
        url_id: urlId,
        visitor_id: visitorId,
        visit_time: clock.after(first, u * 30),
      });
      urls.push(urlId);
    }
    await out.add('log_visitor', {
      visitor_id: visitorId,
      session_id: `sess${String(visitorId).padStart(12, '0')}`,
      first_visit_at: first,
      last_visit_at: clock.after(first, urls.length * 30),
      last_url_id: urls[urls.length - 1] ?? 0,
      store_id: store,
    });
    await out.add('log_visitor_info', {
      visitor_id: visitorId,
      http_referer: 'https://www.google.com/',
      http_user_agent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/45.0',
      http_accept_charset: null,
      http_accept_language: rng.pick(['en-US,en;q=0.8', 'de-DE,de;q=0.9']),
      server_addr: 167772161,
      remote_addr: 167772162 + (visitorId % 1000),
    });
    if (customers.length && rng.chance(0.3)) {
      const customer = rng.pick(customers);
      await out.add('log_customer', {
        visitor_id: visitorId,
        customer_id: customer.id,
        login_at: first,
        logout_at: rng.chance(0.5) ? clock.after(first, 600) : null,
        store_id: customer.storeId,
      });
    }
  }
}

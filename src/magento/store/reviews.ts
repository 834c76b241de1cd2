/**
 * Product reviews and ratings as 1.9 writes them: the installer's ratings made active on the
 * store views (rating_store) with a translated title; reviews with their detail, stores,
 * one vote per rating, and the summary and aggregate rows 1.9 refreshes after a review.
 */
import type { GeneratorContext, StoreLayout } from './context.js';
import type { GeneratedCustomer } from './customers.js';
import type { GeneratedProduct } from './products.js';

export interface ReviewSetup {
  ratings: { rating_id: number; rating_code: string }[];
  options: { option_id: number; rating_id: number; value: number }[];
  entityId: number;
  approved: number;
  statuses: { status_id: number; status_code: string }[];
}

/** The install's ratings, their options and the review entity and status ids, by code. */
export async function reviewSetup(ctx: GeneratorContext): Promise<ReviewSetup> {
  const { out } = ctx;
  const ratings = await out.select<{ rating_id: number; rating_code: string }>(
    'SELECT rating_id, rating_code FROM {schema}.rating ORDER BY rating_id',
  );
  const options = await out.select<{ option_id: number; rating_id: number; value: number }>(
    'SELECT option_id, rating_id, value FROM {schema}.rating_option ORDER BY option_id',
  );
  const productEntity = await out.select<{ entity_id: number }>(
    "SELECT entity_id FROM {schema}.review_entity WHERE entity_code = 'product'",
  );
  const statuses = await out.select<{ status_id: number; status_code: string }>(
    'SELECT status_id, status_code FROM {schema}.review_status ORDER BY status_id',
  );
  const approved = statuses.find((s) => s.status_code === 'Approved')?.status_id ?? 1;
  return { ratings, options, entityId: productEntity[0]?.entity_id ?? 1, approved, statuses };
}

/** One review of a product with its detail, stores and a vote per rating; returns the votes. */
export async function writeReview(
  ctx: GeneratorContext,
  layout: StoreLayout,
  setup: ReviewSetup,
  product: GeneratedProduct,
  customers: GeneratedCustomer[],
  created: string,
): Promise<{ ratingId: number; value: number; store: number; approved: boolean }[]> {
  const { out, rng } = ctx;
  const websiteIndex = rng.pick(product.websiteIndexes);
  const store = layout.websites[websiteIndex]?.storeIds[0] as number;
  const customer = rng.chance(0.6)
    ? customers.find((c) => c.websiteIndex === websiteIndex && rng.chance(0.1))
    : undefined;
  const reviewId = await out.nextId('review', 'review_id');
  const status = rng.chance(0.8) ? setup.approved : rng.pick(setup.statuses).status_id;
  await out.add('review', {
    review_id: reviewId,
    created_at: created,
    entity_id: setup.entityId,
    entity_pk_value: product.id,
    status_id: status,
  });
  await out.add('review_detail', {
    review_id: reviewId,
    store_id: store,
    title: rng.pick(['Great!', 'Not bad', 'Très bien', 'Schön']),
    detail: 'Would buy again — 5 stars from me.',
    nickname: customer?.firstname ?? 'Guest',
    customer_id: customer?.id ?? null,
  });
  for (const s of new Set([0, store])) await out.add('review_store', { review_id: reviewId, store_id: s });
  const votes: { ratingId: number; value: number; store: number; approved: boolean }[] = [];
  for (const rating of setup.ratings) {
    const option = rng.pick(setup.options.filter((o) => o.rating_id === rating.rating_id));
    await out.add('rating_option_vote', {
      option_id: option.option_id,
      remote_ip: '10.0.0.1',
      remote_ip_long: 167772161,
      customer_id: customer?.id ?? null,
      entity_pk_value: product.id,
      rating_id: rating.rating_id,
      review_id: reviewId,
      percent: option.value * 20,
      value: option.value,
    });
    votes.push({
      ratingId: rating.rating_id,
      value: option.value,
      store,
      approved: status === setup.approved,
    });
  }
  return votes;
}

export async function generateReviews(
  ctx: GeneratorContext,
  layout: StoreLayout,
  products: GeneratedProduct[],
  customers: GeneratedCustomer[],
  count: number,
): Promise<void> {
  const { out, rng, clock } = ctx;
  const { ratings, options, entityId, approved, statuses } = await reviewSetup(ctx);
  for (const r of ratings) {
    for (const store of [0, ...layout.storeIds])
      await out.add('rating_store', { rating_id: r.rating_id, store_id: store });
    await out.add('rating_title', {
      rating_id: r.rating_id,
      store_id: layout.overrideStoreId,
      value: `${r.rating_code} (DE)`,
    });
  }
  const visible = products.filter((p) => p.visibility !== 1);
  const summary = new Map<
    string,
    { count: number; sum: number; approvedCount: number; approvedSum: number }
  >();
  const setup = { ratings, options, entityId, approved, statuses };
  for (let i = 0; i < count; i++) {
    const product = rng.pick(visible);
    const votes = await writeReview(ctx, layout, setup, product, customers, clock.at(rng.int(100, 700)));
    for (const vote of votes) {
      for (const s of [0, vote.store]) {
        const key = `${vote.ratingId}/${product.id}/${s}`;
        const agg = summary.get(key) ?? { count: 0, sum: 0, approvedCount: 0, approvedSum: 0 };
        agg.count++;
        agg.sum += vote.value;
        if (vote.approved) {
          agg.approvedCount++;
          agg.approvedSum += vote.value;
        }
        summary.set(key, agg);
      }
    }
  }
  const perProduct = new Map<string, { reviews: number; percent: number[] }>();
  for (const [key, agg] of summary) {
    const [ratingId, productId, store] = key.split('/').map(Number) as [number, number, number];
    await out.add('rating_option_vote_aggregated', {
      rating_id: ratingId,
      entity_pk_value: productId,
      vote_count: agg.count,
      vote_value_sum: agg.sum,
      percent: Math.round((agg.sum / agg.count) * 20),
      percent_approved: agg.approvedCount ? Math.round((agg.approvedSum / agg.approvedCount) * 20) : 0,
      store_id: store,
    });
    const p = perProduct.get(`${productId}/${store}`) ?? { reviews: agg.approvedCount, percent: [] };
    p.percent.push(agg.approvedCount ? (agg.approvedSum / agg.approvedCount) * 20 : 0);
    perProduct.set(`${productId}/${store}`, p);
  }
  for (const [key, p] of perProduct) {
    const [productId, store] = key.split('/').map(Number) as [number, number];
    await out.add('review_entity_summary', {
      entity_pk_value: productId,
      entity_type: entityId,
      reviews_count: p.reviews,
      rating_summary: Math.round(p.percent.reduce((a, b) => a + b, 0) / p.percent.length),
      store_id: store,
    });
  }
}

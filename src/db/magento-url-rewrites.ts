/**
 * URL rewrites by natural key, for the profile's verification: (request path, store code) ->
 * what the rewrite leads to, read alike from 1.9's core_url_rewrite and 2.4's url_rewrite, a
 * range of rewrite ids at a time.
 */
import type { Queryable } from './database.js';
import { qualifiedName } from './identifiers.js';

export interface RewriteByPath {
  requestPath: string;
  store: string;
  /** target path, redirect and entity, as one comparable text. */
  leadsTo: string;
}

const REDIRECT_19 = "CASE r.options WHEN 'RP' THEN 301 WHEN 'R' THEN 302 ELSE 0 END";
const ENTITY_19 =
  "CASE WHEN r.product_id IS NOT NULL THEN CONCAT('product ', r.product_id) WHEN r.category_id IS NOT NULL THEN CONCAT('category ', r.category_id) ELSE 'custom 0' END";

export async function readRewrites(
  db: Queryable,
  side: { schema: string; prefix: string; version: '1.9' | '2.4' },
  after: number,
  upTo: number,
): Promise<RewriteByPath[]> {
  const t = (name: string) => qualifiedName(side.schema, `${side.prefix}${name}`);
  const sql =
    side.version === '1.9'
      ? `SELECT r.request_path, s.code AS store, CONCAT_WS(' | ', r.target_path, ${REDIRECT_19}, ${ENTITY_19}) AS leads_to
           FROM ${t('core_url_rewrite')} r JOIN ${t('core_store')} s ON s.store_id = r.store_id
          WHERE r.url_rewrite_id > ? AND r.url_rewrite_id <= ?`
      : `SELECT r.request_path, s.code AS store, CONCAT_WS(' | ', r.target_path, r.redirect_type, CONCAT(r.entity_type, ' ', r.entity_id)) AS leads_to
           FROM ${t('url_rewrite')} r JOIN ${t('store')} s ON s.store_id = r.store_id
          WHERE r.url_rewrite_id > ? AND r.url_rewrite_id <= ?`;
  const rows = await db.query<{ request_path: string | null; store: string; leads_to: string }>(sql, [
    after,
    upTo,
  ]);
  return rows.map((r) => ({ requestPath: r.request_path ?? '', store: r.store, leadsTo: r.leads_to }));
}

/** The highest rewrite id of a side (0 when empty). */
export async function maxRewriteId(db: Queryable, schema: string, table: string): Promise<number> {
  const [row] = await db.query<{ id: string | null }>(
    `SELECT MAX(url_rewrite_id) AS id FROM ${qualifiedName(schema, table)}`,
  );
  return Number(row?.id ?? 0);
}

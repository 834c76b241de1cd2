/**
 * 1.9's core_url_rewrite row into 2.4's url_rewrite row. 1.9 says what a rewrite leads to with
 * product_id / category_id (a product in a category has both); 2.4 with entity_type +
 * entity_id, the category of a product's rewrite in `metadata`, and a redirect as a status
 * code where 1.9 wrote options 'RP' (permanent) or 'R' (temporary). target_path keeps its
 * meaning (2.4 spells system targets as 1.9 did: catalog/product/view/id/5/category/3).
 *
 * The map runs them in this order on the source row, each reading what the ones before left:
 * `id_path` -> entity type (reads product_id, category_id), `product_id` -> entity id (reads
 * category_id), `category_id` -> metadata (reads the entity type now in id_path).
 */
import { type HandlerDefinition, HandlerRejection, type Value } from '../../../handlers/contract.js';

function text(value: Value | undefined): string | null {
  return value === null || value === undefined
    ? null
    : Buffer.isBuffer(value)
      ? value.toString('utf8')
      : value;
}

export const urlRewriteEntityType: HandlerDefinition = {
  name: 'urlRewriteEntityType',
  description:
    'urlRewriteEntityType: product when product_id is set, category when only category_id is, else custom; no params',
  create: () => ({
    reads: ['product_id', 'category_id'],
    transform: (_value, row) =>
      text(row.product_id) !== null ? 'product' : text(row.category_id) !== null ? 'category' : 'custom',
  }),
};

export const urlRewriteEntityId: HandlerDefinition = {
  name: 'urlRewriteEntityId',
  description:
    "urlRewriteEntityId: the product's id, else the category's, else 0 (a custom rewrite); no params",
  create: () => ({
    reads: ['category_id'],
    transform: (value, row) => text(value) ?? text(row.category_id) ?? '0',
  }),
};

export const urlRewriteMetadata: HandlerDefinition = {
  name: 'urlRewriteMetadata',
  description:
    'urlRewriteMetadata: {"category_id":"<id>"} for a product rewrite within a category, else NULL; params: { "entityTypeField": field holding the entity type }',
  create: (params) => {
    const field = typeof params.entityTypeField === 'string' ? params.entityTypeField : 'id_path';
    return {
      reads: [field],
      transform: (value, row) => {
        const category = text(value);
        return text(row[field]) === 'product' && category !== null
          ? JSON.stringify({ category_id: category })
          : null;
      },
    };
  },
};

const REDIRECTS: Readonly<Record<string, string>> = { '': '0', RP: '301', R: '302' };

export const urlRewriteRedirectType: HandlerDefinition = {
  name: 'urlRewriteRedirectType',
  description:
    "urlRewriteRedirectType: 1.9 options '' / 'RP' / 'R' -> 2.4 redirect_type 0 / 301 / 302; no params",
  create: () => ({
    transform: (value) => {
      const options = text(value) ?? '';
      const type = REDIRECTS[options];
      if (type === undefined)
        throw new HandlerRejection(`urlRewriteRedirectType: unknown 1.9 rewrite options "${options}"`);
      return type;
    },
  }),
};

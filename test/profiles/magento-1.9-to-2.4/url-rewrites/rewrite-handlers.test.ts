import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  urlRewriteEntityId,
  urlRewriteEntityType,
  urlRewriteMetadata,
  urlRewriteRedirectType,
} from '../../../../src/profiles/magento-1.9-to-2.4/url-rewrites/rewrite-handlers.js';

test('1.9 rewrite rows become 2.4 entity type, id, metadata and redirect type', () => {
  const type = urlRewriteEntityType.create({});
  const id = urlRewriteEntityId.create({});
  const metadata = urlRewriteMetadata.create({ entityTypeField: 'id_path' });
  const redirect = urlRewriteRedirectType.create({});
  assert.equal(type.transform('product/5/3', { product_id: '5', category_id: '3' }), 'product');
  assert.equal(type.transform('category/3', { product_id: null, category_id: '3' }), 'category');
  assert.equal(type.transform('x', { product_id: null, category_id: null }), 'custom');
  assert.equal(id.transform('5', { category_id: '3' }), '5');
  assert.equal(id.transform(null, { category_id: '3' }), '3');
  assert.equal(id.transform(null, { category_id: null }), '0');
  assert.equal(metadata.transform('3', { id_path: 'product' }), '{"category_id":"3"}');
  assert.equal(metadata.transform('3', { id_path: 'category' }), null);
  assert.equal(redirect.transform('RP', {}), '301');
  assert.equal(redirect.transform('R', {}), '302');
  assert.equal(redirect.transform(null, {}), '0');
  assert.throws(() => redirect.transform('X', {}), /unknown 1\.9 rewrite options "X"/);
});

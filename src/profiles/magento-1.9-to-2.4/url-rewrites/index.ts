/**
 * URL rewrites: 1.9's core_url_rewrite into 2.4's url_rewrite (ids kept: 2.4's installer leaves
 * it empty), products with and without category, categories and custom redirects, and the
 * product-category relation 2.4 keeps beside it. 1.9's own unique key (request path, store) is
 * 2.4's, so the source holds no duplicate; a 2.4 row already holding a request path (a page
 * the operator added before migrating) refuses the 1.9 one into the rejected-rows file.
 */
import { mapFile, type ProfileArea } from '../area.js';
import {
  urlRewriteEntityId,
  urlRewriteEntityType,
  urlRewriteMetadata,
  urlRewriteRedirectType,
} from './rewrite-handlers.js';
import { UrlRewritesCheck } from './url-rewrites-check.js';

export const urlRewritesArea: ProfileArea = {
  mapFiles: [mapFile('url-rewrites.json')],
  steps: [new UrlRewritesCheck()],
  handlers: [urlRewriteEntityType, urlRewriteEntityId, urlRewriteMetadata, urlRewriteRedirectType],
};

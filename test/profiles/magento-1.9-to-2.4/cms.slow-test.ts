/**
 * The CMS step alone (the content area on the real installs, the store map filled by code): the
 * shop's home page replaces 2.4's seeded one, and a page linked to a store view 2.4 has no
 * counterpart of is rejected whole, with the reason in the rejected-rows file, never written
 * without its store view nor dropped unseen; the page check counts it as rejected.
 */
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../../support/cli.js';
import { createMagentoPair, fillStoreAndAttributeMaps, sql } from './msales-env.js';

const CONTENT_SOURCE = [
  'wishlist_item',
  'wishlist_item_option',
  'rating_entity',
  'rating',
  'rating_option',
  'rating_store',
  'rating_title',
  'rating_option_vote',
  'rating_option_vote_aggregated',
  'log_visitor',
  'sales_flat_quote',
  'sales_flat_quote_item',
  'sales_flat_quote_item_option',
  'sales_flat_quote_address',
  'sales_flat_quote_address_item',
  'sales_flat_quote_payment',
  'sales_flat_quote_shipping_rate',
];
const CONTENT_DESTINATION = [
  ...CONTENT_SOURCE.filter((t) => !t.startsWith('sales_flat_') && t !== 'log_visitor'),
  'customer_visitor',
  ...CONTENT_SOURCE.filter((t) => t.startsWith('sales_flat_')).map((t) => t.replace('sales_flat_', '')),
  'quote_id_mask',
];

test("the shop's pages replace 2.4's by identifier; a page on a store view 2.4 lacks is rejected whole, not dropped", async () => {
  const pair = await createMagentoPair(
    'mcontent_cms',
    // The customer area only for its customer_* documents (the pair's map leaves them to it).
    [
      { module: 'customer/index.ts', name: 'customerArea' },
      { module: 'content/index.ts', name: 'contentArea' },
    ],
    {
      source: ['customer_group', 'tax_class', ...CONTENT_SOURCE],
      destination: ['customer_group', 'tax_class', ...CONTENT_DESTINATION],
    },
  );
  const m1 = `\`${pair.m1}\``;
  await sql(
    `INSERT INTO ${m1}.cms_page (page_id, title, root_template, identifier, content, creation_time, update_time, is_active, sort_order)
       VALUES (2, 'Our home', 'two_columns_left', 'home', '<p>Shop home</p>', '2016-01-01 00:00:00', '2016-01-02 00:00:00', 1, 0),
              (9, 'Ghost', 'one_column', 'ghost', '<p>On a deleted store</p>', '2016-01-01 00:00:00', NULL, 1, 0);
     INSERT INTO ${m1}.core_store (store_id, code, website_id, group_id, name, sort_order, is_active)
       VALUES (5, 'retired', 1, 1, 'Retired view', 0, 0);
     INSERT INTO ${m1}.cms_page_store VALUES (2, 0), (9, 1), (9, 5);
     INSERT INTO ${m1}.cms_block (block_id, title, identifier, content, creation_time, update_time, is_active)
       VALUES (1, 'Footer', 'footer', '<p>Footer</p>', '2016-01-01 00:00:00', '2016-01-01 00:00:00', 1);
     INSERT INTO ${m1}.cms_block_store VALUES (1, 1)`,
  );
  await fillStoreAndAttributeMaps(pair);

  const run = await runCli(['data', pair.configFile]);
  assert.notEqual(run.status, 0, 'a rejected row ends the run with a non-zero status');
  assert.match(
    run.stdout,
    /^cms_page \(by identifier and store\)\s+2\s+2\s+match\s+.*1 of 1 equal, 1 rejected/m,
  );
  assert.match(run.stdout, /^cms_block \(by identifier and store\)\s+1\s+1\s+match/m);
  const files = await readdir(join(pair.dir, 'rejected'));
  const texts = await Promise.all(files.map((f) => readFile(join(pair.dir, 'rejected', f), 'utf8')));
  const ghost = texts
    .join('\n')
    .split('\n')
    .find((l) => l.includes('page 9'));
  assert.match(
    String(ghost),
    /page 9's store view: cms_page_store\.store_id: id map store has no entry for source id 5/,
  );

  const m2 = `\`${pair.m2}\``;
  const pages = await sql<{ page_id: number; identifier: string; title: string; page_layout: string }>(
    `SELECT page_id, identifier, title, page_layout FROM ${m2}.cms_page ORDER BY page_id`,
  );
  assert.deepEqual(
    pages.map((p) => `${p.page_id} ${p.identifier} ${p.title} ${p.page_layout}`),
    [
      '1 no-route 404 Not Found 2columns-right',
      '2 home Our home 2columns-left',
      '3 enable-cookies Enable Cookies 1column',
      '4 privacy-policy-cookie-restriction-mode Privacy and Cookie Policy 1column',
    ],
    "2.4's other seeded pages stay where they are (no id of theirs is the shop's)",
  );
  assert.deepEqual(await sql(`SELECT store_id FROM ${m2}.cms_page_store WHERE page_id = 9`), []);
  // A second run writes nothing twice.
  const again = await runCli(['data', pair.configFile]);
  assert.equal((await sql(`SELECT 1 FROM ${m2}.cms_page WHERE identifier = 'home'`)).length, 1, again.stdout);
});

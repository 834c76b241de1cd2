/**
 * The content area on a generated 1.9 store migrated by the whole profile into the real 2.4
 * install: CMS pages and blocks by identifier and store view (the shop's replacing 2.4's seeded
 * ones, a seeded page the shop lacks kept under a new id), carts with their options as JSON,
 * wishlist items, ratings merged with 2.4's by code (the shop's own one created under a new id
 * where a seeded one holds its id, its options and votes remapped), visitors as
 * customer_visitor. Then rows broken in 2.4 make `migrate check` fail, naming the entity.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RowDataPacket } from 'mysql2';
import { runCli } from '../../support/cli.js';
import { adminConnection } from '../../support/database.js';
import { createMagentoPair } from '../../support/magento.js';

async function rows<T>(statement: string): Promise<T[]> {
  const conn = await adminConnection();
  try {
    const [result] = await conn.query<RowDataPacket[]>(statement);
    return result as T[];
  } finally {
    await conn.end();
  }
}

const count = async (statement: string) => Number((await rows<{ n: number }>(statement))[0]?.n);

test('1.9 CMS, carts, wishlist items, ratings and visitors move by natural key; a broken row fails the check', async () => {
  const pair = await createMagentoPair('mcontent', { store: { orders: 20 } });
  const m1 = `\`${pair.sourceSchema}\``;
  const m2 = `\`${pair.destSchema}\``;
  // The shop's own rating, with its id 4 taken in 2.4 by a seeded one ("Rating", as 2.4 sample data has).
  await pair.sql(
    'source',
    `INSERT INTO rating VALUES (4, 1, 'Delivery', 4);
     INSERT INTO rating_option VALUES (16,4,'1',1,1),(17,4,'2',2,2),(18,4,'3',3,3),(19,4,'4',4,4),(20,4,'5',5,5);
     INSERT INTO rating_store VALUES (4,0),(4,1);
     INSERT INTO rating_title VALUES (4,1,'Lieferung');
     INSERT INTO rating_option_vote (option_id, remote_ip, remote_ip_long, customer_id, entity_pk_value, rating_id, review_id, percent, value)
       SELECT 19, '10.0.0.9', NULL, NULL, entity_pk_value, 4, review_id, 80, 4 FROM review ORDER BY review_id LIMIT 1`,
  );
  await pair.sql(
    'destination',
    `INSERT INTO rating VALUES (4, 1, 'Rating', 0, 1);
     INSERT INTO rating_option VALUES (16,4,'1',1,1),(17,4,'2',2,2),(18,4,'3',3,3),(19,4,'4',4,4),(20,4,'5',5,5)`,
  );

  const run = await runCli(['data', pair.configFile]);
  assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
  assert.match(run.stdout, /^cms_page \(by identifier and store\)\s+(\d+)\s+\1\s+match\s+.*0 rejected/m);
  assert.match(run.stdout, /^cms_block \(by identifier and store\)\s+(\d+)\s+\1\s+match/m);
  assert.match(run.stdout, /^cms_page \(one per identifier and store\)\s+0\s+0\s+match/m);
  assert.match(run.stdout, /^cms_page_store foreign keys\s+0\s+0\s+match/m);
  assert.match(run.stdout, /redo in 2\.4 the layout updates or custom themes of 1 CMS pages .*: home/);
  assert.match(run.stdout, /rewrite the Magento 1 \{\{block type=\.\.\.\}\}.* in CMS pages home/);

  // CMS: 1.9's pages on their store views, 2.4's layouts; the seeded privacy page kept aside.
  const pages = await rows<Record<string, string>>(
    `SELECT p.page_id, p.identifier, p.title, p.page_layout, p.custom_root_template, p.content, s.code
       FROM ${m2}.cms_page p JOIN ${m2}.cms_page_store l USING (page_id) JOIN ${m2}.store s USING (store_id)
      ORDER BY p.page_id, s.code`,
  );
  const [override] = await rows<{ code: string }>(
    `SELECT s.code FROM ${m1}.cms_page p JOIN ${m1}.cms_page_store l USING (page_id) JOIN ${m1}.core_store s USING (store_id)
      WHERE p.title = 'Über uns'`,
  );
  const german = pages.find((p) => p.identifier === 'about-us' && p.code === override?.code);
  assert.equal(german?.title, 'Über uns');
  assert.equal(german?.page_layout, '3columns');
  const home = pages.filter((p) => p.identifier === 'home');
  assert.equal(home.length, 1, "one home page: the shop's replaced 2.4's");
  assert.equal(home[0]?.page_layout, '2columns-right');
  assert.equal(home[0]?.custom_root_template, '1column');
  assert.match(String(home[0]?.content), /^<p>Welcome!<\/p>/);
  assert.equal(pages.find((p) => p.identifier === 'customer-service')?.page_layout, 'empty');
  const [privacy] = pages.filter((p) => p.identifier === 'privacy-policy-cookie-restriction-mode');
  assert.ok(privacy && Number(privacy.page_id) > 6, "the seeded privacy page is kept, after the shop's ids");
  assert.equal(
    await count(`SELECT COUNT(*) AS n FROM ${m2}.cms_block WHERE identifier = 'home-banner-main'`),
    1,
    "2.4's seeded block the shop has no counterpart of is kept",
  );

  // Carts: ids kept, stores by code, options as JSON where 1.9 serialized them.
  assert.equal(
    await count(
      `SELECT COUNT(*) AS n FROM ${m1}.sales_flat_quote q1 JOIN ${m1}.core_store s1 ON s1.store_id = q1.store_id
         JOIN ${m2}.quote q2 ON q2.entity_id = q1.entity_id JOIN ${m2}.store s2 ON s2.store_id = q2.store_id
        WHERE s1.code = s2.code AND q2.customer_email <=> q1.customer_email`,
    ),
    await count(`SELECT COUNT(*) AS n FROM ${m1}.sales_flat_quote`),
  );
  const options = await rows<{ code: string; value: string; old: string }>(
    `SELECT o2.code, o2.value, o1.value AS old FROM ${m2}.quote_item_option o2
       JOIN ${m1}.sales_flat_quote_item_option o1 USING (option_id)`,
  );
  assert.ok(options.some((o) => o.code === 'info_buyRequest'));
  for (const o of options) {
    if (o.code === 'info_buyRequest' || o.code === 'attributes') {
      assert.match(o.old, /^(a:|N;)/, `1.9 serialized ${o.code}`);
      JSON.parse(o.value);
    } else assert.equal(o.value, o.old, `${o.code} stays as 1.9 wrote it`);
  }
  assert.ok((await count(`SELECT COUNT(*) AS n FROM ${m2}.quote_shipping_rate`)) > 0, 'estimated rates move');
  for (const p of await rows<{ additional_information: string }>(
    `SELECT additional_information FROM ${m2}.quote_payment WHERE method = 'paypal_express'`,
  )) {
    assert.match(JSON.parse(p.additional_information).paypal_express_checkout_token, /^EC-/);
  }
  const [wish] = await rows<{ value: string }>(
    `SELECT value FROM ${m2}.wishlist_item_option WHERE code = 'info_buyRequest' ORDER BY option_id LIMIT 1`,
  );
  assert.equal(typeof JSON.parse(String(wish?.value)).qty, 'number');
  assert.equal(
    await count(`SELECT COUNT(*) AS n FROM ${m2}.wishlist_item`),
    await count(`SELECT COUNT(*) AS n FROM ${m1}.wishlist_item`),
  );

  // Ratings: 2.4's kept with their ids, the shop's Delivery created, its options and vote remapped.
  const ratings = await rows<{ rating_id: number; rating_code: string }>(
    `SELECT rating_id, rating_code FROM ${m2}.rating ORDER BY rating_id`,
  );
  assert.deepEqual(
    ratings.map((r) => `${r.rating_id} ${r.rating_code}`),
    ['1 Quality', '2 Value', '3 Price', '4 Rating', '5 Delivery'],
  );
  const [vote] = await rows<{ rating_id: number; code: string; remote_ip_long: string }>(
    `SELECT v.rating_id, o.code, v.remote_ip_long FROM ${m2}.rating_option_vote v
       JOIN ${m2}.rating_option o ON o.option_id = v.option_id AND o.rating_id = v.rating_id
      WHERE v.remote_ip = '10.0.0.9'`,
  );
  assert.deepEqual({ ...vote }, { rating_id: 5, code: '4', remote_ip_long: '167772169' });
  const [title] = await rows<{ value: string }>(`SELECT value FROM ${m2}.rating_title WHERE rating_id = 5`);
  assert.equal(title?.value, 'Lieferung');

  // Visitors: 2.4's customer_visitor, created at the first visit.
  assert.equal(
    await count(
      `SELECT COUNT(*) AS n FROM ${m1}.log_visitor v1 JOIN ${m2}.customer_visitor v2 USING (visitor_id)
        WHERE v2.created_at = v1.first_visit_at AND v2.last_visit_at = v1.last_visit_at`,
    ),
    await count(`SELECT COUNT(*) AS n FROM ${m1}.log_visitor`),
  );

  const clean = await runCli(['check', pair.configFile]);
  assert.equal(clean.status, 0, clean.stdout);
  // Row by row by key, after the map's rules (ids through the id maps, options as JSON).
  const mine = [
    'sales_flat_quote*',
    'wishlist_item*',
    'rating_option_vote*',
    'rating_store',
    'rating_title',
    'log_visitor',
  ];
  const deep = await runCli(['check', pair.configFile, '--deep', '--only', ...mine]);
  assert.equal(deep.status, 0, deep.stdout);
  assert.match(
    deep.stdout,
    /^sales_flat_quote_item_option\s+quote_item_option\s+\S+\s+(\d+)\s+\1\s+0\s+0\s+0\s+0\s+ok/m,
  );

  // Broken in 2.4: a page's content, a cart item option gone, a vote pointing at no option.
  await pair.sql(
    'destination',
    `UPDATE cms_page SET content = 'edited' WHERE title = 'Über uns';
     DELETE FROM quote_item_option ORDER BY option_id LIMIT 1;
     UPDATE rating_option_vote SET option_id = 999 WHERE remote_ip = '10.0.0.9';
     UPDATE quote SET grand_total = 0.01 WHERE entity_id = (SELECT MIN(entity_id) FROM ${m1}.sales_flat_quote)`,
  );
  const broken = await runCli(['check', pair.configFile]);
  assert.equal(broken.status, 4, broken.stdout);
  assert.match(
    broken.stdout,
    new RegExp(
      `page about-us on store ${override?.code}: content: "<p>Seit 2015 — für Sie da.</p>" in 1.9, "edited" in 2.4`,
    ),
  );
  assert.match(broken.stdout, /sales_flat_quote_item_option\s+quote_item_option\s+.*\s(\d+)\s+(?!\1)\d+\s/);
  assert.match(
    broken.stdout,
    /^\s+rating_option_vote \(option_id\) -> rating_option \(option_id\) .*: 1 orphan rows/m,
  );
  const [firstQuote] = await rows<{ id: number }>(`SELECT MIN(entity_id) AS id FROM ${m1}.sales_flat_quote`);
  const brokenDeep = await runCli(['check', pair.configFile, '--deep', '--only', 'sales_flat_quote']);
  assert.equal(brokenDeep.status, 4, brokenDeep.stdout);
  assert.match(
    brokenDeep.stdout,
    new RegExp(
      `sales_flat_quote -> quote \\(key entity_id\\): mismatch\\n\\s+changed 1: ${firstQuote?.id}\\n`,
    ),
  );
});

test('a cart filled and changed in the live 1.9 shop after the copy arrives with migrate delta, its options as JSON', async () => {
  const pair = await createMagentoPair('mcontent_delta');
  const run = await runCli(['data', pair.configFile], { timeoutMs: 280_000 });
  assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);

  // A guest fills a cart on the default store view: the quote, an item and its buyRequest, a payment.
  await pair.sql(
    'source',
    `INSERT INTO sales_flat_quote (entity_id, store_id, is_active, items_count, customer_group_id, customer_is_guest, created_at, updated_at)
       VALUES (501, 1, 1, 1, 0, 1, '2016-06-01 09:00:00', '2016-06-01 09:00:00');
     INSERT INTO sales_flat_quote_item (item_id, quote_id, store_id, product_id, sku, name, product_type, qty, created_at, updated_at)
       VALUES (601, 501, 1, 13, 'SKU-L', 'Late product', 'simple', '2.0000', '2016-06-01 09:00:00', '2016-06-01 09:00:00');
     INSERT INTO sales_flat_quote_item_option (option_id, item_id, product_id, code, value)
       VALUES (701, 601, 13, 'info_buyRequest', 'a:2:{s:7:"product";s:2:"13";s:3:"qty";i:2;}');
     INSERT INTO sales_flat_quote_payment (payment_id, quote_id, method, additional_information, created_at, updated_at)
       VALUES (801, 501, 'checkmo', 'a:1:{s:12:"method_title";s:5:"Check";}', '2016-06-01 09:00:00', '2016-06-01 09:00:00')`,
  );
  await pair.sql('source', 'UPDATE sales_flat_quote SET items_count = 2 WHERE entity_id = 501');

  const delta = await runCli(['delta', pair.configFile, '--until-caught-up', '--quiet-period', '300'], {
    timeoutMs: 280_000,
  });
  assert.equal(delta.status, 0, `${delta.stdout}\n${delta.stderr}`);
  const m2 = `\`${pair.destSchema}\``;
  const [cart] = await rows<{ code: string; items_count: number; value: string; info: string }>(
    `SELECT s.code, q.items_count, o.value, p.additional_information AS info FROM ${m2}.quote q
       JOIN ${m2}.store s USING (store_id) JOIN ${m2}.quote_item i ON i.quote_id = q.entity_id
       JOIN ${m2}.quote_item_option o ON o.item_id = i.item_id JOIN ${m2}.quote_payment p ON p.quote_id = q.entity_id
      WHERE q.entity_id = 501`,
  );
  assert.equal(cart?.code, 'default');
  assert.equal(Number(cart?.items_count), 2);
  assert.deepEqual(JSON.parse(String(cart?.value)), { product: '13', qty: 2 });
  assert.deepEqual(JSON.parse(String(cart?.info)), { method_title: 'Check' });
});

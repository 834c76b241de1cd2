import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../../support/cli.js';
import { writeSmallCatalog } from './catalog-store.js';
import { createMagentoEnv, sql } from './magento-env.js';

test('catalog: products, values, categories and options land on the right attributes, stores and options; checked by natural key; orphans 0', async () => {
  const env = await createMagentoEnv('mcatalog', { options: '<bulk_size>7</bulk_size>' });
  await writeSmallCatalog(env.m1, 30);
  const seededAttributes = await sql<{ n: number }>(`SELECT COUNT(*) AS n FROM \`${env.m2}\`.eav_attribute`);

  const run = await runCli(['data', env.configFile]);
  assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
  for (const type of ['varchar', 'int', 'text', 'decimal', 'datetime']) {
    assert.match(
      run.stdout,
      new RegExp(
        `^catalog_product_entity_${type}\\s+(\\d+)\\s+\\1\\s+match\\s+values equal by sku, attribute code and store code`,
        'm',
      ),
    );
  }
  assert.match(run.stdout, /^catalog_category_entity_varchar\s+3\s+3\s+match\s+values equal by path/m);
  assert.match(run.stdout, /^url_rewrite \(by request path\)\s+64\s+64\s+match/m);
  const rewrites = await sql<{ r: string }>(
    `SELECT CONCAT_WS(' ', r.request_path, s.code, r.entity_type, r.entity_id, r.redirect_type, IFNULL(r.metadata, '-'), IFNULL(pc.category_id, '-')) AS r
       FROM \`${env.m2}\`.url_rewrite r JOIN \`${env.m2}\`.store s ON s.store_id = r.store_id
       LEFT JOIN \`${env.m2}\`.catalog_url_rewrite_product_category pc ON pc.url_rewrite_id = r.url_rewrite_id
      WHERE r.request_path IN ('shirts.html', 'chemises.html', 'shirt-2.html', 'shirts/shirt-2.html', 'old-shirt-1.html', 'sale') ORDER BY r.url_rewrite_id`,
  );
  assert.deepEqual(
    rewrites.map((r) => r.r),
    [
      'shirts.html default category 3 0 - -',
      'chemises.html outlet_en category 3 0 - -',
      'shirt-2.html default product 2 0 - -',
      'shirts/shirt-2.html default product 2 0 {"category_id":"3"} 3',
      'old-shirt-1.html default product 1 301 - -',
      'sale outlet_en custom 0 302 - -',
    ],
  );

  // The shop's own attributes were created after 2.4's, and a select's value is 2.4's option id of the same label.
  const [created] = await sql<{ n: number }>(
    `SELECT COUNT(*) AS n FROM \`${env.m2}\`.eav_attribute WHERE attribute_code IN ('shirt_color', 'fabric', 'care_note')`,
  );
  assert.equal(Number(created?.n), 3);
  assert.equal(
    Number((await sql<{ n: number }>(`SELECT COUNT(*) AS n FROM \`${env.m2}\`.eav_attribute`))[0]?.n),
    Number(seededAttributes[0]?.n) + 3 + 4, // + the three of this shop + four 1.9 installer attributes 2.4 lacks
  );
  const colours = await sql<{ sku: string; label: string; store_label: string | null }>(
    `SELECT e.sku, ov.value AS label, (SELECT sv.value FROM \`${env.m2}\`.eav_attribute_option_value sv
         JOIN \`${env.m2}\`.store s ON s.store_id = sv.store_id WHERE sv.option_id = v.value AND s.code = 'outlet_en') AS store_label
       FROM \`${env.m2}\`.catalog_product_entity_int v
       JOIN \`${env.m2}\`.catalog_product_entity e ON e.entity_id = v.entity_id
       JOIN \`${env.m2}\`.eav_attribute a ON a.attribute_id = v.attribute_id AND a.attribute_code = 'shirt_color'
       JOIN \`${env.m2}\`.eav_attribute_option_value ov ON ov.option_id = v.value AND ov.store_id = 0
      WHERE e.sku IN ('SKU-1', 'SKU-2') ORDER BY e.sku`,
  );
  assert.deepEqual(
    colours.map((c) => `${c.sku} ${c.label} ${c.store_label}`),
    ['SKU-1 Red Rouge', 'SKU-2 Blue null'],
  );
  // The outlet's store view and website got new ids; its values and products followed them.
  const [outlet] = await sql<{ names: number; websites: number }>(
    `SELECT (SELECT COUNT(*) FROM \`${env.m2}\`.catalog_product_entity_varchar v JOIN \`${env.m2}\`.store s ON s.store_id = v.store_id WHERE s.code = 'outlet_en') AS names,
            (SELECT COUNT(*) FROM \`${env.m2}\`.catalog_product_website pw JOIN \`${env.m2}\`.store_website w ON w.website_id = pw.website_id WHERE w.code = 'outlet') AS websites`,
  );
  assert.equal(Number(outlet?.names), 30);
  assert.equal(Number(outlet?.websites), 15);
  // 2.4's root categories keep their own values; the shop's category hangs under the default category.
  const [shirts] = await sql<{ path: string; parent_id: number }>(
    `SELECT path, parent_id FROM \`${env.m2}\`.catalog_category_entity WHERE entity_id = 3`,
  );
  assert.deepEqual({ ...shirts }, { path: '1/2/3', parent_id: 2 });

  // Link positions sit on 2.4's link attribute of the same type and code; the super attribute is shirt_color.
  const links = await sql<{ r: string }>(
    `SELECT CONCAT_WS(' ', p.sku, t.code, c.sku, la.product_link_attribute_code, v.value) AS r
       FROM \`${env.m2}\`.catalog_product_link l
       JOIN \`${env.m2}\`.catalog_product_link_type t ON t.link_type_id = l.link_type_id
       JOIN \`${env.m2}\`.catalog_product_entity p ON p.entity_id = l.product_id
       JOIN \`${env.m2}\`.catalog_product_entity c ON c.entity_id = l.linked_product_id
       JOIN \`${env.m2}\`.catalog_product_link_attribute_int v ON v.link_id = l.link_id
       JOIN \`${env.m2}\`.catalog_product_link_attribute la ON la.product_link_attribute_id = v.product_link_attribute_id AND la.link_type_id = l.link_type_id
      ORDER BY l.link_id`,
  );
  assert.deepEqual(
    links.map((l) => l.r),
    [
      'SKU-1 relation SKU-2 position 7',
      'SKU-1 up_sell SKU-3 position 8',
      'SKU-4 cross_sell SKU-5 position 9',
    ],
  );
  const [superAttribute] = await sql<{ code: string; labels: string }>(
    `SELECT a.attribute_code AS code, GROUP_CONCAT(CONCAT(st.code, ':', l.value) ORDER BY st.code) AS labels
       FROM \`${env.m2}\`.catalog_product_super_attribute sa JOIN \`${env.m2}\`.eav_attribute a ON a.attribute_id = sa.attribute_id
       JOIN \`${env.m2}\`.catalog_product_super_attribute_label l ON l.product_super_attribute_id = sa.product_super_attribute_id
       JOIN \`${env.m2}\`.store st ON st.store_id = l.store_id GROUP BY sa.product_super_attribute_id`,
  );
  assert.deepEqual({ ...superAttribute }, { code: 'shirt_color', labels: 'admin:Colour,outlet_en:Couleur' });

  const tiers = await sql<{ r: string }>(
    `SELECT CONCAT_WS(' ', t.all_groups, t.customer_group_id, t.qty, t.value, IFNULL(w.code, '-')) AS r
       FROM \`${env.m2}\`.catalog_product_entity_tier_price t LEFT JOIN \`${env.m2}\`.store_website w ON w.website_id = t.website_id AND t.website_id <> 0
      ORDER BY t.value_id`,
  );
  assert.deepEqual(
    tiers.map((t) => t.r),
    ['1 0 10.0000 0.900000 -', '0 2 5.0000 0.800000 outlet'],
  );

  // The engine's orphan check over 2.4's foreign keys. (Its row counts of merged documents include
  // 2.4's own rows, so `check` differs there by design; the profile's step checks above count those.)
  const check = await runCli(['check', env.configFile]);
  assert.match(check.stdout, /referential integrity: [1-9]\d* foreign keys verified, no orphan rows/);
  assert.doesNotMatch(check.stdout, /^catalog_product_entity\S*\s.*mismatch/m);

  // A value written on the wrong store is named by the check.
  await sql(
    `UPDATE \`${env.m2}\`.catalog_product_entity_varchar v JOIN \`${env.m2}\`.catalog_product_entity e ON e.entity_id = v.entity_id
        JOIN \`${env.m2}\`.eav_attribute a ON a.attribute_id = v.attribute_id
        SET v.value = 'Wrong' WHERE e.sku = 'SKU-3' AND a.attribute_code = 'name' AND v.store_id = 0`,
  );
  const again = await runCli(['data', env.configFile]);
  assert.equal(again.status, 4, `${again.stdout}\n${again.stderr}`);
  assert.match(
    again.stdout,
    /catalog_product_entity_varchar\s+120\s+119\s+MISMATCH\s+values differ: sku SKU-3 attribute name store admin: 1\.9 "Shirt 3", 2\.4 "Wrong"/,
  );
});

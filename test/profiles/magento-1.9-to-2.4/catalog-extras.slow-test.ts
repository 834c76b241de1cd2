import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { rejectedFileName } from '../../../src/steps/data/rejected-log.js';
import { runCli } from '../../support/cli.js';
import { writeCatalogExtras } from './catalog-extras-store.js';
import { writeSmallCatalog } from './catalog-store.js';
import { createMagentoEnv, sql } from './magento-env.js';

test('catalog extras: images, tier and group prices, bundle titles and selection prices, custom options, forms land by natural key; a clash and an orphan are rejected, not lost', async () => {
  const env = await createMagentoEnv('mextras', { options: '<bulk_size>3</bulk_size>' });
  await writeSmallCatalog(env.m1, 12);
  await writeCatalogExtras(env.m1);
  const m2 = `\`${env.m2}\``;

  const run = await runCli(['data', env.configFile]);
  // Two rows refused on purpose: the group price clashing with a qty 1 tier price, the image value without image.
  assert.equal(run.status, 1, `${run.stdout}\n${run.stderr}`);
  assert.match(run.stderr, /2 rows were rejected/);
  const checks: Array<[string, number]> = [
    ['catalog_product_entity_media_gallery', 3],
    ['catalog_product_entity_media_gallery_value', 4],
    ['catalog_product_entity_tier_price', 7],
    ['catalog_product_option', 2],
    ['catalog_product_option_title', 3],
    ['catalog_product_option_price', 2],
    ['catalog_product_option_type_title', 3],
    ['catalog_product_option_type_price', 2],
    ['catalog_product_bundle_option_value', 2],
    ['catalog_product_bundle_selection_price', 2],
  ];
  for (const [kind, n] of checks) {
    assert.match(run.stdout, new RegExp(`^${kind} \\(by natural key\\)\\s+${n}\\s+${n}\\s+match`, 'm'), kind);
  }
  assert.match(
    run.stdout,
    /^catalog_product_entity_tier_price\s+8\s+8\s+match\s+entities equal column by column: 7 equal, 1 rejected, 0 different/m,
  );
  assert.match(
    run.stdout,
    /^catalog_product_entity_media_gallery_value\s+5\s+5\s+match\s+entities equal column by column: 4 equal, 1 rejected/m,
  );

  const tiers = await sql<{ r: string }>(
    `SELECT CONCAT_WS(' ', e.sku, t.all_groups, g.customer_group_code, t.qty, t.value, IFNULL(t.percentage_value, '-'), w.code) AS r
       FROM ${m2}.catalog_product_entity_tier_price t JOIN ${m2}.catalog_product_entity e ON e.entity_id = t.entity_id
       JOIN ${m2}.customer_group g ON g.customer_group_id = t.customer_group_id
       JOIN ${m2}.store_website w ON w.website_id = t.website_id ORDER BY t.value_id`,
  );
  assert.deepEqual(
    tiers.map((t) => t.r),
    [
      'SKU-1 1 NOT LOGGED IN 10.0000 0.900000 - admin',
      'SKU-1 0 Wholesale 5.0000 0.800000 - outlet',
      'SKU-3 0 General 1.0000 2.000000 - admin',
      'SKU-4 0 VIP 2.0000 3.000000 - base',
      'SKU-2 0 General 1.0000 7.500000 - admin',
      'SKU-1 0 VIP 1.0000 0.700000 - outlet',
      'SKU-10 0 Wholesale 1.0000 10.000000 - admin',
    ],
  );
  const [vip] = await sql<{ id: number }>(
    `SELECT customer_group_id AS id FROM ${m2}.customer_group WHERE customer_group_code = 'VIP'`,
  );
  assert.notEqual(Number(vip?.id), 5, 'the VIP group has another id in 2.4, so the mapping is exercised');
  const clash = (
    await readFile(
      join(env.dir, 'rejected', rejectedFileName('magento:catalog_product_entity_tier_price')),
      'utf8',
    )
  )
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.equal(clash.length, 1);
  assert.equal(clash[0].code, 'ER_DUP_ENTRY');
  assert.equal(clash[0].values[5], '1.5000');

  const images = await sql<{ r: string }>(
    `SELECT CONCAT_WS(' ', e.sku, g.value, g.media_type, s.code, IFNULL(v.label, '-'), v.position, v.disabled) AS r
       FROM ${m2}.catalog_product_entity_media_gallery_value v JOIN ${m2}.catalog_product_entity_media_gallery g ON g.value_id = v.value_id
       JOIN ${m2}.catalog_product_entity_media_gallery_value_to_entity ge ON ge.value_id = g.value_id AND ge.entity_id = v.entity_id
       JOIN ${m2}.catalog_product_entity e ON e.entity_id = v.entity_id JOIN ${m2}.store s ON s.store_id = v.store_id
      ORDER BY v.record_id`,
  );
  assert.deepEqual(
    images.map((i) => i.r),
    [
      'SKU-1 /s/h/shirt-1.jpg image admin Front 1 0',
      'SKU-1 /s/h/shirt-1.jpg image outlet_en Devant 1 0',
      'SKU-1 /s/h/shirt-1b.jpg image admin - 2 1',
      'SKU-2 /s/h/shirt-2.jpg image admin Shirt two 1 0',
    ],
  );

  const bundle = await sql<{ r: string }>(
    `SELECT CONCAT_WS(' ', e.sku, s.code, v.title) AS r FROM ${m2}.catalog_product_bundle_option_value v
       JOIN ${m2}.catalog_product_entity e ON e.entity_id = v.parent_product_id JOIN ${m2}.store s ON s.store_id = v.store_id ORDER BY v.value_id`,
  );
  assert.deepEqual(
    bundle.map((b) => b.r),
    ['SKU-10 admin Size', 'SKU-10 outlet_en Taille'],
  );
  const selectionPrices = await sql<{ r: string }>(
    `SELECT CONCAT_WS(' ', e.sku, w.code, p.selection_price_type, p.selection_price_value) AS r FROM ${m2}.catalog_product_bundle_selection_price p
       JOIN ${m2}.catalog_product_entity e ON e.entity_id = p.parent_product_id JOIN ${m2}.store_website w ON w.website_id = p.website_id
      ORDER BY p.selection_id`,
  );
  assert.deepEqual(
    selectionPrices.map((b) => b.r),
    ['SKU-10 outlet 0 3.500000', 'SKU-10 base 1 10.000000'],
  );
  const optionTitles = await sql<{ r: string }>(
    `SELECT CONCAT_WS(' ', e.sku, o.type, s.code, t.title) AS r FROM ${m2}.catalog_product_option_title t
       JOIN ${m2}.catalog_product_option o ON o.option_id = t.option_id JOIN ${m2}.catalog_product_entity e ON e.entity_id = o.product_id
       JOIN ${m2}.store s ON s.store_id = t.store_id ORDER BY t.option_title_id`,
  );
  assert.deepEqual(
    optionTitles.map((o) => o.r),
    ['SKU-5 drop_down admin Colour', 'SKU-5 drop_down outlet_en Couleur', 'SKU-5 field admin Engraving'],
  );
  const forms = await sql<{ f: string }>(
    `SELECT f.form_code AS f FROM ${m2}.customer_form_attribute f JOIN ${m2}.eav_attribute a ON a.attribute_id = f.attribute_id
      WHERE a.attribute_code = 'loyalty_no' ORDER BY f.form_code`,
  );
  assert.deepEqual(
    forms.map((f) => f.f),
    ['adminhtml_customer', 'customer_account_edit'],
  );
  assert.match(run.stdout, /^customer_form_attribute\s+2\s+2\s+match/m);
  // Configurable pricing has no 2.4 table: the operator is told how many prices that is.
  assert.match(run.stdout, /2 configurable option prices \(catalog_product_super_attribute_pricing\)/);

  const check = await runCli(['check', env.configFile]);
  assert.match(check.stdout, /referential integrity: [1-9]\d* foreign keys verified, no orphan rows/);

  // A tier price moved to another website and an image label changed are named by the check.
  await sql(
    `UPDATE ${m2}.catalog_product_entity_tier_price t JOIN ${m2}.catalog_product_entity e ON e.entity_id = t.entity_id
        SET t.website_id = 1 WHERE e.sku = 'SKU-2';
     UPDATE ${m2}.catalog_product_entity_media_gallery_value SET label = 'Back' WHERE label = 'Devant'`,
  );
  const again = await runCli(['data', env.configFile]);
  assert.equal(again.status, 4, `${again.stdout}\n${again.stderr}`);
  assert.match(
    again.stdout,
    /catalog_product_entity_tier_price \(by natural key\)\s+7\s+6\s+MISMATCH\s+rows differ: sku SKU-2 all groups 0 group General website admin qty 1\.000000: missing in 2\.4/,
  );
  assert.match(
    again.stdout,
    /catalog_product_entity_media_gallery_value \(by natural key\)\s+4\s+3\s+MISMATCH\s+rows differ: sku SKU-1 file \/s\/h\/shirt-1\.jpg store outlet_en: 1\.9 "Devant \| 1 \| 0", 2\.4 "Back \| 1 \| 0"/,
  );
});

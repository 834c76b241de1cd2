import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../../support/cli.js';
import { writeCatalogExtras } from './catalog-extras-store.js';
import { writeSmallCatalog } from './catalog-store.js';
import { createMagentoEnv, sql } from './magento-env.js';

test('a 1.9 shop with a table prefix: <source_prefix> reaches every table the profile names (versions, maps, steps, checks)', async () => {
  const env = await createMagentoEnv('mprefix', { options: '<source_prefix>shop_</source_prefix>' });
  await writeSmallCatalog(env.m1, 12);
  await writeCatalogExtras(env.m1);
  const tables = await sql<{ t: string }>(
    `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = ? AND table_type = 'BASE TABLE'`,
    [env.m1],
  );
  assert.ok(tables.length > 300);
  await sql(
    `RENAME TABLE ${tables.map((r) => `\`${env.m1}\`.\`${r.t}\` TO \`${env.m1}\`.\`shop_${r.t}\``).join(', ')}`,
  );

  const run = await runCli(['data', env.configFile]);
  // The extras' two rows refused on purpose (catalog-extras-store.ts), nothing else.
  assert.equal(run.status, 1, `${run.stdout}\n${run.stderr}`);
  assert.match(run.stderr, /2 rows were rejected/);
  assert.match(run.stdout, /^catalog_product_entity_tier_price \(by natural key\)\s+7\s+7\s+match/m);
  assert.match(run.stdout, /^catalog_product_entity_media_gallery_value \(by natural key\)\s+4\s+4\s+match/m);
  assert.match(run.stdout, /^catalog_product_entity_media_gallery_value_to_entity\s+3\s+3\s+match/m);
  assert.match(run.stdout, /^customer_form_attribute\s+2\s+2\s+match/m);
  assert.match(run.stdout, /2 configurable option prices/);
  assert.match(run.stdout, /^catalog_product_entity_varchar\s+(\d+)\s+\1\s+match\s+values equal by sku/m);
  assert.match(run.stdout, /^url_rewrite \(by request path\)\s+(\d+)\s+\1\s+match/m);
  assert.match(run.stdout, /^catalog_url_rewrite_product_category\s+12\s+12\s+match/m);
  assert.match(run.stdout, /^store_website\.default_group_id\s+1\s+1\s+match/m);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../../support/cli.js';
import { createMagentoEnv, sql } from './magento-env.js';

test('settings: 1.9 core_config_data into 2.4 (ignored paths, serialized to JSON, 2.4 kept where it must be, encrypted listed not copied)', async () => {
  const env = await createMagentoEnv('msettings');
  await sql(`INSERT INTO \`${env.m1}\`.core_config_data (scope, scope_id, path, value) VALUES
    ('default', 0, 'web/unsecure/base_url', 'http://old-shop.example/'),
    ('default', 0, 'general/store_information/name', 'Old Shop'),
    ('default', 0, 'cataloginventory/item_options/min_sale_qty', 'a:1:{i:32000;s:1:"2";}'),
    ('default', 0, 'catalog/search/engine', 'catalogsearch/fulltext_engine'),
    ('default', 0, 'payment/paypal_express/api_password', '0:2:abcdef'),
    ('default', 0, 'design/theme/default', 'rwd')`);
  const before = await sql<{ path: string; value: string }>(
    `SELECT path, value FROM \`${env.m2}\`.core_config_data WHERE path IN ('web/unsecure/base_url', 'catalog/search/engine')`,
  );

  const run = await runCli(['settings', env.configFile]);
  assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
  assert.match(
    `${run.stdout}${run.stderr}`,
    /payment\/paypal_express\/api_password \(default:0\): encrypted with the old platform's key, not copied/,
  );
  // Without the keys, the warning names the options that would have it re-encrypted.
  assert.match(
    `${run.stdout}${run.stderr}`,
    /set <source_crypt_key> \(the <crypt><key> of 1\.9's app\/etc\/local\.xml\) and <destination_crypt_key>/,
  );
  const after = new Map(
    (
      await sql<{ path: string; value: string }>(
        `SELECT path, value FROM \`${env.m2}\`.core_config_data WHERE scope = 'default' AND scope_id = 0`,
      )
    ).map((r) => [r.path, r.value]),
  );
  assert.equal(after.get('general/store_information/name'), 'Old Shop');
  assert.equal(after.get('cataloginventory/item_options/min_sale_qty'), '{"32000":"2"}');
  for (const kept of before) assert.equal(after.get(kept.path), kept.value, `${kept.path}: 2.4's value kept`);
  assert.equal(after.has('payment/paypal_express/api_password'), false);
  assert.equal(after.has('design/theme/default'), false);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../../../support/cli.js';
import { createMagentoEnv, sql } from '../magento-env.js';

test('the real installs are 1.9 and 2.4; a 1.8 source stops migrate data at integrity (exit 3) with nothing written', async () => {
  const env = await createMagentoEnv('mversion');
  const plan = await runCli(['data', env.configFile, '--dry-run']);
  assert.equal(plan.status, 0, `${plan.stdout}\n${plan.stderr}`);
  assert.doesNotMatch(`${plan.stdout}${plan.stderr}`, /MAGENTO_VERSION_UNSUPPORTED/);

  await sql(`UPDATE \`${env.m1}\`.core_resource SET version = '1.6.0.0.18.1.1' WHERE code = 'catalog_setup'`);
  const refused = await runCli(['data', env.configFile]);
  assert.equal(refused.status, 3, `${refused.stdout}\n${refused.stderr}`);
  assert.match(
    `${refused.stdout}${refused.stderr}`,
    /MAGENTO_VERSION_UNSUPPORTED: profile magento-1\.9-to-2\.4: core_resource says catalog_setup 1\.6\.0\.0\.18\.1\.1/,
  );
  assert.match(
    `${refused.stdout}${refused.stderr}`,
    /point <source> in config\.xml at a Magento 1\.9\.0\.0-1\.9\.4\.x database/,
  );
  const [websites] = await sql<{ n: number }>(`SELECT COUNT(*) AS n FROM \`${env.m2}\`.store_website`);
  assert.equal(Number(websites?.n), 2, 'nothing written');
});

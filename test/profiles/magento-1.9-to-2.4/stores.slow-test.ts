import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../../support/cli.js';
import { createMagentoEnv, sql } from './magento-env.js';

test('stores: 1.9 websites, groups and views merge into 2.4 by code; the seeded rows are kept', async () => {
  const env = await createMagentoEnv('mstores');
  await sql(`
    INSERT INTO \`${env.m1}\`.core_website (website_id, code, name, sort_order, default_group_id, is_default) VALUES (2, 'outlet', 'Outlet', 1, 2, 0);
    INSERT INTO \`${env.m1}\`.core_store_group (group_id, website_id, name, root_category_id, default_store_id) VALUES (2, 2, 'Outlet Store', 2, 2);
    INSERT INTO \`${env.m1}\`.core_store (store_id, code, website_id, group_id, name, sort_order, is_active) VALUES (2, 'outlet_en', 2, 2, 'Outlet English', 0, 1), (3, 'outlet_fr', 2, 2, 'Outlet French', 1, 1);
  `);
  const run = await runCli(['data', env.configFile]);
  assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
  const stores = await sql<{ store_id: number; code: string; website: string; grp: string; name: string }>(
    `SELECT s.store_id, s.code, w.code AS website, g.code AS grp, s.name FROM \`${env.m2}\`.store s
       JOIN \`${env.m2}\`.store_website w ON w.website_id = s.website_id JOIN \`${env.m2}\`.store_group g ON g.group_id = s.group_id ORDER BY s.store_id`,
  );
  assert.deepEqual(
    stores.map((s) => `${s.code}@${s.website}/${s.grp}: ${s.name}`),
    [
      'admin@admin/default: Admin',
      'default@base/main_website_store: Default Store View', // 2.4's seeded row kept as its installer left it
      'outlet_en@outlet/outlet_store_2: Outlet English',
      'outlet_fr@outlet/outlet_store_2: Outlet French',
    ],
  );
  // The outlet website's default group and the group's default view point at the created rows.
  const [outlet] = await sql<{ group_code: string; store_code: string }>(
    `SELECT g.code AS group_code, s.code AS store_code FROM \`${env.m2}\`.store_website w
       JOIN \`${env.m2}\`.store_group g ON g.group_id = w.default_group_id
       JOIN \`${env.m2}\`.store s ON s.store_id = g.default_store_id WHERE w.code = 'outlet'`,
  );
  assert.deepEqual({ ...outlet }, { group_code: 'outlet_store_2', store_code: 'outlet_en' });
  assert.match(run.stdout, /^store_website\.default_group_id\s+1\s+1\s+match/m);
});

/** The settings step against real v1 / v2 stores, run in-process: the merge rules, stores, atomicity. */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { countActions } from '../../../src/steps/settings/plan.js';
import { createStoreEnv } from '../../support/store-env.js';
import { configValues, editSettingsMap, insertConfig, runSettings, sql } from './helpers.js';

test('merges: destination-only values kept, source wins, keepDestination keeps, ignore with *, rename, transform', async () => {
  const env = await createStoreEnv('set_merge');
  const source = await configValues(env.sourceSchema);
  await insertConfig(env.destSchema, {
    'default:0 only/in/destination': 'new platform setting',
    'default:0 general/locale/code': 'de_DE', // source has en_US: the source wins
    'default:0 payment/checkmo/title': 'Mine', // keepDestination payment/*
    'default:0 dev/log/active': '0', // ignored dev/*: the destination's value stays
    'default:0 web/seo/use_rewrites': '0', // transformed to 1
  });

  const result = await runSettings(env.configFile);
  assert.deepEqual(result.errors, []);
  const dest = await configValues(env.destSchema);

  assert.equal(dest.get('default:0 only/in/destination'), 'new platform setting');
  assert.equal(dest.get('default:0 general/locale/code'), 'en_US');
  assert.equal(source.get('default:0 payment/checkmo/title'), 'Check / Money order');
  assert.equal(dest.get('default:0 payment/checkmo/title'), 'Mine');
  assert.equal(
    dest.get('default:0 payment/checkmo/active'),
    '1',
    'keepDestination still inserts what the destination lacks',
  );
  assert.equal(dest.get('default:0 dev/log/active'), '0');
  for (const key of dest.keys()) {
    if (key !== 'default:0 dev/log/active') assert.doesNotMatch(key, / dev\//, `${key} is ignored by dev/*`);
  }
  assert.equal(dest.has('default:0 web/unsecure/base_url'), false);
  assert.equal(dest.has('stores:3 web/secure/base_url'), false);
  assert.equal(dest.get('default:0 design/header/welcome_text'), 'Default welcome msg!');
  assert.equal(
    dest.get('stores:3 design/header/welcome_text'),
    'Willkommen in unserem Shop – schön, dass Sie da sind!',
  );
  assert.equal(
    [...dest.keys()].some((k) => k.endsWith(' design/header/welcome')),
    false,
  );
  assert.equal(dest.get('default:0 web/seo/use_rewrites'), '1');
  assert.equal(
    dest.get('default:0 design/footer/copyright'),
    '&copy; 2015 Example Store.\nAll Rights Reserved.',
  );
  assert.equal(dest.has('default:0 design/head/default_description'), true);
  assert.equal(dest.get('default:0 design/head/default_description'), null);

  // Every other source value arrived unchanged.
  for (const [key, value] of source) {
    const path = key.split(' ')[1] ?? '';
    if (
      /^(dev\/|web\/(un)?secure\/base_url|design\/header\/welcome$|web\/seo\/use_rewrites|payment\/checkmo\/title)/.test(
        path,
      )
    )
      continue;
    if (/password$/.test(path)) continue;
    assert.equal(dest.get(key), value, key);
  }
  const counts = countActions(result.plan.actions);
  assert.deepEqual(
    result.plan.actions.filter((a) => a.kind === 'destination-only').map((a) => a.path),
    ['dev/log/active', 'only/in/destination'],
  );
  assert.deepEqual(
    result.plan.actions.filter((a) => a.kind === 'keep-destination').map((a) => a.path),
    ['payment/checkmo/title'],
  );
  assert.equal(counts.update, 2); // general/locale/code and web/seo/use_rewrites
});

test('encrypted values: not copied without a handler; re-encrypted with keys from the environment with one', async () => {
  const env = await createStoreEnv('set_crypt');
  const source = await configValues(env.sourceSchema);
  await writeFile(
    join(env.dir, 'reencrypt.mjs'),
    `// Re-encrypts "old" values (base64 XOR OLD_KEY) for the new platform (0:3:base64 XOR NEW_KEY).
const xor = (bytes, key) => Buffer.from(bytes.map((b, i) => b ^ key.charCodeAt(i % key.length)));
export default {
  create(params) {
    const oldKey = process.env[params.oldKeyVariable];
    const newKey = process.env[params.newKeyVariable];
    if (!oldKey || !newKey) throw new Error(\`set \${params.oldKeyVariable} and \${params.newKeyVariable}\`);
    return {
      transform(value) {
        if (value === null) return null;
        const plain = xor([...Buffer.from(String(value), 'base64')], oldKey);
        return '0:3:' + xor([...plain], newKey).toString('base64');
      },
    };
  },
};
`,
  );
  await editSettingsMap(env, (map) => {
    map.transform = [
      ...(map.transform as unknown[]),
      {
        path: 'payment/*/password',
        handler: './reencrypt.mjs',
        params: { oldKeyVariable: 'TEST_OLD_KEY', newKeyVariable: 'TEST_NEW_KEY' },
      },
    ];
  });
  await insertConfig(env.destSchema, { 'default:0 carriers/ups/password': '0:3:set-in-the-new-admin' });

  delete process.env.TEST_OLD_KEY;
  await assert.rejects(runSettings(env.configFile), (error: Error & { code?: string }) => {
    assert.equal(error.code, 'HANDLER_PARAMS_INVALID');
    assert.match(
      error.message,
      /\/transform\/1 \("payment\/\*\/password"\).*set TEST_OLD_KEY and TEST_NEW_KEY/,
    );
    return true;
  });

  process.env.TEST_OLD_KEY = 'old-secret';
  process.env.TEST_NEW_KEY = 'new-secret';
  const result = await runSettings(env.configFile);
  assert.deepEqual(result.errors, []);
  const dest = await configValues(env.destSchema);
  const xor = (bytes: Buffer, key: string) =>
    Buffer.from([...bytes].map((b, i) => b ^ key.charCodeAt(i % key.length)));
  for (const key of ['default:0 payment/paypal/password', 'websites:2 payment/paypal/password']) {
    const stored = dest.get(key) ?? '';
    assert.match(stored, /^0:3:/);
    const plain = xor(Buffer.from(stored.slice(4), 'base64'), 'new-secret');
    assert.deepEqual(plain, xor(Buffer.from(source.get(key) ?? '', 'base64'), 'old-secret'), key);
  }
  // No handler for carriers/*/password: the old ciphertext is not copied; the destination keeps its own.
  assert.equal(dest.get('default:0 carriers/ups/password'), '0:3:set-in-the-new-admin');
  const skipped = result.plan.actions.filter((a) => a.kind === 'encrypted-skipped');
  assert.deepEqual(
    skipped.map((a) => a.path),
    ['carriers/ups/password'],
  );
  assert.equal(result.plan.actions.filter((a) => a.reencrypted).length, 2);

  const again = await runSettings(env.configFile);
  const counts = countActions(again.plan.actions);
  assert.deepEqual([counts.insert, counts.update], [0, 0], 'a deterministic re-encryption is idempotent');
});

test('the scope id map moves settings of changed store ids', async () => {
  const env = await createStoreEnv('set_scope');
  await editSettingsMap(env, (map) => {
    map.scopeIdMap = { stores: { '3': '5' }, websites: { '2': '4' } };
  });
  await runSettings(env.configFile);
  const dest = await configValues(env.destSchema);
  assert.equal(dest.get('stores:5 general/locale/code'), 'de_DE');
  assert.equal(dest.has('stores:3 general/locale/code'), false);
  assert.equal(dest.get('stores:2 general/locale/code'), 'fr_FR', 'an id the map does not list keeps its id');
  assert.equal(dest.get('websites:4 currency/options/base'), 'EUR');
  assert.equal(
    dest.get('stores:5 design/header/welcome_text')?.startsWith('Willkommen'),
    true,
    'rename and id map combine',
  );
  assert.equal(dest.get('default:0 currency/options/base'), 'USD');
});

test('stores: copied with their ids, merged into the rows the new platform already has', async () => {
  const env = await createStoreEnv('set_stores');
  const d = `\`${env.destSchema}\``;
  await sql(
    `SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_AUTO_VALUE_ON_ZERO');
     INSERT INTO ${d}.store_website VALUES (0, 'admin', 'Admin', 0, 0, 0), (1, 'base', 'Old Main Website', 0, 1, 1);
     INSERT INTO ${d}.store_group VALUES (0, 0, 'Default', 0, 0, 'default'), (1, 1, 'Main Website Store', 2, 1, 'main_website_store');
     INSERT INTO ${d}.store VALUES (0, 'admin', 0, 0, 'Admin', 0, 1), (1, 'default', 1, 1, 'Default Store View', 0, 1);`,
  );
  const dry = await runSettings(env.configFile, true);
  const summary = (r: typeof dry) =>
    r.stores.map((s) => [s.destination, s.inserted, s.updated, s.unchanged, s.destinationOnly]);
  assert.deepEqual(summary(dry), [
    ['store_website', 1, 1, 0, 1],
    ['store_group', 1, 0, 1, 1],
    ['store', 2, 0, 1, 1],
  ]);
  const real = await runSettings(env.configFile);
  assert.deepEqual(summary(real), summary(dry));
  const websites = await sql(`SELECT website_id, code, name FROM ${d}.store_website ORDER BY website_id`);
  assert.deepEqual(
    websites.map((w) => [String(w.website_id), w.code, w.name]),
    [
      ['0', 'admin', 'Admin'],
      ['1', 'base', 'Main Website'],
      ['2', 'eu', 'EU Website'],
    ],
  );
  const stores = await sql(
    `SELECT store_id, code, website_id, group_id, name FROM ${d}.store ORDER BY store_id`,
  );
  assert.deepEqual(
    stores.map((s) => [s.store_id, s.code, s.website_id, s.group_id, s.name].map(String)),
    [
      ['0', 'admin', '0', '0', 'Admin'],
      ['1', 'default', '1', '1', 'Default Store View'],
      ['2', 'french', '1', '1', 'French Store View'],
      ['3', 'german', '2', '2', 'Deutsche Store View'],
    ],
  );
  const groups = await sql(`SELECT group_id, code FROM ${d}.store_group ORDER BY group_id`);
  assert.deepEqual(
    groups.map((g) => [String(g.group_id), g.code]),
    [
      ['0', 'default'],
      ['1', 'main_website_store'],
      ['2', 'main_website_store'],
    ],
  );
  const again = await runSettings(env.configFile);
  assert.deepEqual(summary(again), [
    ['store_website', 0, 0, 2, 1],
    ['store_group', 0, 0, 2, 1],
    ['store', 0, 0, 3, 1],
  ]);
});

test('one transaction: a row the destination refuses leaves stores and settings as they were', async () => {
  const env = await createStoreEnv('set_atomic');
  const d = `\`${env.destSchema}\``;
  await sql(`ALTER TABLE ${d}.core_config_data MODIFY value varchar(40) NULL`);
  await insertConfig(env.destSchema, { 'default:0 general/locale/code': 'de_DE' });
  await assert.rejects(runSettings(env.configFile), (error: Error & { code?: string; hint?: string }) => {
    assert.equal(error.code, 'SETTINGS_WRITE_REFUSED');
    assert.match(error.message, /the destination refused \S+:\d+ \S+: ER_DATA_TOO_LONG/);
    assert.match(error.hint ?? '', /nothing was written/);
    return true;
  });
  const dest = await configValues(env.destSchema);
  assert.deepEqual([...dest], [['default:0 general/locale/code', 'de_DE']]);
  const [stores] = await sql(`SELECT COUNT(*) AS n FROM ${d}.store`);
  assert.equal(String(stores?.n), '0');
});

test('integrity: a value a transform refuses, or two rows on one key, stop the run before anything is written', async () => {
  const env = await createStoreEnv('set_block');
  await editSettingsMap(env, (map) => {
    map.transform = [
      { path: 'general/locale/code', handler: 'convert', params: { map: { en_US: 'en_US' } } },
    ];
    map.rename = { 'design/header/welcome': 'general/store_information/name' };
  });
  const result = await runSettings(env.configFile);
  assert.equal(result.errors.filter((e) => e.startsWith('SETTINGS_VALUE_REJECTED')).length, 2); // fr_FR, de_DE
  assert.ok(
    result.errors.some((e) =>
      /^SETTINGS_PATH_COLLISION: .*default:0 general\/store_information\/name/.test(e),
    ),
  );
  assert.equal((await configValues(env.destSchema)).size, 0);
});

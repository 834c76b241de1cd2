import assert from 'node:assert/strict';
import { createDecipheriv } from 'node:crypto';
import { test } from 'node:test';
import { encryptMagento1 } from '../../../src/magento/crypt/magento1-crypt.js';
import { runCli } from '../../support/cli.js';
import { createMagentoEnv, sql } from './magento-env.js';

const M1_KEY = 'e1f0c2d3b4a5968778695a4b3c2d1e0f'; // 1.9's <crypt><key>: 32 hex characters
const M2_KEY = 'Zq3vR8tW1yB6nM4kP0sD7fG2hJ5lX9cV'; // 2.4's crypt/key: 32 characters
const OPTIONS = `<source_crypt_key>\${TEST_M1_CRYPT_KEY}</source_crypt_key><destination_crypt_key>\${TEST_M2_CRYPT_KEY}</destination_crypt_key>`;

/** Magento 2.4's Encryptor::decrypt for its sodium cipher, apart from the code under test. */
function decrypt24(value: string, key: string): string {
  const [version, cipher, payload = ''] = value.split(':');
  assert.equal(version, '0', 'the key version: index of the only key');
  assert.equal(cipher, '3', 'CIPHER_AEAD_CHACHA20POLY1305');
  const data = Buffer.from(payload, 'base64');
  const nonce = data.subarray(0, 12);
  const body = data.subarray(12, data.length - 16);
  const decipher = createDecipheriv('chacha20-poly1305', Buffer.from(key), nonce, { authTagLength: 16 });
  decipher.setAAD(nonce, { plaintextLength: body.length });
  decipher.setAuthTag(data.subarray(data.length - 16));
  return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
}

const SECRETS = {
  'payment/authorizenet/trans_key': 'TransKey-9f8e7d',
  'payment/paypal_express/api_password': 'paypal password ✓',
  'carriers/ups/password': 'ups-secret-42',
};

async function shopWithSecrets(label: string, key: string) {
  const env = await createMagentoEnv(label, { options: OPTIONS });
  const rows = Object.entries(SECRETS).map(([path, plain]) => [
    path === 'carriers/ups/password' ? 'websites' : 'default',
    path === 'carriers/ups/password' ? 1 : 0,
    path,
    encryptMagento1(plain, M1_KEY),
  ]);
  await sql(`INSERT INTO \`${env.m1}\`.core_config_data (scope, scope_id, path, value) VALUES ?`, [rows]);
  // Store views: 'french' is 2 in 1.9 and 7 in 2.4 (migrate data gave it a new id); 'german' is not in 2.4 yet.
  await sql(`INSERT INTO \`${env.m1}\`.core_store (store_id, code, website_id, group_id, name, sort_order, is_active)
    VALUES (2, 'french', 1, 1, 'French', 1, 1), (3, 'german', 1, 1, 'German', 2, 1)`);
  await sql(`INSERT INTO \`${env.m2}\`.store (store_id, code, website_id, group_id, name, sort_order, is_active)
    VALUES (7, 'french', 1, 1, 'French', 1, 1)`);
  await sql(`INSERT INTO \`${env.m1}\`.core_config_data (scope, scope_id, path, value) VALUES
    ('stores', 2, 'general/store_information/name', 'Boutique'),
    ('stores', 3, 'general/store_information/name', 'Laden')`);
  return { env, cliEnv: { TEST_M1_CRYPT_KEY: key, TEST_M2_CRYPT_KEY: M2_KEY } };
}

async function destinationSettings(m2: string): Promise<Map<string, string>> {
  const rows = await sql<{ scope: string; scope_id: number; path: string; value: string }>(
    `SELECT scope, scope_id, path, value FROM \`${m2}\`.core_config_data`,
  );
  return new Map(rows.map((r) => [`${r.scope}:${r.scope_id} ${r.path}`, r.value]));
}

test('settings: 1.9 encrypted credentials arrive re-encrypted with 2.4 key, store-scoped settings on the 2.4 store of the same code; keys never printed', async () => {
  const { env, cliEnv } = await shopWithSecrets('mcrypt', M1_KEY);
  const run = await runCli(['settings', env.configFile, '-v'], { env: cliEnv });
  const output = `${run.stdout}\n${run.stderr}`;
  assert.equal(run.status, 0, output);
  assert.doesNotMatch(output, new RegExp(`${M1_KEY}|${M2_KEY}`), 'no key in the output');
  for (const plain of Object.values(SECRETS))
    assert.ok(!output.includes(plain), 'no plaintext in the output');

  const after = await destinationSettings(env.m2);
  assert.equal(
    decrypt24(after.get('default:0 payment/authorizenet/trans_key') ?? '', M2_KEY),
    SECRETS['payment/authorizenet/trans_key'],
  );
  assert.equal(
    decrypt24(after.get('default:0 payment/paypal_express/api_password') ?? '', M2_KEY),
    SECRETS['payment/paypal_express/api_password'],
  );
  assert.equal(
    decrypt24(after.get('websites:1 carriers/ups/password') ?? '', M2_KEY),
    SECRETS['carriers/ups/password'],
  );
  assert.match(output, /re-encrypted/);

  assert.equal(
    after.get('stores:7 general/store_information/name'),
    'Boutique',
    "1.9's store 2 is 2.4's store 7 (code french)",
  );
  assert.equal(after.has('stores:2 general/store_information/name'), false);
  assert.equal(
    after.has('stores:3 general/store_information/name'),
    false,
    'german is not in 2.4: not copied',
  );
  assert.match(
    output,
    /general\/store_information\/name \(stores:3\): not copied: store has no row with code "german"/,
  );

  // A second run finds nothing to write: the same plaintext is already there under 2.4's key.
  const again = await runCli(['settings', env.configFile, '--dry-run', '-v'], { env: cliEnv });
  assert.equal(again.status, 0, `${again.stdout}\n${again.stderr}`);
  // -v lists the paths of every non-empty action as "<kind> (<count>):".
  assert.doesNotMatch(again.stdout, /^(insert|update) \(\d+\):/m, again.stdout);
  assert.match(again.stdout, /^unchanged \(\d+\):[\s\S]*payment\/authorizenet\/trans_key \[re-encrypted\]/m);
  const rerun = await runCli(['settings', env.configFile], { env: cliEnv });
  assert.equal(rerun.status, 0, `${rerun.stdout}\n${rerun.stderr}`);
  assert.deepEqual(await destinationSettings(env.m2), after, 'the second run changed nothing');
});

test('settings: a wrong 1.9 key is SETTINGS_DECRYPT_FAILED (exit 3) and nothing is written', async () => {
  const wrong = '0123456789abcdef0123456789abcdef';
  const { env, cliEnv } = await shopWithSecrets('mcryptbad', wrong);
  const before = await destinationSettings(env.m2);
  const run = await runCli(['settings', env.configFile], { env: cliEnv });
  const output = `${run.stdout}\n${run.stderr}`;
  assert.equal(run.status, 3, output);
  assert.match(
    output,
    /SETTINGS_DECRYPT_FAILED: \d encrypted source values cannot be decrypted with <source_crypt_key>/,
  );
  assert.match(
    output,
    /check <source_crypt_key> in config\.xml: it must be the <crypt><key> of 1\.9's app\/etc\/local\.xml/,
  );
  assert.doesNotMatch(output, new RegExp(`${wrong}|${M2_KEY}`), 'no key in the output');
  assert.deepEqual(await destinationSettings(env.m2), before, 'nothing written');
});

test('settings: one key without the other stops before connecting (exit 2), naming the missing option', async () => {
  const env = await createMagentoEnv('mcryptone', {
    options: `<source_crypt_key>\${TEST_M1_CRYPT_KEY}</source_crypt_key>`,
  });
  const run = await runCli(['settings', env.configFile], { env: { TEST_M1_CRYPT_KEY: M1_KEY } });
  const output = `${run.stdout}\n${run.stderr}`;
  assert.equal(run.status, 2, output);
  assert.match(output, /sets <source_crypt_key> but not <destination_crypt_key>/);
  assert.ok(!output.includes(M1_KEY));
});

import assert from 'node:assert/strict';
import { createDecipheriv } from 'node:crypto';
import { test } from 'node:test';
import {
  decryptMagento2,
  encryptMagento2,
  magento2KeyProblem,
  magento2Keys,
} from '../../../src/magento/crypt/magento2-crypt.js';

/**
 * Magento 2's Encryptor::decrypt for the sodium cipher, written from its source apart from the
 * module under test: split `version:cipher:payload` (at most 4 parts), pick the key by version,
 * nonce = first 12 bytes, ciphertext and tag the rest, the nonce also the associated data.
 */
function magento2Decrypt(value: string, envKeys: string): string {
  const keys = envKeys.trim().split(/\s+/);
  const parts = value.split(':');
  assert.equal(parts.length, 3, 'version:cipher:payload');
  const [version = '', cipher = '', payload = ''] = parts;
  assert.equal(cipher, '3', 'CIPHER_AEAD_CHACHA20POLY1305');
  const envKey = keys[Number(version)] ?? '';
  const key = envKey.startsWith('base64')
    ? Buffer.from(envKey.slice(6), 'base64')
    : Buffer.from(envKey, 'latin1');
  const data = Buffer.from(payload, 'base64');
  const nonce = data.subarray(0, 12);
  const decipher = createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
  const body = data.subarray(12, data.length - 16);
  decipher.setAAD(nonce, { plaintextLength: body.length });
  decipher.setAuthTag(data.subarray(data.length - 16));
  return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
}

test("Magento 2's own test vector (SodiumChachaIetfTest fixture 0) decrypts", () => {
  // lib/internal/Magento/Framework/Encryption/Test/Unit/Crypt/_files/_sodium_chachaieft_fixtures.php
  const keys = magento2Keys('6wRADHwwCBGgdxbcHhovGB0upmg0mbsN');
  assert.equal(
    decryptMagento2('0:3:146BhsQ3grT0VgkYuY3ii3gpClXHkFqlIcNpAD4+bAMBP+ToCHZHiJID', keys),
    'Hello World!!!',
  );
});

test("encrypt: the last key and its index, a fresh nonce, readable by Magento 2's decrypt", () => {
  const env = 'oldkeyoldkeyoldkeyoldkeyoldkey12\nnewkeynewkeynewkeynewkeynewkey34';
  const keys = magento2Keys(env);
  const a = encryptMagento2('api-password ✓', keys);
  const b = encryptMagento2('api-password ✓', keys);
  assert.match(a, /^1:3:[A-Za-z0-9+/]+={0,2}$/);
  assert.notEqual(a, b, 'a fresh nonce each time');
  assert.equal(magento2Decrypt(a, env), 'api-password ✓');
  assert.equal(decryptMagento2(a, keys), 'api-password ✓');
  assert.equal(decryptMagento2(a, magento2Keys('newkeynewkeynewkeynewkeynewkey35')), undefined);
  assert.equal(decryptMagento2('0:2:abcd', keys), undefined);
});

test('2.4.7+ keys: "base64" and the base64 of 32 bytes', () => {
  const env = `base64${Buffer.alloc(32, 7).toString('base64')}`;
  const value = encryptMagento2('secret', magento2Keys(env));
  assert.equal(magento2Decrypt(value, env), 'secret');
  assert.equal(magento2KeyProblem(env), undefined);
  assert.match(magento2KeyProblem('short') ?? '', /key 1 of 1 is 5 bytes/);
  assert.match(magento2KeyProblem('   ') ?? '', /empty/);
});

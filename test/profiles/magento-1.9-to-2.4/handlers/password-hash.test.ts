import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { test } from 'node:test';
import { HandlerRejection } from '../../../../src/handlers/contract.js';
import {
  magentoPasswordHash,
  upgradablePasswordHash,
} from '../../../../src/profiles/magento-1.9-to-2.4/handlers/password-hash.js';

const digest = (algorithm: string, text: string) => createHash(algorithm).update(text).digest('hex');

test('a 1.9 md5 hash:salt gets version 0, which Magento 2 checks as md5(salt . password)', () => {
  const hash = `${digest('md5', 'Xysecret')}:Xy`;
  const upgraded = upgradablePasswordHash(hash);
  assert.equal(upgraded, `${hash}:0`);
  const [h, salt] = upgraded.split(':');
  assert.equal(digest('md5', `${salt}secret`), h);
});

test('an unsalted md5 gets an empty salt; a sha256 hash gets version 1; a 2.4-form hash stays', () => {
  const md5 = digest('md5', 'secret');
  assert.equal(upgradablePasswordHash(md5), `${md5}::0`);
  const sha = digest('sha256', 'saltsecret');
  assert.equal(upgradablePasswordHash(`${sha}:salt`), `${sha}:salt:1`);
  assert.equal(upgradablePasswordHash(`${sha}:salt:1`), `${sha}:salt:1`);
  assert.equal(upgradablePasswordHash(upgradablePasswordHash(md5)), `${md5}::0`);
});

test('a hash 2.4 cannot verify rejects the row with the reason; NULL and empty stay', () => {
  const bcrypt = '$2y$10$abcdefghijklmnopqrstuuM8bHn2k1l8hV0r7o4Qm0vZ9oY1pQ2r3';
  assert.throws(() => upgradablePasswordHash(bcrypt), HandlerRejection);
  assert.throws(() => upgradablePasswordHash(`${digest('md5', 'x')}:s:1`), /cannot verify/);
  const handler = magentoPasswordHash.create({});
  assert.equal(handler.transform(null, {}), null);
  assert.equal(handler.transform('', {}), '');
});

/**
 * Magento 2.4's Encryptor::isValidHash, from its source, apart from the handler: explode the hash
 * on ':' into at most 3 parts (hash, salt, versions); fewer than 3 is "not a password hash" and
 * is compared with an HMAC of the password under the crypt key; otherwise every version, oldest
 * first, hashes salt . previous (0 md5, 1 sha256; 2/3 argon2id, which 1.9 never wrote).
 */
function isValidHash24(password: string, stored: string, cryptKey = 'k'.repeat(32)): boolean {
  const parts = stored.split(':');
  if (parts.length < 3) {
    return createHmacHex(cryptKey, password) === stored;
  }
  const [hash = '', salt = '', ...versions] = parts;
  let recreated = password;
  for (const version of versions) {
    const algorithm = { '0': 'md5', '1': 'sha256' }[version];
    if (!algorithm) return false;
    recreated = digest(algorithm, `${salt}${recreated}`);
  }
  return recreated === hash;
}

function createHmacHex(key: string, text: string): string {
  return createHmac('sha256', key).update(text).digest('hex');
}

test("converted 1.9 hashes pass 2.4's isValidHash for the customer's password, and only for it", () => {
  const password = 'Tr0ub4dor&3';
  const salt32 = 'aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY'; // 1.9.x CE: Mage_Admin_Model_User::HASH_SALT_LENGTH = 32
  const hashes = {
    'CE 1.9 md5(salt.password):salt': `${digest('md5', `${salt32}${password}`)}:${salt32}`,
    'old 2-character salt': `${digest('md5', `Zq${password}`)}:Zq`,
    'unsalted md5': digest('md5', password),
    'OpenMage sha256(salt.password):salt': `${digest('sha256', `${salt32}${password}`)}:${salt32}`,
  };
  for (const [kind, hash] of Object.entries(hashes)) {
    const converted = upgradablePasswordHash(hash);
    assert.ok(isValidHash24(password, converted), `${kind}: ${converted}`);
    assert.ok(!isValidHash24('tr0ub4dor&3', converted), `${kind}: another password fails`);
  }
  // Unconverted, 2.4 reads 1.9's `hash:salt` as no password hash at all: the customer could not log in.
  assert.ok(!isValidHash24(password, hashes['CE 1.9 md5(salt.password):salt']));
});

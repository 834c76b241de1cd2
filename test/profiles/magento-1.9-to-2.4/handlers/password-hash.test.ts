import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
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

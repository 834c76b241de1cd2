import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { Blowfish } from 'egoroof-blowfish';
import {
  decryptMagento1,
  encryptMagento1,
  Magento1DecryptError,
  magento1KeyProblem,
} from '../../../src/magento/crypt/magento1-crypt.js';

const KEY = 'a5c0b8f1d2e3a4b5c6d7e8f9a0b1c2d3'; // what 1.9's installer writes: 32 hex characters

test("the Blowfish implementation gives Schneier's published ECB vectors", () => {
  // From Schneier's test vectors (vectors.txt, Eric Young's set): key, plaintext, ciphertext.
  const vectors = [
    ['0000000000000000', '0000000000000000', '4EF997456198DD78'],
    ['FFFFFFFFFFFFFFFF', 'FFFFFFFFFFFFFFFF', '51866FD5B85ECB8A'],
    ['3000000000000000', '1000000000000001', '7D856F9A613063F2'],
    ['0123456789ABCDEF', '1111111111111111', '61F9C3802281B096'],
    ['FEDCBA9876543210', '0123456789ABCDEF', '0ACEAB0FC6A0A28D'],
    ['F0E1D2C3B4A5968778695A4B3C2D1E0F0011223344556677', 'FEDCBA9876543210', '05044B62FA52D080'],
  ];
  for (const [key = '', plain = '', expected = ''] of vectors) {
    const bf = new Blowfish(Buffer.from(key, 'hex'), Blowfish.MODE.ECB, Blowfish.PADDING.NULL);
    assert.equal(
      Buffer.from(bf.encode(Buffer.from(plain, 'hex')))
        .toString('hex')
        .toUpperCase(),
      expected,
      key,
    );
  }
});

test('1.9 values: encrypt zero-pads to whole blocks, decrypt gives the text back', () => {
  for (const plain of ['x', 'exactly8', 'api-password-with-16', 'pässwörd ✓', ' padded ']) {
    const encrypted = encryptMagento1(plain, KEY);
    assert.equal(Buffer.from(encrypted, 'base64').length % 8, 0);
    // 1.9's decrypt trims: surrounding spaces do not survive, as in Magento 1 itself.
    assert.equal(decryptMagento1(encrypted, KEY), plain.trim());
  }
  assert.equal(encryptMagento1('', KEY), '');
  assert.equal(decryptMagento1('', KEY), '');
});

test("1.9 values agree with OpenSSL's bf-ecb (legacy provider, in a child process)", (t) => {
  const plain = 'secret-api-password';
  const script = `const c=require('node:crypto');const d=Buffer.alloc(24);Buffer.from(${JSON.stringify(plain)}).copy(d);
const e=c.createCipheriv('bf-ecb',Buffer.from(process.env.K),null);e.setAutoPadding(false);
process.stdout.write(Buffer.concat([e.update(d),e.final()]).toString('base64'));`;
  const child = spawnSync(process.execPath, ['--openssl-legacy-provider', '-e', script], {
    env: { ...process.env, K: KEY },
    encoding: 'utf8',
  });
  if (child.status !== 0) {
    t.skip(`this Node cannot load OpenSSL's legacy provider: ${child.stderr.split('\n')[0]}`);
    return;
  }
  assert.equal(encryptMagento1(plain, KEY), child.stdout);
  assert.equal(decryptMagento1(child.stdout, KEY), plain);
});

test('a wrong key or a value that is not encrypted is refused, naming neither', () => {
  const values = ['first-secret', 'another-password', 'a third, longer API signature value'].map((p) =>
    encryptMagento1(p, KEY),
  );
  const wrong = 'ffffffffffffffffffffffffffffffff';
  const refused = values.filter((v) => {
    try {
      decryptMagento1(v, wrong);
      return false;
    } catch (error) {
      assert.ok(error instanceof Magento1DecryptError);
      assert.doesNotMatch(error.message, new RegExp(`${wrong}|${v.replace(/[+/=]/g, '.')}`));
      return true;
    }
  });
  assert.ok(refused.length >= 2, `a wrong key refused ${refused.length} of 3 values`);
  assert.throws(() => decryptMagento1('not base64!', KEY), Magento1DecryptError);
  assert.throws(() => decryptMagento1('AAAA', KEY), /not whole 8-byte Blowfish blocks/);
});

test('1.9 crypt keys: 1 to 56 bytes', () => {
  assert.equal(magento1KeyProblem(KEY), undefined);
  assert.match(magento1KeyProblem('') ?? '', /empty/);
  assert.match(magento1KeyProblem('k'.repeat(57)) ?? '', /57 bytes/);
});

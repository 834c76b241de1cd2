/**
 * Magento 2.4's reversible encryption of settings (Magento\Framework\Encryption\Encryptor::encrypt
 * with its SodiumChachaIetf adapter): ChaCha20-Poly1305 (IETF, 12-byte nonce, 16-byte tag), the
 * nonce also the associated data, stored as `<key version>:3:<base64(nonce . ciphertext . tag)>`.
 *
 * Keys: env.php's `crypt/key` is a whitespace-separated list; encryption uses the last one, and
 * the key version is its index. A key is 32 characters used as bytes, or since 2.4.7 `base64`
 * followed by the base64 of 32 random bytes. Node's crypto has this cipher; no dependency.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
/** Encryptor::CIPHER_AEAD_CHACHA20POLY1305 */
export const MAGENTO2_CIPHER_CHACHA20POLY1305 = 3;
/** ConfigOptionsListConstants::STORE_KEY_ENCODED_RANDOM_STRING_PREFIX (2.4.7+). */
const ENCODED_KEY_PREFIX = 'base64';

/** The keys of env.php's crypt/key, in order, as the cipher's bytes. */
export interface Magento2Keys {
  readonly keys: readonly Buffer[];
}

/** Why env.php's crypt/key text cannot be used; undefined when it can. Never echoes the key. */
export function magento2KeyProblem(text: string): string | undefined {
  const keys = splitKeys(text);
  if (keys.length === 0) return 'it is empty';
  for (const [i, key] of keys.entries()) {
    const bytes = keyBytes(key);
    if (bytes.length !== KEY_BYTES) {
      return `key ${i + 1} of ${keys.length} is ${bytes.length} bytes; Magento 2 keys are 32 characters, or "base64" and the base64 of 32 bytes`;
    }
  }
  return undefined;
}

export function magento2Keys(text: string): Magento2Keys {
  const problem = magento2KeyProblem(text);
  if (problem) throw new Error(`the Magento 2 crypt key cannot be used: ${problem}`);
  return { keys: splitKeys(text).map(keyBytes) };
}

/** Encryptor::encrypt(): the latest key, a fresh random nonce. */
export function encryptMagento2(plain: string, keys: Magento2Keys): string {
  const version = keys.keys.length - 1;
  const key = keys.keys[version] as Buffer;
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: TAG_BYTES });
  const data = Buffer.from(plain, 'utf8');
  cipher.setAAD(nonce, { plaintextLength: data.length });
  const sealed = Buffer.concat([nonce, cipher.update(data), cipher.final(), cipher.getAuthTag()]);
  return `${version}:${MAGENTO2_CIPHER_CHACHA20POLY1305}:${sealed.toString('base64')}`;
}

/**
 * The plaintext of a value 2.4 encrypted with ChaCha20-Poly1305 under one of `keys`; undefined
 * when it is not such a value or does not authenticate (another key, another cipher).
 */
export function decryptMagento2(value: string, keys: Magento2Keys): string | undefined {
  const match = /^(\d+):(\d+):([A-Za-z0-9+/]+={0,2})$/.exec(value.trim());
  if (!match || Number(match[2]) !== MAGENTO2_CIPHER_CHACHA20POLY1305) return undefined;
  const key = keys.keys[Number(match[1])];
  const sealed = Buffer.from(match[3] ?? '', 'base64');
  if (!key || sealed.length < NONCE_BYTES + TAG_BYTES) return undefined;
  const nonce = sealed.subarray(0, NONCE_BYTES);
  const body = sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(nonce, { plaintextLength: body.length });
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

function splitKeys(text: string): string[] {
  const trimmed = text.trim();
  return trimmed === '' ? [] : trimmed.split(/\s+/);
}

function keyBytes(key: string): Buffer {
  return key.startsWith(ENCODED_KEY_PREFIX)
    ? Buffer.from(key.slice(ENCODED_KEY_PREFIX.length), 'base64')
    : Buffer.from(key, 'utf8');
}

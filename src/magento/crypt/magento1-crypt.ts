/**
 * Magento 1's reversible encryption of settings (Mage_Core_Model_Encryption over
 * Varien_Crypt_Mcrypt): Blowfish in ECB mode, the key the text of `<crypt><key>` in 1.9's
 * app/etc/local.xml taken as bytes (at most 56), the plaintext zero-padded to whole 8-byte
 * blocks, stored as base64. Decrypting trims whitespace and NULs from the ends and then drops
 * every NUL, as 1.9's decrypt() does.
 *
 * Node 20's OpenSSL 3 keeps Blowfish in its legacy provider, which is not loaded, so the cipher
 * comes from egoroof-blowfish (MIT, no dependencies; checked against Schneier's vectors and
 * against OpenSSL in test/magento/crypt).
 *
 * ECB carries no integrity check: a wrong key yields bytes, not an error. Those bytes are
 * rarely text, so a decryption that is not printable UTF-8 is refused as a wrong key.
 */
import { Blowfish } from 'egoroof-blowfish';

const BLOCK = 8;
/** Blowfish takes keys of 1 to 56 bytes (mcrypt_enc_get_key_size). */
export const MAGENTO1_MAX_KEY_BYTES = 56;

/** A value the key cannot decrypt. The message never holds the value or the key. */
export class Magento1DecryptError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'Magento1DecryptError';
  }
}

/** Why a 1.9 crypt key cannot be used; undefined when it can. */
export function magento1KeyProblem(key: string): string | undefined {
  const bytes = Buffer.byteLength(key, 'utf8');
  if (bytes === 0) return 'it is empty';
  if (bytes > MAGENTO1_MAX_KEY_BYTES)
    return `it has ${bytes} bytes; Blowfish takes at most ${MAGENTO1_MAX_KEY_BYTES}`;
  return undefined;
}

/** 1.9's encrypt(): used by tests and the store generator to write what a 1.9 shop writes. */
export function encryptMagento1(plain: string, key: string): string {
  const data = Buffer.from(plain, 'utf8');
  if (data.length === 0) return '';
  const padded = Buffer.alloc(Math.ceil(data.length / BLOCK) * BLOCK);
  data.copy(padded);
  return Buffer.from(cipher(key).encode(padded)).toString('base64');
}

/** 1.9's decrypt(), refusing what is not base64 of whole blocks or does not decrypt to text. */
export function decryptMagento1(value: string, key: string): string {
  const text = value.trim();
  if (text === '') return '';
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) throw new Magento1DecryptError('the value is not base64');
  const data = Buffer.from(text, 'base64');
  if (data.length % BLOCK !== 0) {
    throw new Magento1DecryptError(
      `the value is ${data.length} bytes, not whole ${BLOCK}-byte Blowfish blocks`,
    );
  }
  const raw = Buffer.from(cipher(key).decode(data, Blowfish.TYPE.UINT8_ARRAY));
  const plain = phpTrim(raw.toString('latin1')).replaceAll('\0', '');
  const utf8 = Buffer.from(plain, 'latin1');
  const decoded = utf8.toString('utf8');
  if (!Buffer.from(decoded, 'utf8').equals(utf8) || hasControlCharacter(decoded)) {
    throw new Magento1DecryptError(
      'the key does not decrypt it to text (a wrong key, or a value that is not encrypted)',
    );
  }
  return decoded;
}

function cipher(key: string): Blowfish {
  const problem = magento1KeyProblem(key);
  if (problem) throw new Magento1DecryptError(`the crypt key cannot be used: ${problem}`);
  // NULL padding: encode() gets whole blocks already (nothing added); decode() drops trailing NULs, which 1.9 drops too.
  return new Blowfish(Buffer.from(key, 'utf8'), Blowfish.MODE.ECB, Blowfish.PADDING.NULL);
}

/** C0 controls but tab, newline and carriage return, and DEL: never in a setting's text. */
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0x7f) return true;
  }
  return false;
}

/** PHP's trim(): " \t\n\r\0\x0B" from both ends. */
function phpTrim(text: string): string {
  const trimmed = ' \t\n\r\0\x0B';
  let start = 0;
  let end = text.length;
  while (start < end && trimmed.includes(text.charAt(start))) start++;
  while (end > start && trimmed.includes(text.charAt(end - 1))) end--;
  return text.slice(start, end);
}

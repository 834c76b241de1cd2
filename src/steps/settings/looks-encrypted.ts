/**
 * A guess at values encrypted with the old platform's key that the settings map does not list
 * under `encrypted`. Such a value copied as it is reads as garbage on the new platform, so the
 * step reports it; it still copies it, because the guess can be wrong and a value is never
 * dropped on a guess.
 */
import type { Value } from '../../handlers/contract.js';

/** Last path segments that usually hold secrets: password, api_key, secret, token, ... */
const SECRET_NAME = /(pass(word|wd|phrase)?|secret|token|api_?key|private_?key|signature|encryption_?key)$/i;
/** Magento 2's own format: <key version>:<cipher version>:<base64>. */
const VERSIONED_CIPHERTEXT = /^\d+:\d+:[A-Za-z0-9+/]+={0,2}$/;
/** Base64 of at least 12 bytes, as Magento 1 stores mcrypt output. */
const BASE64 = /^[A-Za-z0-9+/]{16,}={0,2}$/;

export function looksEncrypted(path: string, value: Value): boolean {
  if (value === null) return false;
  const text = Buffer.isBuffer(value) ? value.toString('latin1') : value.trim();
  if (VERSIONED_CIPHERTEXT.test(text)) return true;
  const name = path.slice(path.lastIndexOf('/') + 1);
  return SECRET_NAME.test(name) && text.length % 4 === 0 && BASE64.test(text);
}

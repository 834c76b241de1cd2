/**
 * magentoPasswordHash: a Magento 1.9 customer password hash in the form Magento 2.4's
 * Encryptor verifies and upgrades at the next login, so customers keep their passwords.
 *
 * 2.4 stores `hash:salt:version` and checks hash == H(salt . password) with H chosen by the
 * version (0 md5, 1 sha256; Magento\Framework\Encryption\Encryptor::isValidHash); a hash with
 * fewer than three parts is no password hash to it. Magento CE 1.9.0-1.9.4.x stores
 * `md5(salt . password):salt` (Mage_Core_Model_Encryption::getHash, a 32-character salt; older
 * accounts a 2-character one) or an unsalted md5; OpenMage LTS, a 1.9 fork, writes
 * `sha256(salt . password):salt`. Each is the same computation, so only the version is added
 * (md5 by its 32 hex digits, sha256 by its 64). A hash 2.4 cannot verify (OpenMage's bcrypt
 * `$2y$`) rejects the row with the reason rather than locking the customer out unnoticed.
 */
import { type HandlerDefinition, HandlerRejection } from '../../../handlers/contract.js';

const MD5 = /^[0-9a-f]{32}$/i;
const SHA256 = /^[0-9a-f]{64}$/i;

/** The 2.4 form of one 1.9 hash; throws HandlerRejection for a hash 2.4 cannot verify. */
export function upgradablePasswordHash(hash: string): string {
  const parts = hash.split(':');
  const [digest = '', salt = '', version] = parts;
  const versionOf = MD5.test(digest) ? '0' : SHA256.test(digest) ? '1' : undefined;
  if (versionOf === undefined || parts.length > 3 || (version !== undefined && version !== versionOf)) {
    throw new HandlerRejection(
      'magentoPasswordHash: not an md5 or sha256 Magento 1 password hash; Magento 2 cannot verify it ' +
        '(the customer would have to reset the password)',
    );
  }
  return `${digest}:${salt}:${versionOf}`;
}

export const magentoPasswordHash: HandlerDefinition = {
  name: 'magentoPasswordHash',
  description:
    'magentoPasswordHash: a Magento 1.9 customer password hash (md5 or sha256 `hash:salt`) as Magento 2.4 `hash:salt:version`; no params',
  create() {
    return {
      transform(value) {
        if (value === null || value.length === 0) return value;
        return upgradablePasswordHash(Buffer.isBuffer(value) ? value.toString('utf8') : value);
      },
    };
  },
};

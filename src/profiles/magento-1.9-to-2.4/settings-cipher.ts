/**
 * The profile's settings cipher: 1.9's Blowfish values (key: `<crypt><key>` of app/etc/local.xml)
 * into 2.4's ChaCha20-Poly1305 ones (key: `crypt/key` of app/etc/env.php), as Magento 2 itself
 * writes them when a value is saved in its admin (src/magento/crypt/).
 */
import {
  decryptMagento1,
  Magento1DecryptError,
  magento1KeyProblem,
} from '../../magento/crypt/magento1-crypt.js';
import {
  decryptMagento2,
  encryptMagento2,
  magento2KeyProblem,
  magento2Keys,
} from '../../magento/crypt/magento2-crypt.js';
import { type SettingsCipher, SettingsDecryptError } from '../../steps/settings/settings-cipher.js';

const description = "Magento 1.9's Blowfish (ECB) values re-encrypted as Magento 2.4's ChaCha20-Poly1305";
const sourceKeyWhere = "the <crypt><key> of 1.9's app/etc/local.xml";

export const magentoSettingsCipher: SettingsCipher = {
  description,
  sourceKeyWhere,
  destinationKeyWhere: "'crypt' => ['key' => ...] of 2.4's app/etc/env.php (all its keys, space-separated)",
  sourceKeyProblem: magento1KeyProblem,
  destinationKeyProblem: magento2KeyProblem,
  bind(sourceKey, destinationKey) {
    const keys = magento2Keys(destinationKey);
    return {
      description,
      sourceKeyWhere,
      decryptSource(value) {
        try {
          return decryptMagento1(value, sourceKey);
        } catch (error) {
          if (error instanceof Magento1DecryptError) throw new SettingsDecryptError(error.message);
          throw error;
        }
      },
      encryptDestination: (plain) => encryptMagento2(plain, keys),
      decryptDestination: (value) => decryptMagento2(value, keys),
    };
  },
};

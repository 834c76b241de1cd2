/**
 * The settings step's cipher: the profile's (Profile.settingsCipher) bound to config.xml's
 * `<source_crypt_key>` and `<destination_crypt_key>`. Without the keys encrypted paths are
 * listed, not copied, and the advice says which options to set; a key that cannot be used, or
 * only one of the two, stops the run before anything connects (exit 2). Keys are never echoed.
 */
import type { Config } from '../../config/types.js';
import type { Profile } from '../../engine/profile.js';
import { ConfigError } from '../../errors.js';
import type { SettingsCrypto } from './rules.js';

export function settingsCrypto(config: Config, profile: Profile | undefined): SettingsCrypto {
  const { sourceCryptKey, destinationCryptKey } = config.options;
  const cipher = profile?.settingsCipher;
  const context = { file: config.file };
  if (sourceCryptKey === undefined && destinationCryptKey === undefined) {
    return cipher
      ? {
          advice:
            `set <source_crypt_key> (${cipher.sourceKeyWhere}) and <destination_crypt_key> (${cipher.destinationKeyWhere}) ` +
            "in config.xml's <options>, read from environment variables, and run again to have it re-encrypted; or set it in the new admin",
        }
      : {};
  }
  if (sourceCryptKey === undefined || destinationCryptKey === undefined) {
    const [set, unset] =
      sourceCryptKey === undefined
        ? ['<destination_crypt_key>', '<source_crypt_key>']
        : ['<source_crypt_key>', '<destination_crypt_key>'];
    throw new ConfigError(
      `${config.file} sets ${set} but not ${unset}: re-encrypting settings needs both keys`,
      {
        code: 'CONFIG_MISSING',
        hint: `add ${unset} to <options>${cipher ? ` (${unset === '<source_crypt_key>' ? cipher.sourceKeyWhere : cipher.destinationKeyWhere})` : ''}, or remove ${set}`,
        context,
      },
    );
  }
  if (!cipher) {
    throw new ConfigError(
      `${config.file} sets <source_crypt_key> and <destination_crypt_key>, but ${profile ? `profile ${profile.name} has` : 'there is no <profile>, so there is'} no settings cipher to use them`,
      {
        code: 'CONFIG_VALUE_INVALID',
        hint: "remove both keys (encrypted settings are then listed, not copied), or use a profile that knows both platforms' ciphers (magento-1.9-to-2.4)",
        context,
      },
    );
  }
  for (const [element, key, problem, where] of [
    ['<source_crypt_key>', sourceCryptKey, cipher.sourceKeyProblem(sourceCryptKey), cipher.sourceKeyWhere],
    [
      '<destination_crypt_key>',
      destinationCryptKey,
      cipher.destinationKeyProblem(destinationCryptKey),
      cipher.destinationKeyWhere,
    ],
  ] as const) {
    if (problem === undefined || key === undefined) continue;
    throw new ConfigError(`${element} in ${config.file} cannot be used: ${problem}`, {
      code: 'CONFIG_VALUE_INVALID',
      hint: `set it to ${where}`,
      context,
    });
  }
  return { cipher: cipher.bind(sourceCryptKey, destinationCryptKey) };
}

/**
 * How a profile's two platforms encrypt settings, so the settings step can carry the values the
 * settings map lists under `encrypted` across: decrypted with the old platform's key, encrypted
 * with the new one's (both from config.xml). A profile gives one (Profile.settingsCipher); the
 * keys never leave this object: no message, error or report holds them or a plaintext.
 */

export interface SettingsCipher {
  /** One line for output: which cipher on each side. */
  readonly description: string;
  /** Where the operator finds each key on its platform, for the messages that ask for it. */
  readonly sourceKeyWhere: string;
  readonly destinationKeyWhere: string;
  /** Why a key cannot be used (without echoing it); undefined when it can. */
  sourceKeyProblem(key: string): string | undefined;
  destinationKeyProblem(key: string): string | undefined;
  bind(sourceKey: string, destinationKey: string): BoundSettingsCipher;
}

/** A cipher bound to both keys. */
export interface BoundSettingsCipher {
  readonly description: string;
  readonly sourceKeyWhere: string;
  /** The plaintext of an old platform's value; throws {@link SettingsDecryptError} when the key cannot decrypt it. */
  decryptSource(value: string): string;
  /** The new platform's encrypted form of a plaintext. */
  encryptDestination(plain: string): string;
  /** The plaintext of a value the new platform holds, when its key reads it; else undefined. */
  decryptDestination(value: string): string | undefined;
}

/** A source value the old platform's key does not decrypt; the reason names neither value nor key. */
export class SettingsDecryptError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'SettingsDecryptError';
  }
}

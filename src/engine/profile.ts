/**
 * The Profile contract: one migration path under one name — its map file, settings map, delta
 * log list, the steps it adds beyond the map, and the handlers its map files name. config.xml
 * chooses one with `<profile>NAME</profile>` (a built-in name, or a path to a module of the
 * user's); an explicit `<map_file>`, `<settings_map_file>` or `<deltalog_file>` overrides the
 * profile's file of that kind.
 */
import type { HandlerDefinition } from '../handlers/contract.js';
import type { MapRules } from '../mappings/map-rules.js';
import type { SettingsCipher } from '../steps/settings/settings-cipher.js';
import type { Step } from './step.js';

export interface Profile {
  readonly name: string;
  /** One line for `--help` and errors. */
  readonly description?: string;
  /** Absolute, or relative to the profile module's folder. */
  readonly mapFile?: string;
  /**
   * Several map files merged into one set of rules (lists concatenated, objects merged, the same
   * key in two files an error naming both), so a profile's areas keep a file each. Used when
   * `mapFile` is absent; absolute, or relative to the profile module's folder.
   */
  readonly mapFiles?: readonly string[];
  readonly settingsMapFile?: string;
  readonly deltalogFile?: string;
  /**
   * Steps run by `migrate data` after the map's documents, in this order. A function receives
   * the loaded map rules (e.g. to build steps from a profile's own sections of it).
   */
  readonly steps?: readonly Step[] | ((rules: MapRules) => readonly Step[]);
  /**
   * How the two platforms encrypt settings: with `<source_crypt_key>` and `<destination_crypt_key>`
   * in config.xml, `migrate settings` re-encrypts the settings map's `encrypted` paths with it.
   */
  readonly settingsCipher?: SettingsCipher;
  /** Handlers the map files may name like built-in ones. */
  readonly handlers?: readonly HandlerDefinition[];
}

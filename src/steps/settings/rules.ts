/**
 * The settings map bound for use: patterns compiled, handlers resolved and their params
 * checked, so an unknown handler or bad params stop the run before anything connects
 * (exit 2). Handlers are bound here and not when settings.json is read, so `migrate data`
 * never needs the keys a re-encrypting handler may ask the environment for.
 */
import { basename, dirname } from 'node:path';
import { isUsageErrorCode } from '../../error-codes.js';
import { ConfigError, MigrateError } from '../../errors.js';
import { type FieldHandler, HandlerParamsError } from '../../handlers/contract.js';
import { resolveHandler } from '../../handlers/registry.js';
import { PatternList } from '../../mappings/pattern.js';
import type { ScopeCodeTables, SettingsColumns, SettingsMap } from '../../mappings/settings-map.js';
import type { BoundSettingsCipher } from './settings-cipher.js';

export interface PathTransform {
  /** As written: a source path, `*` allowed. */
  path: string;
  pattern: PatternList;
  /** The handler as written in the map: a built-in name or a module path. */
  name: string;
  handler: FieldHandler;
}

export interface SettingsRules {
  file: string;
  /** The file's name, as messages mention it. */
  fileName: string;
  table: string;
  columns: SettingsColumns;
  documents: readonly string[];
  ignore: PatternList;
  rename: ReadonlyMap<string, string>;
  transforms: readonly PathTransform[];
  keepDestination: PatternList;
  encrypted: PatternList;
  /** scope -> old id -> new id */
  scopeIdMap: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /** scope -> the tables its ids are matched through by code (after scopeIdMap). */
  scopeCodes: ReadonlyMap<string, ScopeCodeTables>;
  /** Re-encrypts `encrypted` paths that no transform handles; absent without the profile's cipher and both keys. */
  cipher?: BoundSettingsCipher;
  /** What the operator does to have `encrypted` paths copied while `cipher` is absent. */
  encryptedAdvice: string;
}

/** The profile's cipher bound to config.xml's keys, or what to set to have one (settings-crypto.ts). */
export interface SettingsCrypto {
  cipher?: BoundSettingsCipher;
  advice?: string;
}

export async function compileSettingsRules(
  map: SettingsMap,
  crypto: SettingsCrypto = {},
): Promise<SettingsRules> {
  const baseDir = dirname(map.file);
  const fileName = basename(map.file);
  const transforms = await Promise.all(
    map.transform.map(async (entry, index): Promise<PathTransform> => {
      const where = `/transform/${index} ("${entry.path}")`;
      try {
        const definition = await resolveHandler(entry.handler, baseDir);
        let handler: FieldHandler;
        try {
          handler = definition.create(entry.params ?? {});
        } catch (error) {
          if (!(error instanceof HandlerParamsError)) throw error;
          throw new ConfigError(error.message, {
            code: 'HANDLER_PARAMS_INVALID',
            hint: `fix "params" of that transform in ${fileName}: ${definition.description}`,
            cause: error,
          });
        }
        return { path: entry.path, pattern: new PatternList([entry.path]), name: entry.handler, handler };
      } catch (error) {
        if (error instanceof MigrateError) {
          throw new ConfigError(`${where}: ${error.message}`, {
            code: isUsageErrorCode(error.code) ? error.code : 'HANDLER_MODULE_INVALID',
            ...(error.hint ? { hint: error.hint } : {}),
            context: { file: map.file },
            cause: error,
          });
        }
        throw new ConfigError(`${where}: handler "${entry.handler}" failed to start: ${String(error)}`, {
          code: 'HANDLER_MODULE_INVALID',
          hint: 'a handler that reads keys from the environment says which variable it needs; set it and run again',
          context: { file: map.file },
          cause: error,
        });
      }
    }),
  );
  return {
    file: map.file,
    fileName,
    table: map.table,
    columns: map.columns,
    documents: map.documents,
    ignore: new PatternList(map.ignore),
    rename: new Map(Object.entries(map.rename)),
    transforms,
    keepDestination: new PatternList(map.keepDestination),
    encrypted: new PatternList(map.encrypted),
    scopeIdMap: new Map(
      Object.entries(map.scopeIdMap).map(([scope, ids]) => [scope, new Map(Object.entries(ids))]),
    ),
    scopeCodes: new Map(Object.entries(map.scopeCodes)),
    ...(crypto.cipher ? { cipher: crypto.cipher } : {}),
    encryptedAdvice:
      crypto.advice ??
      `add a transform with a re-encrypting handler for it in ${fileName}, or set it in the new admin`,
  };
}

/** True when some rule of the map names this source path (the integrity check counts the others). */
export function ruleCovers(rules: SettingsRules, sourcePath: string, destinationPath: string): boolean {
  return (
    rules.ignore.matches(sourcePath) ||
    rules.rename.has(sourcePath) ||
    rules.transforms.some((t) => t.pattern.matches(sourcePath)) ||
    rules.encrypted.matches(sourcePath) ||
    rules.keepDestination.matches(destinationPath)
  );
}

/**
 * Where a `<profile>` name leads: a built-in profile (the shipped mapping folders), or a
 * module of the user's whose default export is a {@link Profile}, loaded the way handler
 * modules are (src/handlers/registry.ts), so a user adds a migration path without forking.
 */
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '../errors.js';
import magentoProfile from '../profiles/magento-1.9-to-2.4/index.js';
import { nearest } from '../util/nearest.js';
import { packageRoot } from '../util/package-root.js';
import type { Profile } from './profile.js';

/** A shipped mapping folder as a profile: src/mappings/<name>/{map,settings,deltalog}.json. */
function shippedProfile(name: string, description: string): Profile {
  const folder = join(packageRoot(), 'src', 'mappings', name);
  return {
    name,
    description,
    mapFile: join(folder, 'map.json'),
    settingsMapFile: join(folder, 'settings.json'),
    deltalogFile: join(folder, 'deltalog.json'),
  };
}

export const builtInProfiles: ReadonlyMap<string, () => Profile> = new Map([
  [
    'demo',
    () => shippedProfile('demo', 'the demo shop (Magento 1 style -> Magento 2 style), src/mappings/demo'),
  ],
  ['magento-1.9-to-2.4', () => magentoProfile],
]);

const PROFILE_SHAPE =
  'a profile module must `export default` an object { name, mapFile? or mapFiles?, settingsMapFile?, deltalogFile?, steps?, handlers? } ' +
  '(see the Profile contract exported by store-migrate)';

const loaded = new Map<string, Profile>();

/**
 * Resolves `<profile>`: a built-in name, or a path to a module (relative to `baseDir`, the
 * config file's folder; a name starting with '.' or '/' or ending in .js/.mjs/.ts is a path).
 * File paths the profile names come back absolute.
 */
export async function resolveProfile(nameOrPath: string, baseDir: string): Promise<Profile> {
  if (!isPath(nameOrPath)) {
    const builtIn = builtInProfiles.get(nameOrPath);
    if (builtIn) return builtIn();
    const suggestion = nearest(nameOrPath, builtInProfiles.keys());
    throw new ConfigError(
      `unknown profile "${nameOrPath}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
      {
        code: 'PROFILE_UNKNOWN',
        hint: `use one of ${[...builtInProfiles.keys()].join(', ')}, or a path to a profile module of your own (relative to config.xml)`,
      },
    );
  }
  const path = resolve(baseDir, nameOrPath);
  const cached = loaded.get(path);
  if (cached) return cached;
  let module: { default?: unknown };
  try {
    module = await import(pathToFileURL(path).href);
  } catch (cause) {
    throw new ConfigError(
      `cannot load profile module ${path}: ${cause instanceof Error ? cause.message : String(cause)}`,
      {
        code: 'PROFILE_MODULE_INVALID',
        hint: `check the path in <profile> (relative paths start from config.xml's folder); ${PROFILE_SHAPE}`,
        cause,
      },
    );
  }
  const profile = module.default as Partial<Profile> | undefined;
  if (typeof profile !== 'object' || profile === null || typeof profile.name !== 'string') {
    throw new ConfigError(`profile module ${path} has no usable default export`, {
      code: 'PROFILE_MODULE_INVALID',
      hint: PROFILE_SHAPE,
    });
  }
  const folder = dirname(path);
  const file = (f: string | undefined) => (f === undefined ? undefined : resolve(folder, f));
  const resolved: Profile = {
    ...(profile as Profile),
    mapFile: file(profile.mapFile),
    ...(profile.mapFiles && { mapFiles: profile.mapFiles.map((f) => resolve(folder, f)) }),
    settingsMapFile: file(profile.settingsMapFile),
    deltalogFile: file(profile.deltalogFile),
  };
  loaded.set(path, resolved);
  return resolved;
}

function isPath(name: string): boolean {
  return name.startsWith('.') || name.startsWith('/') || isAbsolute(name) || /\.(?:m?js|ts)$/.test(name);
}

import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/load-config.js';
import { resolveProfile } from '../../src/engine/profiles.js';
import { packageRoot } from '../../src/util/package-root.js';
import { configXml, ENV, expectConfigError, tempDir } from '../config/helpers.js';

const DEMO = path.join(packageRoot(), 'src', 'mappings', 'demo');

test('<profile>demo</profile> gives the demo map files; an explicit <map_file> overrides only that one', async () => {
  const dir = await tempDir();
  const file = path.join(dir, 'config.xml');
  await writeFile(file, configXml({ options: '<profile>demo</profile>' }));
  const config = await loadConfig(file, ENV);
  assert.equal(config.options.profile, 'demo');
  assert.equal(config.options.mapFile, path.join(DEMO, 'map.json'));
  assert.equal(config.options.settingsMapFile, path.join(DEMO, 'settings.json'));
  assert.equal(config.options.deltalogFile, path.join(DEMO, 'deltalog.json'));

  await writeFile(file, configXml({ options: '<profile>demo</profile><map_file>map.json</map_file>' }));
  const overridden = await loadConfig(file, ENV);
  assert.equal(overridden.options.mapFile, path.join(dir, 'map.json'));
  assert.equal(overridden.options.settingsMapFile, path.join(DEMO, 'settings.json'));
});

test('an unknown profile is PROFILE_UNKNOWN naming the nearest one', async () => {
  const dir = await tempDir();
  const file = path.join(dir, 'config.xml');
  await writeFile(file, configXml({ options: '<profile>dmeo</profile>' }));
  const error = await expectConfigError(loadConfig(file, ENV), 'PROFILE_UNKNOWN', 'unknown profile "dmeo"');
  assert.match(error.message, /did you mean "demo"/);
});

test('a profile module resolves its files against its own folder; a bad one is PROFILE_MODULE_INVALID', async () => {
  const dir = await tempDir();
  await writeFile(path.join(dir, 'good.mjs'), "export default { name: 'mine', mapFile: './map.json' };");
  const profile = await resolveProfile('./good.mjs', dir);
  assert.equal(profile.name, 'mine');
  assert.equal(profile.mapFile, path.join(dir, 'map.json'));
  assert.equal(profile.settingsMapFile, undefined);

  await writeFile(path.join(dir, 'bad.mjs'), 'export default 42;');
  await expectConfigError(
    resolveProfile('./bad.mjs', dir),
    'PROFILE_MODULE_INVALID',
    'no usable default export',
  );
  await expectConfigError(
    resolveProfile('./missing.mjs', dir),
    'PROFILE_MODULE_INVALID',
    'cannot load profile module',
  );
});

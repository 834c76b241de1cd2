import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/load-config.js';
import { ConfigError } from '../../src/errors.js';
import { loadMapRules } from '../../src/mappings/map-rules.js';
import { mergeMapFiles } from '../../src/mappings/merge-map-files.js';
import { configXml, ENV, tempDir } from '../config/helpers.js';

test('map files merge: lists concatenated, objects merged', () => {
  const merged = mergeMapFiles([
    {
      file: '/p/stores.json',
      map: {
        source: { documents: { ignore: ['log_*'], rename: { core_store: 'store' } } },
        destination: { documents: { merge: { store: ['code'] } } },
      },
    },
    {
      file: '/p/eav.json',
      map: {
        source: {
          documents: { ignore: ['old_*'], rename: { eav_attribute: 'eav_attribute' } },
          fields: { ignore: ['catalog_product_entity.entity_type_id'] },
        },
        destination: { documents: { merge: { eav_attribute: ['entity_type_id', 'attribute_code'] } } },
        computed: { grid: { select: 'SELECT 1 AS id', key: 'id' } },
      },
    },
  ]);
  assert.deepEqual(merged.source?.documents?.ignore, ['log_*', 'old_*']);
  assert.deepEqual(merged.source?.documents?.rename, { core_store: 'store', eav_attribute: 'eav_attribute' });
  assert.deepEqual(merged.source?.fields?.ignore, ['catalog_product_entity.entity_type_id']);
  assert.deepEqual(merged.destination?.documents?.merge, {
    store: ['code'],
    eav_attribute: ['entity_type_id', 'attribute_code'],
  });
  assert.deepEqual(Object.keys(merged.computed ?? {}), ['grid']);
});

test('the same key in two map files is MAP_FILES_CONFLICT naming both files', () => {
  assert.throws(
    () =>
      mergeMapFiles([
        { file: '/p/a.json', map: { source: { documents: { rename: { core_store: 'store' } } } } },
        { file: '/p/b.json', map: { source: { documents: { rename: { core_store: 'store_view' } } } } },
      ]),
    (error: unknown) =>
      error instanceof ConfigError &&
      error.code === 'MAP_FILES_CONFLICT' &&
      /source\.documents\.rename "core_store" is in both a\.json and b\.json/.test(error.message),
  );
});

test('a document one file ignores by name while another maps it is MAP_FILES_CONFLICT', () => {
  assert.throws(
    () =>
      mergeMapFiles([
        { file: '/p/unmigrated.json', map: { source: { documents: { ignore: ['core_store'] } } } },
        { file: '/p/stores.json', map: { source: { documents: { rename: { core_store: 'store' } } } } },
      ]),
    /stores\.json maps source document core_store, which unmigrated\.json ignores/,
  );
  assert.throws(
    () =>
      mergeMapFiles([
        { file: '/p/unmigrated.json', map: { destination: { documents: { ignore: ['store'] } } } },
        { file: '/p/stores.json', map: { destination: { documents: { merge: { store: ['code'] } } } } },
      ]),
    /stores\.json maps destination document store, which unmigrated\.json ignores/,
  );
});

test('a profile with mapFiles: config.xml gets them all, the rules are their merge', async () => {
  const dir = await tempDir();
  await writeFile(path.join(dir, 'a.json'), JSON.stringify({ source: { documents: { ignore: ['x'] } } }));
  await writeFile(path.join(dir, 'b.json'), JSON.stringify({ source: { documents: { ignore: ['y'] } } }));
  await writeFile(
    path.join(dir, 'profile.mjs'),
    "export default { name: 'split', mapFiles: ['./a.json', './b.json'] };",
  );
  const file = path.join(dir, 'config.xml');
  await writeFile(file, configXml({ options: '<profile>./profile.mjs</profile>' }));
  const config = await loadConfig(file, ENV);
  assert.equal(config.options.mapFile, path.join(dir, 'a.json'));
  assert.deepEqual(config.options.mapFiles, [path.join(dir, 'a.json'), path.join(dir, 'b.json')]);
  const rules = await loadMapRules(config.options.mapFiles ?? config.options.mapFile);
  assert.deepEqual(rules.source.ignoreDocuments.patterns, ['x', 'y']);

  // An explicit <map_file> still wins over the profile's files.
  await writeFile(
    file,
    configXml({ options: '<profile>./profile.mjs</profile><map_file>b.json</map_file>' }),
  );
  const explicit = await loadConfig(file, ENV);
  assert.equal(explicit.options.mapFile, path.join(dir, 'b.json'));
  assert.equal(explicit.options.mapFiles, undefined);
});

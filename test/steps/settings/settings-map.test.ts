import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError } from '../../../src/errors.js';
import { loadSettingsMap } from '../../../src/mappings/settings-map.js';
import { compileSettingsRules } from '../../../src/steps/settings/rules.js';
import { packageRoot } from '../../../src/util/package-root.js';

async function file(text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'settings-map-'));
  const path = join(dir, 'settings.json');
  await writeFile(path, text);
  return path;
}

async function rejects(text: string, code: string, pattern: RegExp): Promise<ConfigError> {
  const path = await file(text);
  let caught: unknown;
  try {
    await compileSettingsRules(await loadSettingsMap(path));
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof ConfigError, `expected a ConfigError, got ${String(caught)}`);
  assert.equal(caught.code, code);
  assert.equal(caught.exitCode, 2);
  assert.match(caught.message, pattern);
  assert.equal(caught.context.file, path);
  return caught;
}

test('the demo settings map loads, with every default filled in', async () => {
  const map = await loadSettingsMap(join(packageRoot(), 'src', 'mappings', 'demo', 'settings.json'));
  assert.equal(map.table, 'core_config_data');
  assert.deepEqual(map.documents, ['core_website', 'core_store_group', 'core_store']);
  const minimal = await loadSettingsMap(await file('{}'));
  assert.deepEqual(minimal.columns, { scope: 'scope', scopeId: 'scope_id', path: 'path', value: 'value' });
  assert.deepEqual([minimal.table, minimal.ignore, minimal.scopeIdMap], ['core_config_data', [], {}]);
  const rules = await compileSettingsRules(map);
  assert.equal(rules.ignore.matches('dev/log/active'), true);
  assert.equal(rules.transforms[0]?.name, 'setValue');
});

test('a JSON syntax error names the file, line and column', async () => {
  const error = await rejects('{\n  "ignore": ["dev/*"],\n}', 'MAP_FILE_MALFORMED', /is not valid JSON/);
  assert.equal(error.context.line, 2); // the trailing comma itself
  assert.ok(error.context.column !== undefined);
});

test('a schema violation names the JSON path', async () => {
  await rejects('{ "ignore": "dev/*" }', 'MAP_FILE_INVALID', /\/ignore: must be array/);
  await rejects('{ "keepDestinaton": [] }', 'MAP_FILE_INVALID', /unknown key "keepDestinaton"/);
  await rejects(
    '{ "scopeIdMap": { "stores": { "3": 5 } } }',
    'MAP_FILE_INVALID',
    /\/scopeIdMap\/stores\/3: must be string/,
  );
  await rejects(
    '{ "transform": [{ "path": "a/b" }] }',
    'MAP_FILE_INVALID',
    /\/transform\/0: must have required property 'handler'/,
  );
});

test('what the schema cannot say: two renames onto one path, colliding ids, the table among documents', async () => {
  await rejects(
    '{ "rename": { "a/b": "x/y", "c/d": "x/y" } }',
    'MAP_FILE_INVALID',
    /\/rename\/c~1d: "c\/d" and "a\/b" are both renamed to "x\/y"/,
  );
  await rejects(
    '{ "scopeIdMap": { "stores": { "3": "5", "4": "5" } } }',
    'MAP_FILE_INVALID',
    /\/scopeIdMap\/stores\/4: ids 3 and 4 both become 5/,
  );
  await rejects(
    '{ "documents": ["core_store", "core_config_data"] }',
    'MAP_FILE_INVALID',
    /\/documents\/1: "core_config_data" is the settings table/,
  );
  await rejects('{ "columns": { "path": "value" } }', 'MAP_FILE_INVALID', /the four columns must differ/);
});

test('an unknown handler or bad params fail before anything connects, naming the transform', async () => {
  const unknown = await rejects(
    '{ "transform": [{ "path": "a/b", "handler": "setValu" }] }',
    'HANDLER_UNKNOWN',
    /\/transform\/0 \("a\/b"\): unknown handler "setValu" \(did you mean "setValue"\?\)/,
  );
  assert.match(unknown.hint ?? '', /setValue/);
  await rejects(
    '{ "transform": [{ "path": "a/b", "handler": "addPrefix", "params": {} }] }',
    'HANDLER_PARAMS_INVALID',
    /\/transform\/0 \("a\/b"\)/,
  );
  await rejects(
    '{ "transform": [{ "path": "a/b", "handler": "./nowhere.mjs" }] }',
    'HANDLER_MODULE_INVALID',
    /cannot load handler module/,
  );
});

import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { MigrateError } from '../../src/errors.js';
import { loadJsonFile, trailingComma } from '../../src/mappings/json-file.js';

async function loadError(text: string): Promise<MigrateError> {
  const file = join(await mkdtemp(join(tmpdir(), 'store-migrate-json-')), 'map.json');
  await writeFile(file, text);
  const error = await loadJsonFile(file, 'map', 'map_file').then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(error instanceof MigrateError, String(error));
  return error;
}

test('a trailing comma in map.json is named with its line and column', async () => {
  const error = await loadError('{\n  "source": {\n    "documents": { "ignore": ["log_*",] }\n  }\n}\n');
  assert.equal(error.code, 'MAP_FILE_MALFORMED');
  assert.match(error.message, /a trailing comma at line 3, column 38$/);
  assert.deepEqual([error.context.line, error.context.column], [3, 38]);
  assert.equal(error.hint, 'remove the comma after the last entry (JSON allows none)');
  assert.equal(trailingComma('{"a": ",]", "b": 1}'), undefined, 'a comma inside a string is text');
});

test('an unknown key in map.json gets "did you mean"', async () => {
  const error = await loadError('{ "source": { "documents": { "ignores": ["log_*"] } } }');
  assert.equal(error.code, 'MAP_FILE_INVALID');
  assert.match(error.message, /\/source\/documents: unknown key "ignores" \(did you mean "ignore"\?\)/);
  const far = await loadError('{ "surprise": 1 }');
  assert.match(far.message, /unknown key "surprise" \(allowed: \$schema, source, destination, computed\)/);
});

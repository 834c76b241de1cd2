import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { schemaValidatorsSource, VALIDATORS_FILE } from '../../scripts/compile-schemas.js';
import { packageRoot } from '../../src/util/package-root.js';

test('the compiled validators are those of the schemas in schemas/', () => {
  const committed = readFileSync(join(packageRoot(), VALIDATORS_FILE), 'utf8');
  assert.ok(
    committed === schemaValidatorsSource(),
    `${VALIDATORS_FILE} is older than schemas/: run \`node --import tsx scripts/compile-schemas.ts\``,
  );
});

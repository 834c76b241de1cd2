/** A map's handler modules are code: a dry run imports them (it must, to validate the map) and says so. */
import assert from 'node:assert/strict';
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import type { MapFile } from '../../src/mappings/map-rules.js';
import { runCli } from '../support/cli.js';
import { createStoreEnv } from '../support/store-env.js';

test('data --dry-run names the handler modules it imported, whose code ran', async () => {
  const env = await createStoreEnv('cli_handler_trust');
  const marker = join(env.dir, 'imported.txt');
  await mkdir(join(env.dir, 'handlers'));
  await writeFile(
    join(env.dir, 'handlers', 'lower.mjs'),
    `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'top-level code ran');\n` +
      'export default (value) => (value === null ? null : String(value).toLowerCase());\n',
  );
  const map = JSON.parse(await readFile(env.mapFile, 'utf8')) as MapFile;
  map.source!.fields!.transform = [
    ...(map.source!.fields!.transform ?? []),
    { field: 'customer_entity.email', handler: './handlers/lower.mjs' },
  ];
  await writeFile(env.mapFile, JSON.stringify(map));

  const dry = await runCli(['data', env.configFile, '--dry-run']);
  assert.equal(dry.status, 0, dry.stderr);
  assert.match(
    dry.stderr,
    /warning: the map names handler modules, which were imported \(their top-level code and create\(\) ran, in this dry run too\): \S+handlers\/lower\.mjs\. A map file and its modules are code/,
  );
  await access(marker); // what the warning says is what happened

  const plain = await runCli(['data', env.configFile, '--dry-run', '--only', 'sales_flat_order']);
  assert.match(plain.stderr, /handler modules/, 'the map is read whole, whatever --only selects');
});

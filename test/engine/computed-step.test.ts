/** Computed documents: several source documents into one, and the key collision rule (an error, never an overwrite). */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { rejectedFileName } from '../../src/steps/data/rejected-log.js';
import { runCli } from '../support/cli.js';
import { createEavEnv, rows } from './eav-env.js';

test('two source documents into one computed document: a colliding key is rejected with the database error, not overwritten', async () => {
  const env = await createEavEnv('computed_collide', { products: 4 });
  const mapFile = join(env.dir, 'map.json');
  const map = JSON.parse(await readFile(mapFile, 'utf8'));
  // Products, plus one row per attribute under the attribute's id as key: attribute 2 collides with product 2.
  map.computed.catalog_product_grid = {
    select:
      'SELECT entity_id, sku, NULL AS name FROM catalog_product_entity UNION ALL SELECT attribute_id + 100 * (attribute_id <> 2), attribute_code, frontend_label FROM eav_attribute',
    key: 'entity_id',
  };
  await writeFile(mapFile, JSON.stringify(map));
  const run = await runCli(['data', env.configFile]);
  assert.equal(run.status, 1, `${run.stdout}\n${run.stderr}`);
  assert.match(run.stderr, /1 rows were rejected/);
  const rejected = (
    await readFile(join(env.dir, 'rejected', rejectedFileName('computed:catalog_product_grid')), 'utf8')
  )
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  assert.equal(rejected.length, 1);
  assert.equal(rejected[0].code, 'ER_DUP_ENTRY');
  // Both rows carry key 2; which of them the select yields first is the server's choice.
  assert.equal(rejected[0].values[0], '2');
  const grid = await rows<{ entity_id: number; sku: string }>(
    `SELECT entity_id, sku FROM \`${env.destSchema}\`.catalog_product_grid ORDER BY entity_id`,
  );
  assert.equal(grid.length, 8, '4 products + 4 attributes; the colliding one refused');
  const kept = grid.find((r) => r.entity_id === 2)?.sku;
  assert.ok(kept === 'SKU-2' || kept === 'name', `key 2 holds ${kept}`);
  assert.notEqual(kept, rejected[0].values[1], 'the first writer was not overwritten by the second');
  assert.match(run.stdout, /^catalog_product_grid\s+9\s+9\s+match/m);
});

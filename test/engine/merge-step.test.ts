/**
 * Merge into a seeded destination, id maps by natural key and computed documents, end to end
 * through `migrate data` on the EAV-style pair of eav-env.ts.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/load-config.js';
import { MergeStep } from '../../src/engine/merge-step.js';
import { createStepContext, runSteps } from '../../src/engine/run-steps.js';
import { createLogger } from '../../src/log.js';
import { RejectedLog, rejectedFileName } from '../../src/steps/data/rejected-log.js';
import {
  closeConnections,
  loadMappingFiles,
  openConnections,
  resolveAgainstDatabases,
} from '../../src/steps/plan-stage.js';
import { runCli } from '../support/cli.js';
import { adminConnection } from '../support/database.js';
import { createEavEnv, type EavEnv, rows, valuesByCode } from './eav-env.js';

const quiet = createLogger('quiet', { out: () => {}, err: () => {} });

async function attributes(env: EavEnv) {
  return rows<{ attribute_id: number; attribute_code: string; frontend_label: string }>(
    `SELECT attribute_id, attribute_code, frontend_label FROM \`${env.destSchema}\`.eav_attribute ORDER BY attribute_id`,
  );
}

async function idMap(env: EavEnv) {
  const found = await rows<{ source_id: string; dest_id: string; created: number }>(
    `SELECT source_id, dest_id, created FROM \`${env.destSchema}\`.migration_progress_idmap WHERE map_name = 'eav_attribute' ORDER BY source_id + 0`,
  );
  return found.map((r) => `${r.source_id}->${r.dest_id}${r.created ? ' created' : ''}`);
}

test('a seeded destination is merged by natural key: ids remapped, values on the right attribute, seeded rows kept, computed grid counted', async () => {
  const env = await createEavEnv('eav_merge', { options: '<bulk_size>7</bulk_size>' });
  const run = await runCli(['data', env.configFile]);
  assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
  assert.doesNotMatch(run.stderr, /DESTINATION_NOT_EMPTY/);

  // color 1 -> 10, name 2 -> 1, sku 4 -> 2 matched; legacy_flag and material created after the seeded ids.
  assert.deepEqual(await idMap(env), ['1->10', '2->1', '3->11 created', '4->2', '5->12 created']);
  assert.deepEqual(
    (await attributes(env)).map((a) => `${a.attribute_id} ${a.attribute_code} ${a.frontend_label}`),
    [
      '1 name Product Name', // a matched seeded row is kept as the installer wrote it
      '2 sku SKU',
      '3 m2_only New in 2', // destination-only: kept
      '10 color Color',
      '11 legacy_flag Legacy',
      '12 material Material',
    ],
  );
  // Every value sits on the attribute with the same code as in the source.
  const expected = await valuesByCode(env.sourceSchema);
  assert.equal(expected.length, 60 * 3 + 30);
  assert.deepEqual(await valuesByCode(env.destSchema), expected);

  const [grid] = await rows<{ n: number; named: number }>(
    `SELECT COUNT(*) AS n, SUM(name = CONCAT('Product ', entity_id)) AS named FROM \`${env.destSchema}\`.catalog_product_grid`,
  );
  assert.equal(Number(grid?.n), 60);
  assert.equal(Number(grid?.named), 60);
  assert.match(
    run.stdout,
    /^catalog_product_grid\s+60\s+60\s+match\s+rows of the select: 60 written, 0 rejected$/m,
  );
  assert.match(
    run.stdout,
    /^eav_attribute\s+5\s+5\s+match\s+source rows with an id map entry \(3 matched, 2 created\)/m,
  );

  // A rerun changes nothing: the same ids, no second legacy_flag.
  const again = await runCli(['data', env.configFile]);
  assert.equal(again.status, 0, again.stderr);
  assert.equal((await attributes(env)).length, 6);
  assert.deepEqual(await idMap(env), ['1->10', '2->1', '3->11 created', '4->2', '5->12 created']);
});

test('a merge stopped after its first chunk resumes with the same ids', async () => {
  const env = await createEavEnv('eav_resume', { options: '<bulk_size>3</bulk_size>' });
  const config = await loadConfig(env.configFile);
  const files = await loadMappingFiles(config);
  const connections = await openConnections(config);
  try {
    const resolution = await resolveAgainstDatabases(config, files, connections);
    const stop = { requested: false };
    const ctx = await createStepContext(config, connections, resolution.plans, quiet, {
      stop,
      rejected: new RejectedLog(`${env.dir}/rejected`),
      onRows: () => {
        stop.requested = true; // Ctrl+C as the first chunk commits
      },
    });
    const merge = files.steps?.merges[0];
    assert.ok(merge instanceof MergeStep);
    const outcome = await runSteps([merge], ctx);
    assert.equal(outcome.stopped, true);
    assert.deepEqual(
      outcome.results.map((r) => [r.rows, r.finished]),
      [[3, false]],
    );
  } finally {
    await closeConnections(connections);
  }
  // Source ids 1..3 are mapped; legacy_flag (3) was created as 11 and committed with its progress.
  assert.deepEqual(await idMap(env), ['1->10', '2->1', '3->11 created']);

  const resumed = await runCli(['data', env.configFile]);
  assert.equal(resumed.status, 0, `${resumed.stdout}\n${resumed.stderr}`);
  assert.deepEqual(await idMap(env), ['1->10', '2->1', '3->11 created', '4->2', '5->12 created']);
  const codes = (await attributes(env)).map((a) => a.attribute_code);
  assert.equal(codes.filter((c) => c === 'legacy_flag').length, 1, 'not created twice');
  assert.deepEqual(await valuesByCode(env.destSchema), await valuesByCode(env.sourceSchema));
});

test('--reset removes only the rows the tool wrote into a merged table, and the rerun gives the same result', async () => {
  const env = await createEavEnv('eav_reset', { products: 20 });
  assert.equal((await runCli(['data', env.configFile])).status, 0);

  const reset = await runCli(['data', env.configFile, '--reset', '--yes']);
  assert.equal(reset.status, 0, `${reset.stdout}\n${reset.stderr}`);
  assert.match(reset.stderr, /^reset: 2 rows the tool created in eav_attribute removed; seeded rows kept$/m);
  assert.deepEqual(await idMap(env), ['1->10', '2->1', '3->13 created', '4->2', '5->14 created']);
  assert.equal((await attributes(env)).length, 6, 'no attribute twice');
  assert.deepEqual(await valuesByCode(env.destSchema), await valuesByCode(env.sourceSchema));

  const config = await loadConfig(env.configFile);
  const files = await loadMappingFiles(config);
  const connections = await openConnections(config);
  try {
    const resolution = await resolveAgainstDatabases(config, files, connections);
    const ctx = await createStepContext(config, connections, resolution.plans, quiet, {
      stop: { requested: false },
      rejected: new RejectedLog(`${env.dir}/rejected`),
    });
    await files.steps?.merges[0]?.reset(ctx);
  } finally {
    await closeConnections(connections);
  }
  assert.deepEqual(
    (await attributes(env)).map((a) => `${a.attribute_id} ${a.attribute_code}`),
    ['1 name', '2 sku', '3 m2_only', '10 color'],
    'exactly the seeded rows are left',
  );
  assert.deepEqual(await idMap(env), [], 'the map is forgotten with the rows');
});

test('a profile module brings the map file and a step of its own; no <map_file> needed', async () => {
  const env = await createEavEnv('eav_profile', { products: 5, profileModule: true });
  const run = await runCli(['data', env.configFile]);
  assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
  assert.match(run.stdout, /^steps: merge eav_attribute, computed catalog_product_grid, count attributes$/m);
  assert.match(run.stdout, /^profile step saw 6 attributes$/m, 'the user step ran after the map');
});

test('when the destination refuses the row a group of source rows merges into, every row of the group is rejected and counted', async () => {
  const env = await createEavEnv('eav_merge_refused', { products: 4 });
  const conn = await adminConnection();
  try {
    // A second legacy_flag under another entity type, which a handler folds into type 4: one group of two.
    await conn.query(
      `INSERT INTO \`${env.sourceSchema}\`.eav_attribute VALUES (6, 9, 'legacy_flag', 'Legacy 9')`,
    );
    // legacy_flag does not fit the destination's code column: the group's first row is refused.
    await conn.query(
      `ALTER TABLE \`${env.destSchema}\`.eav_attribute MODIFY attribute_code VARCHAR(8) NOT NULL`,
    );
  } finally {
    await conn.end();
  }
  const mapFile = join(env.dir, 'map.json');
  const map = JSON.parse(await readFile(mapFile, 'utf8'));
  map.destination.fields.transform.push({
    field: 'eav_attribute.entity_type_id',
    handler: 'setValue',
    params: { value: '4' },
  });
  await writeFile(mapFile, JSON.stringify(map));
  const run = await runCli(['data', env.configFile]);
  assert.equal(run.status, 1, `${run.stdout}\n${run.stderr}`);
  const rejected = (await readFile(join(env.dir, 'rejected', rejectedFileName('eav_attribute')), 'utf8'))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  assert.deepEqual(rejected.map((r) => r.code).sort(), ['ER_DATA_TOO_LONG', 'MERGE_KEY_REFUSED']);
  // Every source attribute is mapped or rejected: the ledger and the merge's own check add up.
  assert.deepEqual(await idMap(env), ['1->10', '2->1', '4->2', '5->11 created']);
  assert.match(run.stdout, /^eav_attribute\s+6\s+6\s+match/m);
});

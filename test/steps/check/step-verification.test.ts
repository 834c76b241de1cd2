/**
 * `migrate check` runs the steps' own verification (a merge's id map, a computed document's
 * select count) on the EAV pair of test/engine/eav-env.ts, and fails with exit 4 when one
 * finds the destination short.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CheckReport } from '../../../src/report/check-report.js';
import { createEavEnv, rows } from '../../engine/eav-env.js';
import { reportValidator } from '../../report/report-schema.js';
import { runCli } from '../../support/cli.js';

async function checkReport(configFile: string, dir: string, name: string) {
  const json = join(dir, `${name}.json`);
  const html = join(dir, `${name}.html`);
  const run = await runCli(['check', configFile, '--json', json, '--html', html]);
  const report = JSON.parse(await readFile(json, 'utf8')) as CheckReport;
  assert.deepEqual(reportValidator()(report), []);
  return { run, report, html: await readFile(html, 'utf8') };
}

test('check runs the merge and computed steps verification: ok after data, failed (exit 4) when the destination is short', async () => {
  const env = await createEavEnv('check_steps');

  // Before any copy: the merge has no id map entry and the grid is empty, both fail.
  const before = await checkReport(env.configFile, env.dir, 'before');
  assert.equal(before.run.status, 4, `${before.run.stdout}\n${before.run.stderr}`);
  assert.deepEqual(
    before.report.verifications.map((v) => [v.name, v.status]),
    [
      ['step merge eav_attribute', 'failed'],
      ['step computed catalog_product_grid', 'failed'],
    ],
  );

  const data = await runCli(['data', env.configFile]);
  assert.equal(data.status, 0, `${data.stdout}\n${data.stderr}`);

  const after = await checkReport(env.configFile, env.dir, 'after');
  assert.equal(after.run.status, 0, `${after.run.stdout}\n${after.run.stderr}`);
  assert.deepEqual(after.report.verifications, [
    {
      name: 'step merge eav_attribute',
      scope: 'eav_attribute: 5 of 5 source rows with an id map entry (3 matched, 2 created) or rejected (0)',
      status: 'ok',
      findings: [],
    },
    {
      name: 'step computed catalog_product_grid',
      scope: 'catalog_product_grid: 60 of 60 rows of the select: 60 written, 0 rejected',
      status: 'ok',
      findings: [],
    },
  ]);
  assert.match(after.run.stdout, /^verification step computed catalog_product_grid: ok \(/m);
  assert.match(after.html, /<h2>Verification: step merge eav_attribute<\/h2>/);
  // The merged document is proved by its merge's verification, not by a row count (its seeded rows differ by design).
  assert.deepEqual(
    after.report.documents.map((d) => d.document),
    ['catalog_product_entity', 'catalog_product_entity_varchar'],
  );

  // Rows gone from the computed document: the counts of the whole map still match, the step's verification does not.
  await rows(`DELETE FROM \`${env.destSchema}\`.catalog_product_grid WHERE entity_id <= 2`);
  const short = await checkReport(env.configFile, env.dir, 'short');
  assert.equal(short.run.status, 4, `${short.run.stdout}\n${short.run.stderr}`);
  const grid = short.report.verifications.find((v) => v.name === 'step computed catalog_product_grid');
  assert.deepEqual(grid?.findings, [
    {
      document: 'catalog_product_grid',
      message: 'the source says 60, the destination holds 58 (rows of the select: 58 written, 0 rejected)',
      rows: 2,
      examples: [],
      repair: `migrate data ${env.configFile} --only catalog_product_grid`,
    },
  ]);
  assert.equal(short.report.verifications.find((v) => v.name === 'step merge eav_attribute')?.status, 'ok');
  assert.match(short.run.stderr, /the verification of step computed catalog_product_grid failed/);
});

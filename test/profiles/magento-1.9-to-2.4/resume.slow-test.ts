import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../../src/config/load-config.js';
import { createStepContext, runSteps } from '../../../src/engine/run-steps.js';
import { createLogger } from '../../../src/log.js';
import { RejectedLog } from '../../../src/steps/data/rejected-log.js';
import {
  closeConnections,
  loadMappingFiles,
  openConnections,
  resolveAgainstDatabases,
} from '../../../src/steps/plan-stage.js';
import { runCli } from '../../support/cli.js';
import { writeSmallCatalog } from './catalog-store.js';
import { createMagentoEnv, type MagentoEnv, sql } from './magento-env.js';

const quiet = createLogger('quiet', { out: () => {}, err: () => {} });

/** What the run decided: every id map entry, and 2.4's rows the installer seeded, as text. */
async function outcome(env: MagentoEnv) {
  const maps = await sql<{ e: string }>(
    `SELECT CONCAT(map_name, ' ', source_id, '->', dest_id, IF(created, ' created', '')) AS e
       FROM \`${env.m2}\`.migration_progress_idmap ORDER BY map_name, source_id + 0, source_id`,
  );
  return maps.map((m) => m.e);
}

async function seededAttributes(schema: string) {
  const rows = await sql<{ r: string }>(
    `SELECT CONCAT_WS('|', attribute_id, entity_type_id, attribute_code, backend_model, source_model, frontend_label) AS r
       FROM \`${schema}\`.eav_attribute WHERE attribute_id <= (SELECT MAX(attribute_id) FROM \`${schema}\`.eav_attribute WHERE is_user_defined = 0 AND attribute_code = 'quantity_and_stock_status') ORDER BY attribute_id`,
  );
  return rows.map((r) => r.r);
}

test('a run stopped in its merges resumes to the same ids as a straight run; 2.4 seeded rows are kept without --reset', async () => {
  const straight = await createMagentoEnv('mstraight', { options: '<bulk_size>5</bulk_size>' });
  const stopped = await createMagentoEnv('mstopped', { options: '<bulk_size>5</bulk_size>' });
  await writeSmallCatalog(straight.m1, 12);
  await writeSmallCatalog(stopped.m1, 12);
  const seeded = await seededAttributes(stopped.m2);
  assert.ok(seeded.length > 100, `2.4's installer attributes read (${seeded.length})`);

  const first = await runCli(['data', straight.configFile]);
  assert.equal(first.status, 0, `${first.stdout}\n${first.stderr}`);

  // Ctrl+C as the 6th chunk of the merges commits: websites, groups, views and part of EAV are in.
  const config = await loadConfig(stopped.configFile);
  const files = await loadMappingFiles(config);
  const connections = await openConnections(config);
  let chunks = 0;
  try {
    const resolution = await resolveAgainstDatabases(config, files, connections);
    const stop = { requested: false };
    const ctx = await createStepContext(config, connections, resolution.plans, quiet, {
      stop,
      rejected: new RejectedLog(`${stopped.dir}/rejected`),
      onRows: () => {
        if (++chunks === 6) stop.requested = true;
      },
    });
    const merges = (files.steps?.merges ?? []).filter((m) => m.planOf(resolution.plans));
    const { stopped: wasStopped } = await runSteps(merges, ctx);
    assert.equal(wasStopped, true);
  } finally {
    await closeConnections(connections);
  }
  const partial = await outcome(stopped);
  assert.ok(partial.length > 0 && partial.length < (await outcome(straight)).length, 'stopped part-way');

  const resumed = await runCli(['data', stopped.configFile]);
  assert.equal(resumed.status, 0, `${resumed.stdout}\n${resumed.stderr}`);
  assert.deepEqual(await outcome(stopped), await outcome(straight));
  assert.match(resumed.stdout, /^catalog_product_entity_int\s+(\d+)\s+\1\s+match\s+values equal by sku/m);
  // 2.4's own attributes are untouched: same ids, codes, classes and labels as its installer wrote.
  assert.deepEqual(await seededAttributes(stopped.m2), seeded);
});

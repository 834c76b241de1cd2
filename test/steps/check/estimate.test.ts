import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../../src/config/load-config.js';
import { createLogger } from '../../../src/log.js';
import { estimatePlan, sampleRowsFor } from '../../../src/steps/check/estimate-plan.js';
import { runDataCopy, selectPlans } from '../../../src/steps/data/run-data.js';
import {
  closeConnections,
  loadMappingFiles,
  openConnections,
  resolveAgainstDatabases,
} from '../../../src/steps/plan-stage.js';
import { adminConnection } from '../../support/database.js';
import { createStoreEnv } from '../../support/store-env.js';

test('the sample is the first chunks the copy would make', () => {
  assert.equal(sampleRowsFor(0, 3), 2000 + 4000 + 8000);
  assert.equal(sampleRowsFor(500, 3), 1500);
  assert.equal(sampleRowsFor(0, 1), 2000);
});

test('plan on the demo profile estimates the order of magnitude of the copy (within 5x of the real run)', async (t) => {
  // Enough orders that the copy takes seconds, not milliseconds, and the largest document is
  // extrapolated from its sample (about 60,000 order items against a 14,000-row sample).
  const env = await createStoreEnv('estimate', { orders: 20000 });
  const config = await loadConfig(env.configFile);
  const files = await loadMappingFiles(config);
  const connections = await openConnections(config);
  t.after(() => closeConnections(connections));
  const { plans } = await resolveAgainstDatabases(config, files, connections);

  const estimate = await estimatePlan(config, connections, plans, { sample: true });
  assert.ok(estimate.totalSeconds !== null && estimate.totalSeconds > 0);
  assert.equal(estimate.scratch?.kind, 'schema');
  const items = estimate.documents.find((d) => d.document === 'sales_flat_order_item');
  assert.equal(items?.sample?.rows, 14000);
  assert.equal(items?.sample?.wholeTable, false);
  assert.equal(estimate.documents.find((d) => d.document === 'core_config_data')?.seconds, null);

  const conn = await adminConnection();
  t.after(() => conn.end());
  const [left] = await conn.query<import('mysql2').RowDataPacket[]>(
    `SELECT COUNT(*) AS n FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE ?`,
    [`${env.destSchema}_smplan_%`],
  );
  assert.equal(Number(left[0]?.n), 0, 'the scratch schema is dropped');

  const started = performance.now();
  const result = await runDataCopy(config, connections, selectPlans(plans), createLogger('quiet'), {
    stop: { requested: false },
  });
  const real = (performance.now() - started) / 1000;
  assert.ok(result.summaries.every((s) => s.finished));
  const ratio = estimate.totalSeconds / real;
  t.diagnostic(
    `plan estimated ${estimate.totalSeconds.toFixed(2)} s; the copy took ${real.toFixed(2)} s (ratio ${ratio.toFixed(2)}); ` +
      `per document (estimate/real): ${estimate.documents
        .filter((d) => d.owner === 'data')
        .map(
          (d) =>
            `${d.document} ${d.seconds?.toFixed(2)}/${result.summaries.find((s) => s.document === d.document)?.seconds.toFixed(2)}`,
        )
        .join(', ')}`,
  );
  // Not a benchmark (the estimate's accuracy on a quiet machine is in BENCHMARKS.md): the test
  // proves the estimate is of the copy's order of magnitude, which holds even on a loaded machine.
  assert.ok(ratio >= 0.2 && ratio <= 5, `estimate ${estimate.totalSeconds} s against ${real} s`);
});

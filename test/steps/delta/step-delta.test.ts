/**
 * The Step delta contract end to end on a small pair: a step fills a flat table from a select
 * over two source tables; tracking goes on before its first read; the shop changes rows the
 * step had already read while it reads its next chunk. The step's own check then fails (and is
 * `pending`, explained by the waiting changes); delta drains the step's change logs and the
 * check matches: a change landing between two chunk reads is not lost.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../../src/config/load-config.js';
import { createStepContext } from '../../../src/engine/run-steps.js';
import { createLogger } from '../../../src/log.js';
import { SelectStep } from '../../../src/profiles/magento-1.9-to-2.4/select-step.js';
import { RejectedLog } from '../../../src/steps/data/rejected-log.js';
import { findInstalled } from '../../../src/steps/delta/cleanup.js';
import { createDeltaContext } from '../../../src/steps/delta/delta-context.js';
import { runDelta } from '../../../src/steps/delta/run-delta.js';
import { verifyStepsWithBacklog } from '../../../src/steps/delta/step-backlog.js';
import { installStepTracking, stepTrackedTables } from '../../../src/steps/delta/step-sources.js';
import { trackingDdlPolicy } from '../../../src/steps/delta/tracking-policy.js';
import { closeConnections, openConnections, openTracker } from '../../../src/steps/plan-stage.js';
import { createSchemaPair } from '../../support/schema-pair.js';

const SOURCE = `
CREATE TABLE person (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL);
CREATE TABLE person_note (id INT PRIMARY KEY, person_id INT NOT NULL, note VARCHAR(40) NOT NULL, KEY (person_id));
INSERT INTO person VALUES (1, 'ann'), (2, 'bob'), (3, 'cy'), (4, 'di'), (5, 'ed');
INSERT INTO person_note VALUES (1, 1, 'first'), (2, 3, 'third')`;

const DESTINATION =
  'CREATE TABLE person_flat (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, notes TEXT NULL)';

test('a step kept in step by delta: changes between its chunk reads are logged, its check fails until delta applies them', async () => {
  const pair = await createSchemaPair('stepdelta', {
    source: SOURCE,
    destination: DESTINATION,
    options: '<bulk_size>2</bulk_size>',
  });
  const config = await loadConfig(pair.configFile);
  const connections = await openConnections(config);
  const tracker = await openTracker(config);
  const log = createLogger('quiet');
  try {
    const step = new SelectStep({
      document: 'person_flat',
      key: 'id',
      select: async () =>
        'SELECT p.id, p.name, (SELECT GROUP_CONCAT(n.note ORDER BY n.id) FROM person_note n WHERE n.person_id = p.id) AS notes FROM person p',
      sources: [
        { table: 'person', column: 'id' },
        { table: 'person_note', column: 'person_id' },
      ],
    });
    const tables = stepTrackedTables([step], 'm2_cl_', '');
    assert.deepEqual(
      tables.map((t) => [t.table, t.key, t.names.changeLog]),
      [
        ['person', ['id'], 'm2_cl_step__person'],
        ['person_note', ['person_id'], 'm2_cl_step__person_note'],
      ],
    );
    const stop = { requested: false };
    await installStepTracking(tracker, tables, trackingDdlPolicy(config.options, log, stop));

    // The shop writes while the step is between its first and second chunk (the throttle's wait).
    let waits = 0;
    const throttle = {
      wait: async () => {
        waits++;
        if (waits !== 2) return;
        await pair.sql(
          'source',
          `UPDATE person SET name = 'ann2' WHERE id = 1; INSERT INTO person_note VALUES (3, 1, 'second');
           DELETE FROM person WHERE id = 2; INSERT INTO person VALUES (6, 'fay')`,
        );
      },
    };
    const rejected = new RejectedLog(config.options.rejectedDir);
    const ctx = await createStepContext(config, connections, [], log, { stop, rejected, throttle });
    const [result] = await step.run(ctx);
    assert.equal(result?.finished, true);
    assert.ok(waits >= 3, `the step read in chunks (${waits} waits)`);

    // Before delta: the rows read before the change are stale, and the check says so.
    const before = await verifyStepsWithBacklog([step], ctx, connections.source, tables);
    const entities = before.find((c) => c.document === 'person_flat');
    assert.equal(entities?.ok, false, entities?.note);
    assert.equal(entities?.pending, true, 'explained by the changes waiting in the step change logs');

    const deltaCtx = await createDeltaContext(
      config,
      { source: connections.source, tracker, destination: connections.destination },
      100,
    );
    const summary = await runDelta(deltaCtx, [], log, {
      untilCaughtUp: true,
      quietPeriodMs: 100,
      pollIntervalMs: 50,
      concurrency: 1,
      stop,
      steps: { tables, steps: [step], context: ctx },
    });
    assert.equal(summary.caughtUp, true);
    assert.deepEqual(summary.failed, []);
    assert.equal(
      summary.documents.reduce((n, d) => n + d.applied, 0),
      4,
      JSON.stringify(summary.documents),
    );

    const after = await verifyStepsWithBacklog([step], ctx, connections.source, tables);
    for (const check of after) assert.equal(check.ok, true, `${check.document}: ${check.note}`);
    const rows = await connections.destination.query<{ id: number; name: string; notes: string | null }>(
      'SELECT id, name, notes FROM person_flat ORDER BY id',
    );
    assert.deepEqual(
      rows.map((r) => [Number(r.id), r.name, r.notes]),
      [
        [1, 'ann2', 'first,second'],
        [3, 'cy', 'third'],
        [4, 'di', null],
        [5, 'ed', null],
        [6, 'fay', null],
      ],
    );
    // `migrate cleanup` finds the steps' tracking as it finds the map's.
    const installed = await findInstalled(tracker, 'm2_cl_');
    assert.deepEqual(installed.tables, ['m2_cl_step__person', 'm2_cl_step__person_note']);
    assert.deepEqual(
      installed.triggers.map((t) => t.name),
      ['m2_cl_step__person', 'm2_cl_step__person_note'].flatMap((base) =>
        ['ad', 'ai', 'au'].map((e) => `${base}_${e}`),
      ),
    );
  } finally {
    await tracker.close();
    await closeConnections(connections);
  }
});

test('a step whose sources are not applied by delta: its check fails and nothing waits to explain it', async () => {
  const pair = await createSchemaPair('stepdelta_stale', {
    source: SOURCE,
    destination: DESTINATION,
  });
  const config = await loadConfig(pair.configFile);
  const connections = await openConnections(config);
  const log = createLogger('quiet');
  try {
    // No delta sources: nothing is tracked, so a change after the copy stays unexplained.
    const step = new SelectStep({
      document: 'person_flat',
      key: 'id',
      select: async () => 'SELECT id, name, NULL AS notes FROM person',
    });
    const stop = { requested: false };
    const ctx = await createStepContext(config, connections, [], log, {
      stop,
      rejected: new RejectedLog(config.options.rejectedDir),
    });
    await step.run(ctx);
    await pair.sql('source', "UPDATE person SET name = 'changed' WHERE id = 4");
    const checks = await verifyStepsWithBacklog([step], ctx, connections.source, []);
    const entities = checks.find((c) => c.document === 'person_flat');
    assert.equal(entities?.ok, false);
    assert.notEqual(entities?.pending, true);
    assert.match(
      entities?.note ?? '',
      /1 different, 0 missing \(first: person_flat 4: name: "changed" in 1\.9, "di" in 2\.4\)/,
    );
  } finally {
    await closeConnections(connections);
  }
});

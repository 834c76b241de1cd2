/**
 * The copy method is decided once (copy-method.ts) and named alike everywhere: the dry run's
 * plan table, `migrate plan` and the run's summary. Before, the dry run said INSERT..SELECT
 * for a keyless table and for a destination user that cannot read the source, while the run
 * streamed them and `migrate plan` named a third thing.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../../support/cli.js';
import { configAs, createLimitedUser } from '../../support/limited-user.js';
import { createSchemaPair } from '../../support/schema-pair.js';

const TABLES = `
  CREATE TABLE keyed (id INT PRIMARY KEY, v VARCHAR(10));
  CREATE TABLE loose (v VARCHAR(10), n INT)`;
const ROWS = `
  INSERT INTO keyed VALUES (1, 'a'), (2, 'b'), (3, 'c');
  INSERT INTO loose VALUES ('x', 1), ('y', 2)`;

/** The method named on the first table row of `output` that starts with `document` (and matches `also`). */
function methodOf(output: string, document: string, also = /./): string | undefined {
  const row = output.split('\n').find((line) => line.startsWith(`${document} `) && also.test(line));
  return row
    ?.match(/\s(insert-select|load-data|insert)( \(one read\))?(?=\s|$)/)
    ?.slice(1)
    .join('');
}

async function methodsEverywhere(configFile: string) {
  const dry = await runCli(['data', configFile, '--dry-run']);
  assert.equal(dry.status, 0, dry.stderr + dry.stdout);
  const plan = await runCli(['plan', configFile, '--no-sample']);
  assert.equal(plan.status, 0, plan.stderr + plan.stdout);
  const run = await runCli(['data', configFile]);
  assert.equal(run.status, 0, run.stderr + run.stdout);
  const of = (document: string) => ({
    dryRun: methodOf(dry.stdout, document),
    plan: methodOf(plan.stdout, document),
    runPlanTable: methodOf(run.stdout, document),
    runSummary: methodOf(run.stdout, document, /\scopied$/),
  });
  return { keyed: of('keyed'), loose: of('loose'), dry: dry.stdout, plan: plan.stdout };
}

const everywhere = (method: string) => ({
  dryRun: method,
  plan: method,
  runPlanTable: method,
  runSummary: method,
});

test('direct copy on, one server: a keyed table goes by insert-select, a keyless one is streamed, in every report', async () => {
  const pair = await createSchemaPair('method_direct', {
    source: `${TABLES}; ${ROWS}`,
    destination: TABLES,
    options: '<direct_document_copy>1</direct_document_copy>',
  });
  const seen = await methodsEverywhere(pair.configFile);
  assert.deepEqual(seen.keyed, everywhere('insert-select'));
  assert.match(seen.loose.dryRun ?? '', /^(load-data|insert) \(one read\)$/);
  assert.deepEqual(seen.loose, everywhere(seen.loose.dryRun ?? ''));
  assert.match(seen.dry, /not copied by INSERT\.\.SELECT:\n {2}loose: streamed: no usable key/);
});

test('a destination user that cannot read the source: every report says streamed, none says insert-select', async (t) => {
  const pair = await createSchemaPair('method_noread', {
    source: `${TABLES}; ${ROWS}`,
    destination: TABLES,
    options: '<direct_document_copy>1</direct_document_copy>',
  });
  const user = await createLimitedUser(t, 'method', [`ALL ON \`${pair.destSchema}\`.*`]);
  const limited = await configAs(pair.configFile, pair.dir, user, ['destination']);
  const seen = await methodsEverywhere(limited);
  assert.match(seen.keyed.dryRun ?? '', /^(load-data|insert)$/);
  assert.deepEqual(seen.keyed, everywhere(seen.keyed.dryRun ?? ''));
  assert.match(seen.loose.dryRun ?? '', /^(load-data|insert) \(one read\)$/);
  assert.deepEqual(seen.loose, everywhere(seen.loose.dryRun ?? ''));
  assert.match(seen.dry, /keyed: streamed: the destination user cannot read the source table keyed/);
  assert.match(seen.plan, /keyed\s.*streamed: the destination user cannot read the source table keyed/);
});

import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { chromiumMissing, dumpDom } from '../report/chromium.js';
import { reportValidator } from '../report/report-schema.js';
import { runCli } from '../support/cli.js';
import { adminConnection } from '../support/database.js';
import { createStoreEnv } from '../support/store-env.js';

test('check counts rows; --deep finds the changed value a count misses; both reports are written on a mismatch', async (t) => {
  const env = await createStoreEnv('cli_check', { orders: 300 });
  const copy = await runCli(['data', env.configFile]);
  assert.equal(copy.status, 0, copy.stderr);

  const clean = await runCli(['check', env.configFile]);
  assert.equal(clean.status, 0, clean.stderr);
  assert.match(clean.stdout, /check \(row counts\): all 9 compared documents match \(4 skipped\)/);
  const cleanDeep = await runCli(['check', env.configFile, '--deep']);
  assert.equal(cleanDeep.status, 0, cleanDeep.stderr);
  assert.match(cleanDeep.stdout, /deep check: all 9 compared documents match/);

  const conn = await adminConnection();
  t.after(() => conn.end());
  await conn.query(
    `UPDATE \`${env.destSchema}\`.sales_order SET customer_email = 'x@example.com' WHERE entity_id = 42`,
  );
  await conn.query(`DELETE FROM \`${env.destSchema}\`.sales_order_item WHERE item_id = 100`);

  const counted = await runCli(['check', env.configFile]);
  assert.equal(counted.status, 4, counted.stderr);
  // A count cannot know which rows are missing, extra or changed: it says so instead of printing 0.
  assert.match(counted.stdout, /sales_flat_order\s+sales_order\s+count\s+300\s+300\s+0\s+–\s+–\s+–\s+ok/);
  assert.match(
    counted.stdout,
    /sales_flat_order_item -> sales_order_item: mismatch\n\s+note: the destination holds 1 fewer rows than the source .*only --deep can tell\n\s+repair: `migrate data .* --reset --only sales_flat_order_item`/,
  );
  // The sign-off sections: the settings merge measured (it never ran here), the map's ignores listed.
  assert.match(counted.stdout, /^settings \(migrate settings\): differs: .*run `migrate settings /m);
  assert.match(
    counted.stdout,
    /^left behind on purpose \(ignored by the map, not migrated\):\n {2}source documents \(\d+\): /m,
  );
  const countJson = join(env.dir, 'reports', 'count.json');
  await runCli(['check', env.configFile, '--json', countJson]);
  const countReport = JSON.parse(await readFile(countJson, 'utf8'));
  assert.deepEqual(reportValidator()(countReport), []);
  assert.deepEqual(
    [countReport.totals.missing, countReport.totals.extra, countReport.totals.changed],
    [null, null, null],
  );
  assert.ok(countReport.leftBehind.source.documents.length > 0);
  assert.equal(countReport.settings.status, 'differs');

  const json = join(env.dir, 'reports', 'check.json');
  const html = join(env.dir, 'reports', 'check.html');
  const deep = await runCli([
    'check',
    env.configFile,
    '--deep',
    '--json',
    json,
    '--html',
    html,
    '--chunk-size',
    '50',
  ]);
  assert.equal(deep.status, 4, deep.stderr);
  assert.match(deep.stdout, /deep check: 2 of 13 documents differ/);
  assert.match(
    deep.stdout,
    /sales_flat_order -> sales_order \(key entity_id\): mismatch\n\s+changed 1: 42\n/,
  );
  assert.match(
    deep.stdout,
    /sales_flat_order_item -> sales_order_item \(key item_id\): mismatch\n\s+missing 1: 100\n/,
  );
  assert.match(deep.stderr, /the destination differs from the source/);
  assert.ok(deep.stderr.includes(json) && deep.stderr.includes(html));
  // Reports name customers' rows: readable by their owner only.
  for (const file of [json, html]) assert.equal(statSync(file).mode & 0o777, 0o600, file);

  const report = JSON.parse(await readFile(json, 'utf8'));
  assert.deepEqual(reportValidator()(report), []);
  assert.equal(report.mode, 'deep');
  assert.equal(report.status, 'mismatch');
  assert.equal(report.config, env.configFile);
  const order = report.documents.find((d: { document: string }) => d.document === 'sales_flat_order');
  assert.deepEqual(order.changed, [['42']]);
  assert.equal(order.lastRun.state, 'copied');
  assert.equal(order.lastRun.rows, 300);

  await t.test(
    'the HTML report, opened in headless Chromium, shows the mismatching documents',
    { skip: chromiumMissing() },
    async () => {
      const dom = await dumpDom(html);
      assert.match(dom, /<tr class="mismatch" data-document="sales_flat_order">/);
      assert.match(dom, /<tr class="mismatch" data-document="sales_flat_order_item">/);
      assert.match(dom, /<tr class="ok" data-document="customer_entity">/);
      assert.match(
        dom,
        /<div class="doc mismatch" data-document="sales_flat_order"><h3>sales_flat_order → sales_order<\/h3><p><b>1 changed<\/b>: <span class="keys">42<\/span>/,
      );
      assert.match(dom, /copied: 300 rows/);
    },
  );
});

test('check refuses bad options and globs that match nothing (exit 2)', async () => {
  const env = await createStoreEnv('cli_check_usage');
  const small = await runCli(['check', env.configFile, '--chunk-size', '1']);
  assert.equal(small.status, 2);
  assert.match(small.stderr, /--chunk-size takes a whole number >= 2/);
  const none = await runCli(['check', env.configFile, '--only', 'nothing_*']);
  assert.equal(none.status, 2);
  assert.match(none.stderr, /NOTHING_SELECTED/);
});

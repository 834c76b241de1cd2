/**
 * `migrate cutover` end to end on a real database, with real hook commands that drive the
 * simulated storefront's maintenance flag (as Magento's maintenance.flag): a full cut-over under
 * a live shop, an abort from each phase (hooks in order, the old shop selling again, a later
 * cut-over succeeding), a refusal while a delta holds the lock, the hand-over with --stop-delta,
 * Ctrl+C inside the window, and a rehearsal.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CutoverReport } from '../../src/report/cutover-report.js';
import { packageRoot } from '../../src/util/package-root.js';
import { runCli } from '../support/cli.js';
import { adminConnection, testServer } from '../support/database.js';
import { assertMappedEqual } from '../support/mapped-equality.js';
import { runWatched } from '../support/output-watch.js';
import { createStoreEnv, type StoreEnv } from '../support/store-env.js';
import { scalar, sleep, startTestStorefront } from '../support/storefront.js';

const DRAIN = ['--drain-period', '300'];

/** Hooks that log their name to hooks.log and move the storefront's maintenance flag. */
function hooks(overrides: Partial<Record<'maintenance_on' | 'go_live' | 'abort', string>> = {}): string {
  const log = (name: string) => `echo ${name} &gt;&gt; hooks.log`;
  return `<hooks>
    <maintenance_on timeout="20">${overrides.maintenance_on ?? `${log('maintenance_on')}; touch maintenance.flag`}</maintenance_on>
    <go_live>${overrides.go_live ?? log('go_live')}</go_live>
    <abort>${overrides.abort ?? `${log('abort')}; rm -f maintenance.flag`}</abort>
  </hooks>`;
}

async function setHooks(env: StoreEnv, xml: string): Promise<void> {
  const text = await readFile(env.configFile, 'utf8');
  await writeFile(
    env.configFile,
    text.replace(/\s*<hooks>[\s\S]*<\/hooks>/, '').replace('</config>', `${xml}\n</config>`),
  );
  await rm(join(env.dir, 'hooks.log'), { force: true });
}

const hookLog = (env: StoreEnv) =>
  existsSync(join(env.dir, 'hooks.log'))
    ? readFileSync(join(env.dir, 'hooks.log'), 'utf8').trim().split('\n')
    : [];

async function report(env: StoreEnv): Promise<CutoverReport> {
  return JSON.parse(await readFile(join(env.dir, 'cutover-report.json'), 'utf8')) as CutoverReport;
}

async function orders(env: StoreEnv): Promise<number> {
  const conn = await adminConnection();
  try {
    return await scalar(conn, `SELECT COUNT(*) FROM \`${env.sourceSchema}\`.sales_flat_order`);
  } finally {
    await conn.end();
  }
}

/**
 * A script a hook can run to send SQL to the test server (`node sql.mjs "<statement>"`): what an
 * operator's hook does to its shop, here to the stores themselves.
 */
async function writeSqlScript(env: StoreEnv): Promise<void> {
  const server = await testServer();
  const mysql2 = join(packageRoot(), 'node_modules', 'mysql2', 'promise.js');
  await writeFile(
    join(env.dir, 'sql.mjs'),
    `import mysql from ${JSON.stringify(mysql2)};
const c = await mysql.createConnection(${JSON.stringify({ host: server.host, port: server.port, user: server.user, password: server.password })});
await c.query(process.argv[2]);
await c.end();
`,
  );
}

async function onDestination(env: StoreEnv, sql: string): Promise<void> {
  const conn = await adminConnection();
  try {
    await conn.query(`USE \`${env.destSchema}\``);
    await conn.query(sql);
  } finally {
    await conn.end();
  }
}

test('a full cut-over under a live storefront: every order placed before maintenance arrives, verified; the window is reported phase by phase', async () => {
  const env = await createStoreEnv('cutover_full', { orders: 300, options: '<bulk_size>100</bulk_size>' });
  const flag = join(env.dir, 'maintenance.flag');
  // A gentle rate: how many keys the shop changes before maintenance grows with how slow the machine is.
  const shop = await startTestStorefront(env.sourceSchema, 20, { maintenanceFlag: flag }, 3);
  try {
    const copied = await runCli(['data', env.configFile]);
    assert.equal(copied.status, 0, copied.stderr);
    await setHooks(env, hooks());
    await sleep(1000); // the shop keeps selling after the copy: changes wait in the change logs
    const cutover = await runCli(['cutover', env.configFile, ...DRAIN]);
    assert.equal(cutover.status, 0, cutover.stderr);
    assert.match(cutover.stdout, /cutover done: the new shop is live; downtime \d+\.\d s/);
    assert.deepEqual(hookLog(env), ['maintenance_on', 'go_live']);
    const stats = await shop.stop();
    assert.equal(stats.errors.count, 0, stats.errors.first.join('\n'));
    assert.ok(stats.ordersPlaced > 0, 'the shop placed orders while the tool worked');
    assert.ok(stats.maintenanceSeconds > 0, 'the storefront went into maintenance');
    // The storefront has written nothing since maintenance began: the stores must be equal.
    assert.equal(await assertMappedEqual(env.configFile), 9);

    const r = await report(env);
    assert.equal(r.status, 'done');
    assert.deepEqual(
      r.phases.map((p) => `${p.phase}:${p.status}`),
      ['before:ok', 'maintenance_on:ok', 'drain:ok', 'verify:ok', 'go_live:ok'],
    );
    assert.ok(r.window && r.window.seconds > 0);
    assert.ok(
      r.checkedBefore.length > 0,
      'nothing had been verified: the whole store was deep-checked before downtime',
    );
    assert.ok(r.verify.every((d) => d.status === 'ok'));
    const keys = r.verify.reduce((t, d) => t + (d.keysCompared ?? 0), 0);
    assert.ok(keys > 0, 'the window compared the keys the shop changed');
    const rows = r.verify.reduce((t, d) => t + d.sourceRows, 0);
    assert.ok(keys < rows / 2, `only changed keys are compared, not the store (${keys} of ${rows} rows)`);
    assert.match(await readFile(join(env.dir, 'cutover-report.html'), 'utf8'), /Cut-over done: downtime/);
  } finally {
    await shop.stop().catch(() => {});
  }
});

test('an abort from each phase runs the abort hook after the others, the old shop sells again, and a later cut-over succeeds', async () => {
  const env = await createStoreEnv('cutover_abort', { orders: 120 });
  const flag = join(env.dir, 'maintenance.flag');
  const shop = await startTestStorefront(env.sourceSchema, 40, { maintenanceFlag: flag }, 5);
  try {
    const copied = await runCli(['data', env.configFile]);
    assert.equal(copied.status, 0, copied.stderr);
    // A full deep check remembers what it verified: the cut-over does not compare it again.
    const check = await runCli(['check', env.configFile, '--deep']);
    assert.ok(check.status === 0 || check.status === 4, check.stderr);

    // maintenance on fails: the abort hook runs, nothing else.
    await setHooks(
      env,
      hooks({ maintenance_on: 'echo maintenance_on &gt;&gt; hooks.log; touch maintenance.flag; exit 7' }),
    );
    const failedOn = await runCli(['cutover', env.configFile, ...DRAIN]);
    assert.equal(failedOn.status, 1, failedOn.stderr);
    assert.match(
      failedOn.stderr,
      /cutover aborted in phase maintenance_on: the maintenance_on hook .* exited with status 7/,
    );
    assert.match(failedOn.stderr, /the abort hook ran: the old shop is back in service\. Nothing was lost/);
    assert.deepEqual(hookLog(env), ['maintenance_on', 'abort']);
    assert.equal(existsSync(flag), false);
    const before = await orders(env);
    assert.ok(await sellsAgain(env, before), 'the old shop takes orders again after the abort');

    // drain fails: once the shop is in maintenance, the destination refuses an order delta writes.
    await writeSqlScript(env);
    const refuse = `CREATE TRIGGER ${env.destSchema}.refuse_orders BEFORE INSERT ON ${env.destSchema}.sales_order FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused by test'`;
    const touch = `UPDATE ${env.sourceSchema}.sales_flat_order SET grand_total = grand_total + 1 WHERE entity_id = 1`;
    await setHooks(
      env,
      hooks({
        maintenance_on: `echo maintenance_on &gt;&gt; hooks.log; touch maintenance.flag; node sql.mjs "${refuse}" &amp;&amp; node sql.mjs "${touch}"`,
      }),
    );
    const failedDrain = await runCli(['cutover', env.configFile, ...DRAIN]);
    assert.equal(failedDrain.status, 1, failedDrain.stderr);
    assert.match(
      failedDrain.stderr,
      /cutover aborted in phase drain: the destination rejected \d+ changed rows/,
    );
    assert.deepEqual(hookLog(env), ['maintenance_on', 'abort']);
    await onDestination(env, 'DROP TRIGGER refuse_orders');
    // The refused row waits in the rejected-rows file, as for any run: written again, it is verified next time.
    const retried = await runCli(['data', env.configFile, '--retry-rejected']);
    assert.equal(retried.status, 0, retried.stderr);

    // go live fails: abort after it.
    await setHooks(
      env,
      hooks({ go_live: 'echo go_live &gt;&gt; hooks.log; echo load balancer unreachable; exit 2' }),
    );
    const failedLive = await runCli(['cutover', env.configFile, ...DRAIN]);
    assert.equal(failedLive.status, 1, failedLive.stderr);
    assert.match(failedLive.stderr, /hook go_live: load balancer unreachable/);
    assert.match(failedLive.stderr, /cutover aborted in phase go_live/);
    assert.deepEqual(hookLog(env), ['maintenance_on', 'go_live', 'abort']);
    assert.equal(existsSync(flag), false);
    const again = await orders(env);
    assert.ok(await sellsAgain(env, again), 'the old shop sells again');

    // verify fails: the destination alters what delta writes.
    await onDestination(
      env,
      'CREATE TRIGGER alter_orders BEFORE INSERT ON sales_order FOR EACH ROW SET NEW.grand_total = NEW.grand_total + 1',
    );
    await setHooks(env, hooks());
    await sleep(1000);
    const failedVerify = await runCli(['cutover', env.configFile, ...DRAIN]);
    assert.equal(failedVerify.status, 4, failedVerify.stderr);
    assert.match(
      failedVerify.stderr,
      /cutover aborted in phase verify: the verify found differences in sales_flat_order/,
    );
    assert.deepEqual(hookLog(env), ['maintenance_on', 'abort']);
    const verifyReport = await report(env);
    const orderVerify = verifyReport.verify.find((d) => d.document === 'sales_flat_order');
    assert.ok(orderVerify && orderVerify.counts.changed > 0 && orderVerify.changed.length > 0);
    await onDestination(env, 'DROP TRIGGER alter_orders');

    // The rows the failed verify left altered are repaired by a re-copy, then the cut-over succeeds.
    await setHooks(env, hooks());
    const fixed = await runCli(['data', env.configFile, '--reset', '--yes', '--only', 'sales_flat_order']);
    assert.equal(fixed.status, 0, fixed.stderr);
    const later = await runCli(['cutover', env.configFile, ...DRAIN]);
    assert.equal(later.status, 0, later.stderr);
    assert.deepEqual(hookLog(env), ['maintenance_on', 'go_live']);
    const done = await report(env);
    assert.deepEqual(
      done.checkedBefore.map((d) => d.document),
      ['sales_flat_order'],
      'only the re-copied document is checked in full again',
    );
    await shop.stop();
    assert.equal(await assertMappedEqual(env.configFile), 9);
  } finally {
    await shop.stop().catch(() => {});
  }
});

test('a cut-over is refused while a delta holds the lock, and takes over with --stop-delta', async () => {
  const env = await createStoreEnv('cutover_lock', { orders: 60 });
  const copied = await runCli(['data', env.configFile]);
  assert.equal(copied.status, 0, copied.stderr);
  await setHooks(env, hooks());
  const delta = runWatched(['delta', env.configFile, '--poll-interval', '100']);
  await delta.stderr.until(/delta: tracking/);

  const refused = await runCli(['cutover', env.configFile, ...DRAIN]);
  assert.equal(refused.status, 5, refused.stderr);
  assert.match(refused.stderr, /error RUN_LOCKED.*`migrate delta .*` by pid \d+.*the cut-over did nothing/);
  assert.match(refused.stderr, /next: stop that delta \(Ctrl\+C where it runs.*--stop-delta/);
  assert.deepEqual(hookLog(env), [], 'no hook ran');

  const takeover = await runCli(['cutover', env.configFile, '--stop-delta', ...DRAIN]);
  assert.equal(takeover.status, 0, takeover.stderr);
  assert.match(takeover.stderr, /the delta stopped; the run lock is ours/);
  const stopped = await delta.result;
  assert.equal(stopped.status, 0, stopped.stderr);
  assert.match(stopped.stderr, /stopped for `migrate cutover`/);
  assert.deepEqual(hookLog(env), ['maintenance_on', 'go_live']);
});

test('Ctrl+C inside the window runs the abort hook and exits 130; a rehearsal runs no traffic hook', async () => {
  const env = await createStoreEnv('cutover_stop', { orders: 60 });
  const copied = await runCli(['data', env.configFile]);
  assert.equal(copied.status, 0, copied.stderr);
  await setHooks(
    env,
    hooks({ maintenance_on: 'echo maintenance_on &gt;&gt; hooks.log; touch maintenance.flag; sleep 2' }),
  );
  const run = runWatched(['cutover', env.configFile, ...DRAIN]);
  await run.stderr.until(/hook maintenance_on: running/);
  run.child.kill('SIGINT');
  await sleep(200);
  run.child.kill('SIGINT'); // a second Ctrl+C inside the window still lets the abort hook run
  const stopped = await run.result;
  assert.equal(stopped.status, 130, stopped.stderr);
  assert.match(stopped.stderr, /cutover aborted in phase maintenance_on: stopped by Ctrl\+C/);
  assert.match(stopped.stderr, /wait for the abort hook/);
  assert.deepEqual(
    hookLog(env),
    ['maintenance_on', 'abort'],
    'the hook in hand finished, then the abort hook ran',
  );
  assert.equal(existsSync(join(env.dir, 'maintenance.flag')), false);

  await setHooks(env, hooks());
  const rehearsal = await runCli(['cutover', env.configFile, '--rehearse', ...DRAIN]);
  assert.equal(rehearsal.status, 0, rehearsal.stderr);
  assert.match(rehearsal.stdout, /rehearsal done: the window would have taken \d+\.\d s/);
  assert.deepEqual(hookLog(env), [], 'no traffic hook ran');
  const r = await report(env);
  assert.equal(r.rehearsal, true);
  assert.deepEqual(
    r.phases.filter((p) => p.status === 'skipped').map((p) => p.phase),
    ['maintenance_on', 'go_live'],
  );
});

/** Whether the storefront places orders again within a few seconds (it polls the maintenance flag; a loaded machine is slow). */
async function sellsAgain(env: Parameters<typeof orders>[0], before: number): Promise<boolean> {
  for (let waited = 0; waited < 20_000; waited += 500) {
    await sleep(500);
    if ((await orders(env)) > before) return true;
  }
  return false;
}

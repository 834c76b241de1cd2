/**
 * `npm run demo` end to end, as a user runs it: the built demo (dist/, which `npm test` builds
 * first) on a small store, its `migrate` commands as child processes of bin/migrate, a real
 * database server. It asserts what the demo claims: every step ran, the cut-over verified every
 * difference, cleanup left nothing on the source, and the storefront's changes reached the new store.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import mysql from 'mysql2/promise';
import { parseServerUrl } from '../../src/db/server-provider.js';
import type { ServerAddress } from '../../src/db/throwaway-server.js';
import { parseDemoOptions } from '../../src/demo/demo-options.js';
import { SUMMARY_FILE } from '../../src/demo/run-demo.js';
import type { StorefrontStats } from '../../src/demo/storefront-process.js';
import type { CutoverReport } from '../../src/report/cutover-report.js';
import { packageRoot } from '../../src/util/package-root.js';

interface DemoRun {
  child: ChildProcess;
  output(): string;
  /** Resolves once the output matches `pattern` (or rejects when the demo ends first). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  exited: Promise<{ status: number | null; signal: NodeJS.Signals | null }>;
}

interface DemoSummary {
  server: { kind: 'url' | 'throwaway' | 'container'; url: string };
  schemas: { source: string; destination: string };
  storefront: StorefrontStats;
  storefrontTraces: {
    source: { orders: number; items: number };
    destination: { orders: number; items: number };
  };
  reports: { html: string; json: string };
  steps: Array<{ step: string; seconds: number }>;
}

/** The built demo, with MIGRATE_TEST_MYSQL_URL (if the suite has one) as its server, as the tests' provider would choose. */
function startDemo(args: readonly string[], extraEnv: NodeJS.ProcessEnv = {}): DemoRun {
  const script = join(packageRoot(), 'dist', 'demo', 'run-demo.js');
  const source = join(packageRoot(), 'src', 'demo', 'run-demo.ts');
  assert.ok(
    existsSync(script) && statSync(script).mtimeMs >= statSync(source).mtimeMs,
    'dist/demo is missing or older than src/demo: run `npm run build` first (npm test does)',
  );
  const env = { ...process.env };
  delete env.MIGRATE_DEMO_MYSQL_URL;
  if (process.env.MIGRATE_TEST_MYSQL_URL) env.MIGRATE_DEMO_MYSQL_URL = process.env.MIGRATE_TEST_MYSQL_URL;
  Object.assign(env, extraEnv);
  const child = spawn(process.execPath, [script, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const waiters = new Set<() => void>();
  const collect = (chunk: Buffer) => {
    output += chunk;
    for (const waiter of waiters) waiter();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<{ status: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (status, signal) => {
      resolve({ status, signal });
      for (const waiter of waiters) waiter();
    }),
  );
  const waitFor = (pattern: RegExp, timeoutMs = 50_000) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const timer = setTimeout(
        () => done(new Error(`the demo did not print ${pattern} in time:\n${output}`)),
        timeoutMs,
      );
      const check = () => {
        const match = output.match(pattern);
        if (match) done(undefined, match);
        else if (child.exitCode !== null || child.signalCode !== null)
          done(
            new Error(
              `the demo ended (${child.exitCode ?? child.signalCode}) without printing ${pattern}:\n${output}`,
            ),
          );
      };
      const done = (error?: Error, match?: RegExpMatchArray) => {
        clearTimeout(timer);
        waiters.delete(check);
        if (error) reject(error);
        else resolve(match!);
      };
      waiters.add(check);
      check();
    });
  return { child, output: () => output, waitFor, exited };
}

/**
 * Ends a demo a failed test left running: Ctrl+C first, so it stops its own throwaway server
 * (a SIGKILL would leave that server running), SIGKILL only if it has not ended in 20 s.
 */
async function stopDemo(demo: { child: ChildProcess; exited: Promise<unknown> }): Promise<void> {
  if (demo.child.exitCode !== null || demo.child.signalCode !== null) return;
  demo.child.kill('SIGINT');
  const timer = setTimeout(() => demo.child.kill('SIGKILL'), 20_000);
  await demo.exited;
  clearTimeout(timer);
}

function connect(server: ServerAddress) {
  return mysql.createConnection({ ...server, supportBigNumbers: true, bigNumberStrings: true });
}

async function count(conn: mysql.Connection, sql: string, params: unknown[] = []): Promise<number> {
  const [rows] = await conn.query<mysql.RowDataPacket[]>(sql, params);
  return Number(rows[0]?.n);
}

async function serverAnswers(server: ServerAddress): Promise<boolean> {
  try {
    await (await connect(server)).end();
    return true;
  } catch {
    return false;
  }
}

test('the demo on a small store: every step runs, the cut-over verifies every document, cleanup leaves nothing, the storefront reached the new store', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'store-migrate-demo-test-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const work = join(dir, 'work');
  const demo = startDemo(['--orders', '2000', '--rate', '200', '--keep', '--dir', work]);
  t.after(() => stopDemo(demo));

  // --keep: the demo waits with its databases in place (a throwaway server until Ctrl+C).
  await demo.waitFor(/^kept: databases /m);
  // A failed step keeps the databases too, without a summary: show what the demo printed.
  assert.match(demo.output(), /== done in/, demo.output());
  const summary = JSON.parse(await readFile(join(work, SUMMARY_FILE), 'utf8')) as DemoSummary;
  const server =
    summary.server.kind === 'url'
      ? parseServerUrl(process.env.MIGRATE_TEST_MYSQL_URL ?? '')
      : parseServerUrl(summary.server.url);
  const { source, destination } = summary.schemas;
  const conn = await connect(server);
  try {
    const output = demo.output();
    let at = 0;
    for (const step of [
      '1/5 demo store',
      '2/5 migrate settings',
      '3/5 migrate data',
      '4/5 migrate cutover',
      '5/5 migrate cleanup',
    ]) {
      const found = output.indexOf(`== ${step} `, at);
      assert.ok(found > at, `step "${step}" ran after the previous one:\n${output}`);
      at = found;
    }
    assert.match(output, /^== done in \d+ s/m);
    assert.match(output, /^total\s+\d+\.\d$/m);
    assert.deepEqual(
      summary.steps.map((s) => s.step),
      [
        'database server',
        'demo store',
        'migrate settings',
        'migrate data',
        'migrate cutover',
        'migrate cleanup',
      ],
    );

    // The cut-over's own report: the window phase by phase, every document verified.
    const report = JSON.parse(await readFile(join(work, 'cutover.json'), 'utf8')) as CutoverReport;
    assert.equal(report.status, 'done');
    assert.deepEqual(
      report.phases.map((p) => `${p.phase}:${p.status}`),
      ['before:ok', 'maintenance_on:ok', 'drain:ok', 'verify:ok', 'go_live:ok'],
    );
    assert.ok(report.window && report.window.seconds > 0);
    assert.ok(report.verify.length >= 9, `documents verified: ${report.verify.length}`);
    assert.ok(report.verify.every((d) => d.status === 'ok'));
    assert.ok(report.checkedBefore.length >= 9, 'the whole store was deep-checked before downtime');
    assert.match(output, /^measured downtime: \d+\.\d s \(maintenance on /m);
    // The storefront sold until the maintenance_on hook put it into maintenance.
    assert.ok(summary.storefront.maintenanceSeconds > 0);
    assert.ok(existsSync(summary.reports.html), 'the HTML report the demo printed exists');
    assert.match(
      output,
      new RegExp(`HTML report: ${summary.reports.html.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
    );

    // Cleanup removed every trigger and change-log table from the source.
    assert.equal(
      await count(conn, 'SELECT COUNT(*) AS n FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?', [
        source,
      ]),
      0,
    );
    assert.equal(
      await count(
        conn,
        "SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME LIKE 'm2\\_cl\\_%'",
        [source],
      ),
      0,
    );

    // The storefront sold during the copy, and what it sold is in the new store.
    assert.ok(summary.storefront.operations > 0, `storefront operations: ${summary.storefront.operations}`);
    assert.ok(summary.storefront.ordersPlaced > 0, `orders placed: ${summary.storefront.ordersPlaced}`);
    // It saw no database error while the tool worked (plain queries, no triggers of its own).
    assert.equal(summary.storefront.errors.count, 0, summary.storefront.errors.first.join('\n'));
    assert.ok(
      (summary.storefront.latency.placeOrder?.count ?? 0) > 0,
      JSON.stringify(summary.storefront.latency),
    );
    const placed = (schema: string, table: string) =>
      count(conn, `SELECT COUNT(*) AS n FROM \`${schema}\`.\`${table}\` WHERE increment_id LIKE 'W%'`);
    const inSource = await placed(source, 'sales_flat_order');
    assert.ok(inSource > 0);
    assert.equal(await placed(destination, 'sales_order'), inSource);
    assert.equal(summary.storefrontTraces.destination.orders, inSource);
    const total = (schema: string, table: string) =>
      count(conn, `SELECT COUNT(*) AS n FROM \`${schema}\`.\`${table}\``);
    assert.equal(await total(destination, 'sales_order_item'), await total(source, 'sales_flat_order_item'));
  } finally {
    await conn.end();
  }

  if (summary.server.kind === 'url') {
    // Nothing to wait for on a server the user named: the demo has ended; its databases are ours to drop.
    assert.equal((await demo.exited).status, 0, demo.output());
    const admin = await connect(server);
    await admin.query(`DROP DATABASE \`${source}\``);
    await admin.query(`DROP DATABASE \`${destination}\``);
    await admin.end();
    return;
  }
  // Ctrl+C ends --keep: the demo stops its server and exits 0.
  demo.child.kill('SIGINT');
  const exit = await demo.exited;
  assert.equal(exit.status, 0, demo.output());
  assert.equal(await serverAnswers(server), false, 'the throwaway server is gone');
});

test('a demo stopped during a step exits 130 and takes its server down', async (t) => {
  if (process.env.MIGRATE_TEST_MYSQL_URL) {
    t.skip('needs a throwaway server of its own');
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), 'store-migrate-demo-test-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const demo = startDemo(['--orders', '500', '--dir', join(dir, 'work')]);
  t.after(() => stopDemo(demo));
  const [, url] = await demo.waitFor(/^server: (mysql:\/\/\S+),/m);
  await demo.waitFor(/^== 3\/5 migrate data/m);
  demo.child.kill('SIGTERM');
  const exit = await demo.exited;
  assert.equal(exit.status, 130, demo.output());
  assert.match(demo.output(), /demo: stopped/);
  assert.equal(await serverAnswers(parseServerUrl(url!)), false, 'the throwaway server is gone');
});

test('a server that does not answer ends the demo with a message that says what to check', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'store-migrate-demo-test-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const demo = startDemo(['--orders', '10', '--dir', join(dir, 'work')], {
    MIGRATE_DEMO_MYSQL_URL: 'mysql://root:secret@127.0.0.1:1',
  });
  const exit = await demo.exited;
  assert.equal(exit.status, 1, demo.output());
  assert.match(demo.output(), /DEMO_STORE_FAILED/);
  assert.match(demo.output(), /MIGRATE_DEMO_MYSQL_URL/);
  assert.doesNotMatch(demo.output(), /secret/, 'the password is masked');
});

test('demo options: --orders, MIGRATE_DEMO_ORDERS, --rate, --keep, --dir; bad values are usage errors', () => {
  assert.deepEqual(parseDemoOptions([], {}), { orders: 100_000, rate: 100, keep: false, profile: 'demo' });
  assert.deepEqual(parseDemoOptions(['--orders', '2_000', '--keep', '--dir', 'x'], {}), {
    orders: 2000,
    rate: 100,
    keep: true,
    profile: 'demo',
    dir: 'x',
  });
  assert.deepEqual(parseDemoOptions(['--rate', '50'], { MIGRATE_DEMO_ORDERS: '500' }), {
    orders: 500,
    rate: 50,
    keep: false,
    profile: 'demo',
  });
  assert.deepEqual(parseDemoOptions(['--profile', 'magento'], {}), {
    orders: 100_000,
    rate: 100,
    keep: false,
    profile: 'magento',
  });
  assert.equal(parseDemoOptions(['--help'], {}), 'help');
  assert.throws(() => parseDemoOptions(['--orders', 'many'], {}), { code: 'USAGE', exitCode: 2 });
  assert.throws(() => parseDemoOptions(['--rate', '0'], {}), { code: 'USAGE' });
  assert.throws(() => parseDemoOptions(['--ordrs', '5'], {}), { code: 'USAGE' });
});

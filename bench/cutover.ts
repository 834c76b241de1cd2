/**
 * `npm run bench:cutover` (issue 17): the downtime window of the demo store, phase by phase. On
 * its own throwaway MariaDB, per store size: the demo v1 store, `migrate settings`, `migrate data`
 * while the simulated storefront sells at RATE operations a second, SELL_SECONDS more of selling
 * (its changes wait in the change logs), then `migrate cutover`, whose maintenance_on hook puts
 * the storefront into maintenance (the demo's maintenance.flag). The storefront sells until
 * that moment. Printed: each phase's seconds, the downtime, the keys the verify compared. The
 * verify should not grow with the store: it compares the keys the shop changed.
 * Every run of the CLI is the built one (bin/migrate -> dist/). See BENCHMARKS.md.
 *
 * BENCH_CUTOVER_ORDERS=20000,100000   store sizes (orders), one run each
 * BENCH_CUTOVER_RATE=100              storefront operations a second until maintenance
 * BENCH_CUTOVER_SELL_SECONDS=10       selling between the end of the copy and the cut-over
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startThrowawayServer, type ThrowawayServer } from '../src/db/throwaway-server.js';
import { MAINTENANCE_FLAG, writeDemoConfig } from '../src/demo/demo-config.js';
import { createDemoStore, type DemoSchemas, serverUrl } from '../src/demo/demo-store.js';
import { startStorefront } from '../src/demo/storefront-process.js';
import { type CutoverReport, PHASE_TITLES } from '../src/report/cutover-report.js';
import { textTable } from '../src/report/table.js';
import { packageRoot } from '../src/util/package-root.js';

const SIZES = (process.env.BENCH_CUTOVER_ORDERS ?? '20000,100000').split(',').map(Number);
const RATE = Number(process.env.BENCH_CUTOVER_RATE ?? 100);
const SELL_SECONDS = Number(process.env.BENCH_CUTOVER_SELL_SECONDS ?? 10);
const say = (text: string) => process.stderr.write(`[bench cutover] ${text}\n`);

function cli(root: string, cwd: string, env: NodeJS.ProcessEnv, args: string[]): Promise<void> {
  const child = spawn(process.execPath, [join(root, 'bin', 'migrate'), ...args], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (d) => (err += d));
  return new Promise((resolve, reject) =>
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`migrate ${args[0]} exited ${code}: ${err.slice(-3000)}`)),
    ),
  );
}

interface Result {
  orders: number;
  report: CutoverReport;
  placed: number;
}

async function measure(root: string, server: ThrowawayServer, orders: number): Promise<Result> {
  const schemas: DemoSchemas = { source: `c${orders}_v1`, destination: `c${orders}_v2` };
  const dir = await mkdtemp(join(tmpdir(), 'store-migrate-bench-cutover-'));
  try {
    say(`${orders} orders: creating the demo store`);
    await createDemoStore(server, schemas, orders);
    const work = await writeDemoConfig(dir, server, schemas);
    const run = (args: string[]) => cli(root, dir, work.env, args);
    await run(['settings', 'config.xml', '-q']);
    const storefront = startStorefront({
      url: serverUrl(server),
      schema: schemas.source,
      rate: RATE,
      seed: orders,
      modes: { maintenanceFlag: join(dir, MAINTENANCE_FLAG) },
    });
    await storefront.opened;
    let stats: Awaited<ReturnType<typeof storefront.stop>>;
    try {
      say(`${orders} orders: migrate data while the storefront sells at ${RATE}/s`);
      await run(['data', 'config.xml', '-q']);
      say(`${orders} orders: ${SELL_SECONDS} s more of selling, then migrate cutover`);
      await new Promise((r) => setTimeout(r, SELL_SECONDS * 1000));
      await run(['cutover', 'config.xml', '--json', 'cutover.json', '--html', 'cutover.html']);
    } finally {
      stats = await storefront.stop();
    }
    if (stats.errors.count > 0) say(`storefront errors: ${stats.errors.first.join('; ')}`);
    const report = JSON.parse(await readFile(join(dir, 'cutover.json'), 'utf8')) as CutoverReport;
    return { orders, report, placed: stats.ordersPlaced };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function render(results: readonly Result[]): string {
  const phases = ['before', 'maintenance_on', 'drain', 'verify', 'go_live'] as const;
  const seconds = (r: Result, phase: string) =>
    (r.report.phases.find((p) => p.phase === phase)?.seconds ?? 0).toFixed(1);
  const keys = (r: Result) => r.report.verify.reduce((t, d) => t + (d.keysCompared ?? 0), 0);
  return textTable(
    ['orders', ...phases.map((p) => `${PHASE_TITLES[p]} s`), 'downtime s', 'keys verified', 'orders placed'],
    results.map((r) => [
      r.orders.toLocaleString('en-US'),
      ...phases.map((p) => seconds(r, p)),
      (r.report.window?.seconds ?? 0).toFixed(1),
      String(keys(r)),
      String(r.placed),
    ]),
    ['right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
  );
}

async function main(): Promise<void> {
  const root = packageRoot();
  let server: ThrowawayServer | undefined;
  const onSignal = () => {
    say('interrupted: stopping the server');
    void (server?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    server = await startThrowawayServer({ serverArgs: ['--innodb-buffer-pool-size=1G'] });
    const results: Result[] = [];
    for (const orders of SIZES) results.push(await measure(root, server, orders));
    process.stdout.write(
      `\ncutover bench: the demo store, storefront at ${RATE} operations/s until maintenance, ${SELL_SECONDS} s of selling after the copy\n` +
        `${render(results)}\n` +
        '(before downtime = catch-up + full deep check of what was not verified yet, outside the window; downtime = maintenance on to go live)\n',
    );
  } finally {
    await server?.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

await main();

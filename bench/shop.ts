/**
 * `npm run bench:shop` (issue 11, item 9): what the live shop pays while the tool works. On its own
 * throwaway MariaDB, a demo v1 store whose order table has audit triggers of its own; a simulated
 * storefront (src/demo/storefront.ts) sells through server-side prepared statements and CALLs a
 * looping stored procedure, and reports the latency of every operation and every error it saw:
 *   1. idle (no tool running);
 *   2. during `migrate data` (installs tracking, then copies);
 *   3. during `migrate delta` (DELTA_SECONDS, then Ctrl+C);
 *   4. the same two with throttling, when this tree has the throttle options (or BENCH_SHOP_THROTTLE
 *      names the options to use);
 *   5. during the tracking install while a long report query holds the order table (after a cleanup,
 *      `migrate data --reset` installs tracking again).
 * Every run of the CLI is the built one (bin/migrate -> dist/). See BENCHMARKS.md.
 *
 * BENCH_SHOP_ORDERS=20000        orders in the v1 store
 * BENCH_SHOP_RATE=100            storefront operations a second
 * BENCH_SHOP_CONNECTIONS=4       the storefront's selling connections (they share the rate)
 * BENCH_SHOP_REPORT_SECONDS=20   length of the report query in phase 5
 * BENCH_SHOP_THROTTLE='<max_threads_running>6</max_threads_running>'   options for the throttled runs
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type mysql from 'mysql2/promise';
import { OPTION_DEFS } from '../src/config/options.js';
import { openPlainConnection } from '../src/db/plain-connection.js';
import { startThrowawayServer, type ThrowawayServer } from '../src/db/throwaway-server.js';
import { writeDemoConfig } from '../src/demo/demo-config.js';
import { createDemoStore, type DemoSchemas, serverUrl } from '../src/demo/demo-store.js';
import { AUDIT_TABLE } from '../src/demo/shop-fixtures.js';
import { type StorefrontModes, startStorefront } from '../src/demo/storefront-process.js';
import { packageRoot } from '../src/util/package-root.js';
import { machineBusySeconds } from './monitor.js';
import { formatPhases, formatTargets, LEGEND, type PhaseResult } from './shop-report.js';

const ORDERS = Number(process.env.BENCH_SHOP_ORDERS ?? 20_000);
const RATE = Number(process.env.BENCH_SHOP_RATE ?? 100);
const CONNECTIONS = Number(process.env.BENCH_SHOP_CONNECTIONS ?? 4);
const REPORT_SECONDS = Number(process.env.BENCH_SHOP_REPORT_SECONDS ?? 20);
const IDLE_SECONDS = 10;
const DELTA_SECONDS = 10;
const SCHEMAS: DemoSchemas = { source: 'shop_v1', destination: 'shop_v2' };
/** The shop as issue 11 describes real ones: prepared statements, a procedure, audit triggers of its own. */
const SHOP: StorefrontModes = {
  connections: CONNECTIONS,
  prepared: true,
  ownTriggers: true,
  procedure: { callsPerSecond: 10, writesPerCall: 5 },
};

const say = (text: string) => process.stderr.write(`[bench shop] ${text}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const element = (name: string) => Object.values(OPTION_DEFS).find((d) => d.element === name);

/** The throttle options for phase 4: BENCH_SHOP_THROTTLE, or this tree's own when it has them. */
function throttleOptions(): string | undefined {
  if (process.env.BENCH_SHOP_THROTTLE) return process.env.BENCH_SHOP_THROTTLE;
  return element('max_threads_running') ? '<max_threads_running>6</max_threads_running>' : undefined;
}

/** The session lock timeout of the tool's DDL on the source, seconds, when this tree has the option. */
function lockTimeoutSeconds(): number | undefined {
  const def = Object.values(OPTION_DEFS).find((d) => d.element.includes('lock_wait_timeout'));
  const text = def && 'default' in def ? def.default : undefined;
  return text === undefined ? undefined : Number(text);
}

interface Cli {
  child: ChildProcess;
  done: Promise<void>;
}

function cli(root: string, env: NodeJS.ProcessEnv, args: string[]): Cli {
  const child = spawn(process.execPath, [join(root, 'bin', 'migrate'), ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (d) => (err += d));
  const done = new Promise<void>((resolve, reject) =>
    child.on('close', (code) =>
      code === 0 || code === 130
        ? resolve()
        : reject(new Error(`migrate ${args[0]} exited ${code}: ${err.slice(-2000)}`)),
    ),
  );
  return { child, done };
}

async function main(): Promise<void> {
  const root = packageRoot();
  const dir = await mkdtemp(join(tmpdir(), 'store-migrate-bench-shop-'));
  let server: ThrowawayServer | undefined;
  const onSignal = () => {
    say('interrupted: stopping the server');
    void (server?.stop() ?? Promise.resolve()).finally(() => {
      rmSync(dir, { recursive: true, force: true });
      process.exit(130);
    });
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    server = await startThrowawayServer({ serverArgs: ['--innodb-buffer-pool-size=1G'] });
    await bench(root, dir, server);
  } finally {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

async function bench(root: string, dir: string, server: ThrowawayServer): Promise<void> {
  say(`creating the demo store with ${ORDERS} orders`);
  await createDemoStore(server, SCHEMAS, ORDERS);
  const work = await writeDemoConfig(dir, server, SCHEMAS);
  const mapFile = join(dir, 'map.json');
  const map = JSON.parse(await readFile(mapFile, 'utf8'));
  map.source.documents.ignore.push(AUDIT_TABLE); // the shop's own audit log stays behind
  await writeFile(mapFile, JSON.stringify(map));
  const config = work.configFile;
  const run = (args: string[]) => cli(root, work.env, args);
  const url = serverUrl(server);
  let seed = 100;

  /** The storefront sells while `during()` runs; its stats and the tool's time are the phase's result. */
  const phase = async (
    name: string,
    during: () => Promise<unknown>,
    modes: StorefrontModes = SHOP,
    beforeTool: () => Promise<void> = async () => {},
  ): Promise<PhaseResult> => {
    say(name);
    const storefront = startStorefront({ url, schema: SCHEMAS.source, rate: RATE, seed: seed++, modes });
    await storefront.opened;
    const started = performance.now();
    const busyBefore = machineBusySeconds();
    await beforeTool();
    const toolStarted = performance.now();
    try {
      await during();
    } catch (error) {
      await storefront.stop().catch(() => {});
      throw error;
    }
    const toolSeconds = (performance.now() - toolStarted) / 1000;
    const seconds = (performance.now() - started) / 1000;
    const busyAfter = machineBusySeconds();
    const stats = await storefront.stop();
    const machineBusy =
      busyBefore === undefined || busyAfter === undefined
        ? undefined
        : (busyAfter - busyBefore) / seconds / cpus().length;
    return { phase: name, toolSeconds, seconds, machineBusy, stats };
  };
  const deltaFor = (configFile: string) => async () => {
    const delta = run(['delta', configFile, '-q', '--poll-interval', '100']);
    await sleep(DELTA_SECONDS * 1000);
    delta.child.kill('SIGINT');
    await delta.done;
  };

  const results: PhaseResult[] = [];
  results.push({ ...(await phase('idle', () => sleep(IDLE_SECONDS * 1000))), toolSeconds: 0 });
  const copy = await phase('migrate data', () => run(['data', config, '-q']).done);
  results.push(copy);
  results.push(await phase(`migrate delta (${DELTA_SECONDS} s)`, deltaFor(config)));

  const throttle = throttleOptions();
  let throttleNote = 'not measured (no throttle option on this tree; set BENCH_SHOP_THROTTLE)';
  if (throttle) {
    const logFile = join(dir, 'migration.log');
    const logBefore = (await readFile(logFile, 'utf8')).length;
    const throttled = join(dir, 'config-throttled.xml');
    await writeFile(
      throttled,
      (await readFile(config, 'utf8')).replace('</options>', `${throttle}\n  </options>`),
    );
    await run(['cleanup', config, '-q']).done;
    results.push(
      await phase(
        `migrate data --reset, throttled`,
        () => run(['data', throttled, '--reset', '--yes', '-q']).done,
      ),
    );
    results.push(await phase(`migrate delta (${DELTA_SECONDS} s), throttled`, deltaFor(throttled)));
    const pauses = throttlePauses((await readFile(logFile, 'utf8')).slice(logBefore));
    throttleNote = `${throttle}; the tool paused ${pauses.count} times, ${pauses.seconds} s in all (its log's "throttle lifted" lines)`;
  } else {
    say(
      'throttled runs skipped: this tree has no max_threads_running option and BENCH_SHOP_THROTTLE is unset',
    );
  }

  await run(['cleanup', config, '-q']).done;
  let installOutcome = 'the tool waited, installed tracking and copied (exit 0)';
  const install = await phase(
    `migrate data --reset under a ${REPORT_SECONDS} s report (tracking install)`,
    async () => {
      // A tool that gives up waiting for the report (a bounded retry) is an outcome to print, not a bench failure.
      await run(['data', config, '--reset', '--yes', '-q']).done.catch((error: Error) => {
        installOutcome = `the tool stopped: ${error.message.split('\n').slice(0, 3).join(' ')}`;
      });
    },
    { ...SHOP, report: { seconds: REPORT_SECONDS, pauseSeconds: 3600 } },
    () => reportRunning(server),
  );
  results.push(install);
  await run(['cleanup', config, '-q']).done;

  const cpu = cpus();
  const lines = [
    `shop bench: ${ORDERS} orders (demo v1 store) on a throwaway MariaDB; machine: ${cpu.length} CPUs (${cpu[0]?.model.trim() ?? '?'})`,
    `storefront: ${RATE} operations/s on ${CONNECTIONS} connections through prepared statements, audit triggers of its own on sales_flat_order (AFTER INSERT/UPDATE/DELETE), ` +
      `a looping procedure (${SHOP.procedure?.callsPerSecond} CALLs/s, ${SHOP.procedure?.writesPerCall} UPDATEs each)`,
    `throttled runs: ${throttleNote}`,
    `tracking install under a report: ${installOutcome}`,
    '',
    formatPhases(results),
    '',
    LEGEND,
    '',
    formatTargets({
      withTool: results.filter((r) => r.phase !== 'idle'),
      install,
      copy,
      lockTimeoutSeconds: lockTimeoutSeconds(),
    }),
  ];
  process.stdout.write(`\n${lines.join('\n')}\n`);
}

/** The throttle's pauses in a stretch of the run log: how many were lifted, and their seconds. */
function throttlePauses(log: string): { count: number; seconds: number } {
  const lifted = [...log.matchAll(/throttle lifted after (\d+) s/g)].map((m) => Number(m[1]));
  return { count: lifted.length, seconds: lifted.reduce((a, b) => a + b, 0) };
}

/** Waits until the storefront's report query is running (and so holds the order table's metadata lock). */
async function reportRunning(server: ThrowawayServer): Promise<void> {
  const conn: mysql.Connection = await openPlainConnection(server);
  try {
    for (let i = 0; i < 100; i++) {
      const [rows] = await conn.query<mysql.RowDataPacket[]>(
        "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB = ? AND INFO LIKE '%SLEEP(%' AND ID <> CONNECTION_ID()",
        [SCHEMAS.source],
      );
      if (Number(rows[0]?.n) > 0) return;
      await sleep(100);
    }
    throw new Error('the report query did not start');
  } finally {
    await conn.end();
  }
}

await main();

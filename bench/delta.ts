/**
 * The delta part of `npm run bench` (issue 5), on its own throwaway MariaDB:
 *   1. changes applied per second from a backlog of 100,000 changes (`migrate delta --until-caught-up`);
 *   2. the lag (age of the oldest unapplied change) while a writer makes 1,000 changes per second
 *      and `migrate delta` runs;
 *   3. the writer's throughput with the tracking triggers against without them (the overhead the
 *      shop pays while tracking is on).
 * Every run of the CLI is the built one (bin/migrate -> dist/). See BENCHMARKS.md.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { startThrowawayServer } from '../src/db/throwaway-server.js';
import { packageRoot } from '../src/util/package-root.js';
import { generateOrdersSql, ORDERS_DDL } from './orders.js';

const ROWS = Number(process.env.BENCH_DELTA_ROWS ?? 100_000);
const WRITE_RATE = 1000;
const LAG_SECONDS = 10;
const say = (text: string) => process.stderr.write(`[bench delta] ${text}\n`);

function cli(root: string, args: string[]): { child: ChildProcess; done: Promise<number> } {
  const child = spawn(process.execPath, [join(root, 'bin', 'migrate'), ...args], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (d) => (err += d));
  const done = new Promise<number>((resolve, reject) =>
    child.on('close', (code) =>
      code === 0 || code === 130
        ? resolve(code)
        : reject(new Error(`migrate ${args[0]} exited ${code}: ${err.slice(-2000)}`)),
    ),
  );
  return { child, done };
}

async function timed(root: string, args: string[]): Promise<number> {
  const started = performance.now();
  await cli(root, args).done;
  return (performance.now() - started) / 1000;
}

/** Single-row updates of random orders at `rate` per second (0: as fast as it can) for `seconds`. */
async function write(conn: mysql.Connection, schema: string, rate: number, seconds: number): Promise<number> {
  const started = performance.now();
  let n = 0;
  while (performance.now() - started < seconds * 1000) {
    const id = 1 + ((n * 7919) % ROWS);
    await conn.query(
      `UPDATE \`${schema}\`.orders SET grand_total = grand_total + 1, updated_at = NOW() WHERE entity_id = ?`,
      [id],
    );
    n++;
    if (rate > 0) {
      const due = started + (n * 1000) / rate;
      if (due > performance.now()) await new Promise((r) => setTimeout(r, due - performance.now()));
    }
  }
  return n / ((performance.now() - started) / 1000);
}

async function main(): Promise<void> {
  const root = packageRoot();
  const server = await startThrowawayServer({ serverArgs: ['--innodb-buffer-pool-size=1G'] });
  const dir = await mkdtemp(join(tmpdir(), 'store-migrate-bench-delta-'));
  const conn = await mysql.createConnection({
    host: server.host,
    port: server.port,
    user: server.user,
    password: server.password,
  });
  try {
    await conn.query('CREATE DATABASE d_src');
    await conn.query('CREATE DATABASE d_dst');
    await conn.query(`CREATE TABLE d_src.orders ${ORDERS_DDL}`);
    await conn.query(`CREATE TABLE d_dst.orders ${ORDERS_DDL}`);
    await conn.query(generateOrdersSql('d_src', ROWS));
    const db = (name: string) =>
      `<database host="${server.host}" port="${server.port}" user="${server.user}" password="${server.password}" name="${name}"/>`;
    await writeFile(join(dir, 'map.json'), '{}');
    await writeFile(
      join(dir, 'deltalog.json'),
      JSON.stringify({ prefix: 'm2_cl_', documents: { orders: {} } }),
    );
    const config = join(dir, 'config.xml');
    await writeFile(
      config,
      `<config><source>${db('d_src')}</source><destination>${db('d_dst')}</destination><options>` +
        '<map_file>map.json</map_file><deltalog_file>deltalog.json</deltalog_file><delta_poll_interval>100</delta_poll_interval></options></config>',
    );
    say(`copying ${ROWS} orders (installs tracking first)`);
    await timed(root, ['data', config, '-q']);

    // 1. Backlog.
    const fixed = await timed(root, ['delta', config, '--until-caught-up', '--quiet-period', '0', '-q']);
    await conn.query('UPDATE d_src.orders SET grand_total = grand_total + 1');
    const [[backlog]] = (await conn.query('SELECT COUNT(*) AS n FROM d_src.m2_cl_orders')) as unknown as [
      [{ n: number }],
    ];
    const drain = await timed(root, ['delta', config, '--until-caught-up', '--quiet-period', '0', '-q']);
    const applied = Number(backlog.n);
    const rate = applied / Math.max(drain - fixed, 0.001);
    say(`backlog ${applied} changes drained in ${drain.toFixed(2)} s (fixed cost ${fixed.toFixed(2)} s)`);

    // 2. Lag under a steady writer.
    const delta = cli(root, ['delta', config, '-q', '--poll-interval', '100']);
    await new Promise((r) => setTimeout(r, 1500));
    const lags: number[] = [];
    let sampling = true;
    const sampler = (async () => {
      const probe = await mysql.createConnection({
        host: server.host,
        port: server.port,
        user: server.user,
        password: server.password,
      });
      while (sampling) {
        const [[row]] = (await probe.query(
          'SELECT TIMESTAMPDIFF(MICROSECOND, MIN(changed_at), NOW(6)) / 1e6 AS lag FROM d_src.m2_cl_orders',
        )) as unknown as [[{ lag: string | null }]];
        lags.push(Number(row.lag ?? 0));
        await new Promise((r) => setTimeout(r, 200));
      }
      await probe.end();
    })();
    const achieved = await write(conn, 'd_src', WRITE_RATE, LAG_SECONDS);
    sampling = false;
    await sampler;
    delta.child.kill('SIGINT');
    await delta.done;
    const sorted = [...lags].sort((a, b) => a - b);
    const p50 = sorted[Math.floor(sorted.length / 2)] ?? 0;
    const max = sorted.at(-1) ?? 0;

    // 3. Trigger overhead: the same writer, as fast as it can, with and without tracking.
    const withTriggers = await write(conn, 'd_src', 0, 5);
    await timed(root, ['cleanup', config, '-q']);
    const withoutTriggers = await write(conn, 'd_src', 0, 5);

    const lines = [
      `delta bench: ${ROWS} orders (25 columns) on a throwaway MariaDB, concurrency 4`,
      `backlog: ${applied} changes applied in ${(drain - fixed).toFixed(2)} s = ${Math.round(rate)} changes/s (target >= 10,000; fixed CLI cost ${fixed.toFixed(2)} s excluded)`,
      `lag with a writer at ${Math.round(achieved)} changes/s for ${LAG_SECONDS} s: median ${p50.toFixed(2)} s, max ${max.toFixed(2)} s over ${lags.length} samples (target < 2 s)`,
      `writer throughput (single connection, autocommit UPDATEs): ${Math.round(withTriggers)}/s with tracking triggers, ${Math.round(withoutTriggers)}/s without: overhead ${(((withoutTriggers - withTriggers) / withoutTriggers) * 100).toFixed(1)}%`,
    ];
    process.stdout.write(`\n${lines.join('\n')}\n`);
  } finally {
    await conn.end().catch(() => {});
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();

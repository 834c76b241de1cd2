/**
 * `node --import tsx bench/orders-ab.ts <base-root> [<new-root>]`: the bench's streaming copy of
 * `orders` (bench/run.ts's "store-migrate streaming" line) with two builds of store-migrate,
 * alternating, on one throwaway MariaDB with the bench's server options: BENCH_PAIRS pairs
 * (default 3) into a destination with AUTO_INCREMENT and, unless BENCH_AB_NO_AI=0, into one
 * without. Every copy is verified (count and CHECKSUM TABLE). Prints wall time, client, server
 * and other CPU for each copy and the new / base ratios of the means: on a shared machine the A/B
 * within one run is what can be compared (issue 16, BENCHMARKS.md).
 *
 * A root is a checkout with `bin/migrate` and a built `dist/`; <new-root> defaults to this one.
 * BENCH_ROWS sets the table's size (default 1,000,000); BENCH_AB_NEW_OPTIONS adds elements to the
 * new build's `<options>`, so one build can be compared with itself and an option
 * (`bench/orders-ab.ts . .` with `<parallel_autoinc_inserts>1</parallel_autoinc_inserts>`).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import mysql from 'mysql2/promise';
import { startThrowawayServer, type ThrowawayServer } from '../src/db/throwaway-server.js';
import { packageRoot } from '../src/util/package-root.js';
import { runStoreMigrate } from './contenders.js';
import { cpuSeconds, machineBusySeconds } from './monitor.js';
import { generateOrdersSql } from './orders.js';
import {
  dropAutoIncrement,
  dropSchema,
  freshSchema,
  serverPid,
  settle,
  tableFacts,
  verifyCopy,
} from './server.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const PAIRS = Number(process.env.BENCH_PAIRS ?? 3);
const KINDS = process.env.BENCH_AB_NO_AI === '0' ? [true] : [true, false];
const OPTIONS = '<bulk_size>0</bulk_size><direct_document_copy>0</direct_document_copy>';

interface Copy {
  seconds: number;
  client: number;
  server: number;
  other: number;
}

const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const [baseArg, newArg] = process.argv.slice(2);
  if (!baseArg) {
    process.stderr.write('usage: node --import tsx bench/orders-ab.ts <base-root> [<new-root>]\n');
    process.exit(2);
  }
  const roots = { base: resolve(baseArg), new: resolve(newArg ?? packageRoot()) };
  let server: ThrowawayServer | undefined;
  const tempDir = await mkdtemp(join(tmpdir(), 'store-migrate-orders-ab-'));
  try {
    server = await startThrowawayServer({
      serverArgs: ['--innodb-buffer-pool-size=2G', '--innodb-log-file-size=1G'],
    });
    const running = server;
    const conn = await mysql.createConnection({
      host: server.host,
      port: server.port,
      user: server.user,
      password: server.password,
    });
    const pid = serverPid(server.dataDir);
    if (pid === undefined) throw new Error('cannot find the server process');
    await freshSchema(conn, 'bench_src');
    await conn.query(generateOrdersSql('bench_src', ROWS));
    await conn.query('ANALYZE TABLE bench_src.orders');
    const source = await tableFacts(conn, 'bench_src');
    const copies = new Map<string, Copy[]>();
    for (let pair = 0; pair < PAIRS; pair++) {
      for (const autoIncrement of KINDS) {
        // Alternate which build goes first, so neither always follows the other's dirty pages.
        const order = pair % 2 === 0 ? (['base', 'new'] as const) : (['new', 'base'] as const);
        for (const build of order) {
          const destination = 'bench_dst';
          await freshSchema(conn, destination);
          if (!autoIncrement) await dropAutoIncrement(conn, destination);
          await settle(conn);
          const serverBefore = cpuSeconds(pid) ?? 0;
          const machineBefore = machineBusySeconds() ?? 0;
          const timing = await runStoreMigrate({
            server: running,
            root: roots[build],
            tempDir,
            source: 'bench_src',
            destination,
            options: build === 'new' ? OPTIONS + (process.env.BENCH_AB_NEW_OPTIONS ?? '') : OPTIONS,
          });
          const serverCpu = (cpuSeconds(pid) ?? 0) - serverBefore;
          const client = timing.clientCpuSeconds ?? 0;
          const other = Math.max(0, (machineBusySeconds() ?? 0) - machineBefore - serverCpu - client);
          await verifyCopy(conn, destination, source, `${build} build`);
          await dropSchema(conn, destination);
          const label = `${build} ${autoIncrement ? 'AUTO_INCREMENT' : 'no AUTO_INCREMENT'}`;
          const copy = { seconds: timing.seconds, client, server: serverCpu, other };
          copies.set(label, [...(copies.get(label) ?? []), copy]);
          say(
            `${label.padEnd(24)} ${ROWS} rows: ${copy.seconds.toFixed(2)} s wall, client CPU ${client.toFixed(2)} s, ` +
              `server CPU ${serverCpu.toFixed(2)} s, other CPU ${other.toFixed(1)} s`,
          );
        }
      }
    }
    await conn.end();
    const mean = (label: string, pick: (c: Copy) => number) => {
      const list = copies.get(label) ?? [];
      return list.reduce((sum, c) => sum + pick(c), 0) / Math.max(1, list.length);
    };
    for (const autoIncrement of KINDS) {
      const kind = autoIncrement ? 'AUTO_INCREMENT' : 'no AUTO_INCREMENT';
      const ratio = (pick: (c: Copy) => number) =>
        (mean(`new ${kind}`, pick) / mean(`base ${kind}`, pick)).toFixed(3);
      say(
        `${kind}: new / base wall ${ratio((c) => c.seconds)} (means ${mean(`new ${kind}`, (c) => c.seconds).toFixed(2)} / ` +
          `${mean(`base ${kind}`, (c) => c.seconds).toFixed(2)} s), client CPU ${ratio((c) => c.client)}, ` +
          `server CPU ${ratio((c) => c.server)}`,
      );
    }
  } finally {
    await server?.stop().catch(() => {});
    await rm(tempDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`orders-ab: ${error instanceof Error ? (error.stack ?? error.message) : error}\n`);
  process.exitCode = 1;
});

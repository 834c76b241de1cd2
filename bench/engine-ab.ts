/**
 * `npm run bench:engine -- <base-root> [<new-root>]`: the demo profile's `migrate data` with two
 * builds of store-migrate, alternating, on one throwaway MariaDB: the same generated demo store
 * (BENCH_ORDERS orders, default 100,000) copied into a fresh v2 schema by each build in turn
 * (BENCH_PAIRS pairs, default 3). Each copy's destination is hashed table by table, and
 * the two builds must leave identical tables; then wall time and client CPU (the migrate
 * process, user+sys) are compared as ratios. Issue 14's "same result and same speed" check.
 *
 * A root is a checkout with `bin/migrate` and a built `dist/` (e.g. `git worktree add ../base
 * <commit> && (cd ../base && npm ci && npm run build)`); <new-root> defaults to this checkout.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import mysql, { type Connection, type RowDataPacket } from 'mysql2/promise';
import { startThrowawayServer, type ThrowawayServer } from '../src/db/throwaway-server.js';
import { generateV1Data, loadSchema } from '../src/fixtures/generate-v1-data.js';
import { packageRoot } from '../src/util/package-root.js';
import { sampleProcess } from './monitor.js';
import { settle } from './server.js';

const ORDERS = Number(process.env.BENCH_ORDERS ?? 100_000);
const PAIRS = Number(process.env.BENCH_PAIRS ?? 3);
const SOURCE = 'ab_v1';
const DESTINATION = 'ab_v2';
const PROFILE_FILES = ['map.json', 'settings.json', 'deltalog.json'];

interface Copy {
  build: 'base' | 'new';
  seconds: number;
  cpuSeconds: number;
  checksums: string;
}

const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const [baseArg, newArg] = process.argv.slice(2);
  if (!baseArg) {
    process.stderr.write('usage: npm run bench:engine -- <base-root> [<new-root>]\n');
    process.exit(2);
  }
  const roots = { base: resolve(baseArg), new: resolve(newArg ?? packageRoot()) };
  let server: ThrowawayServer | undefined;
  let conn: Connection | undefined;
  const dir = await mkdtemp(join(tmpdir(), 'store-migrate-engine-ab-'));
  try {
    server = await startThrowawayServer({ serverArgs: ['--innodb-buffer-pool-size=2G'] });
    conn = await mysql.createConnection({
      host: server.host,
      port: server.port,
      user: server.user,
      password: server.password,
    });
    await conn.query(`CREATE DATABASE ${SOURCE} CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci`);
    await loadSchema(conn, SOURCE, 'v1');
    const counts = await generateV1Data(conn, SOURCE, { orders: ORDERS });
    const rows = Object.values(counts).reduce((a, b) => a + b, 0);
    say(
      `demo store: ${ORDERS.toLocaleString('en-US')} orders, ${rows.toLocaleString('en-US')} rows in ${Object.keys(counts).length} tables`,
    );
    const config = await writeConfig(dir, server);
    const copies: Copy[] = [];
    for (let pair = 0; pair < PAIRS; pair++) {
      for (const build of pair % 2 === 0 ? (['base', 'new'] as const) : (['new', 'base'] as const)) {
        await conn.query(`DROP DATABASE IF EXISTS ${DESTINATION}`);
        await conn.query(`CREATE DATABASE ${DESTINATION} CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci`);
        await loadSchema(conn, DESTINATION, 'v2');
        await migrate(roots[build], 'settings', config);
        await settle(conn);
        const { seconds, cpuSeconds } = await migrate(roots[build], 'data', config);
        const checksums = await destinationChecksums(conn);
        copies.push({ build, seconds, cpuSeconds, checksums });
        say(`${build}: ${seconds.toFixed(2)} s, client CPU ${cpuSeconds.toFixed(2)} s`);
      }
    }
    const same = new Set(copies.map((c) => c.checksums)).size === 1;
    const mean = (build: Copy['build'], field: 'seconds' | 'cpuSeconds') => {
      const values = copies.filter((c) => c.build === build).map((c) => c[field]);
      return values.reduce((a, b) => a + b, 0) / values.length;
    };
    say('');
    say(
      `same destination tables (row count and row hash of every table, every copy): ${same ? 'yes' : 'NO'}`,
    );
    say(
      `wall:       base ${mean('base', 'seconds').toFixed(2)} s, new ${mean('new', 'seconds').toFixed(2)} s, new/base ${(mean('new', 'seconds') / mean('base', 'seconds')).toFixed(3)}`,
    );
    say(
      `client CPU: base ${mean('base', 'cpuSeconds').toFixed(2)} s, new ${mean('new', 'cpuSeconds').toFixed(2)} s, new/base ${(mean('new', 'cpuSeconds') / mean('base', 'cpuSeconds')).toFixed(3)}`,
    );
    if (!same) process.exitCode = 1;
  } finally {
    await conn?.end().catch(() => {});
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** config.xml + the demo profile's files, over the two schemas (direct copy allowed, as the demo). */
async function writeConfig(dir: string, server: ThrowawayServer): Promise<string> {
  const profile = join(packageRoot(), 'src', 'mappings', 'demo');
  for (const file of PROFILE_FILES) await writeFile(join(dir, file), await readFile(join(profile, file)));
  const db = (name: string) =>
    `<database host="${server.host}" port="${server.port}" user="${server.user}" password="${server.password}" name="${name}"/>`;
  const config = join(dir, 'config.xml');
  await writeFile(
    config,
    `<config><source>${db(SOURCE)}</source><destination>${db(DESTINATION)}</destination><options>` +
      '<map_file>map.json</map_file><settings_map_file>settings.json</settings_map_file>' +
      '<deltalog_file>deltalog.json</deltalog_file><direct_document_copy>1</direct_document_copy>' +
      `<log_file>${join(dir, 'migration.log')}</log_file></options></config>\n`,
  );
  return config;
}

/** Runs `migrate <command> <config> -q` of one build; a non-zero exit is an error. */
function migrate(
  root: string,
  command: string,
  config: string,
): Promise<{ seconds: number; cpuSeconds: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, [join(root, 'bin', 'migrate'), command, config, '-q'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const sampler = child.pid === undefined ? undefined : sampleProcess(child.pid);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  return new Promise((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('close', (status) => {
      const cost = sampler?.stop() ?? { cpuSeconds: 0, peakRssBytes: 0 };
      if (status !== 0)
        reject(new Error(`${root}: migrate ${command} exited ${status}:\n${output.slice(-3000)}`));
      else resolvePromise({ seconds: (performance.now() - started) / 1000, cpuSeconds: cost.cpuSeconds });
    });
  });
}

/**
 * Every destination table's row count and an order-free hash of its rows (BIT_XOR of each
 * row's SHA1 prefix), as one string. The tool's own tables are left out, and so are columns the
 * destination fills itself with the time (`DEFAULT CURRENT_TIMESTAMP`): they differ per run.
 */
async function destinationChecksums(conn: Connection): Promise<string> {
  const [columns] = await conn.query<RowDataPacket[]>(
    `SELECT table_name AS t, column_name AS c FROM information_schema.columns
      WHERE table_schema = ? AND table_name NOT LIKE 'migration\\_progress%'
        AND IFNULL(column_default, '') NOT LIKE 'current\\_timestamp%'
      ORDER BY table_name, ordinal_position`,
    [DESTINATION],
  );
  const byTable = new Map<string, string[]>();
  for (const row of columns) {
    const list = byTable.get(row.t as string) ?? [];
    list.push(`IFNULL(HEX(\`${row.c as string}\`), 'N')`);
    byTable.set(row.t as string, list);
  }
  const lines: string[] = [];
  for (const [table, cols] of byTable) {
    const [[sum]] = await conn.query<RowDataPacket[]>(
      `SELECT COUNT(*) AS n, BIT_XOR(CAST(CONV(LEFT(SHA1(CONCAT_WS('|', ${cols.join(', ')})), 16), 16, 10) AS UNSIGNED)) AS h
         FROM ${DESTINATION}.\`${table}\``,
    );
    lines.push(`${table}: ${String(sum?.n)} rows, ${String(sum?.h)}`);
  }
  return lines.join('\n');
}

await main();

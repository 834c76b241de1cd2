/**
 * The contenders, each copying `orders` from a source schema into an empty table of the same
 * shape in its own destination schema on the benchmark's server: plain INSERT ... SELECT (the
 * ceiling), mariadb-dump | mariadb, and the built `migrate data` CLI. Each returns its wall
 * time and what its client processes cost; the caller verifies the copy.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Connection } from 'mysql2/promise';
import type { ServerAddress } from '../src/db/throwaway-server.js';
import { findExecutable } from '../src/db/throwaway-server.js';
import { type ProcessCost, sampleProcess } from './monitor.js';

export interface Timing {
  seconds: number;
  /** Peak RSS of the client process (the largest of a pipeline's), bytes; undefined for in-server work. */
  peakRssBytes?: number;
  /** CPU seconds of the client process(es). */
  clientCpuSeconds?: number;
  /** What the client printed, for the log. */
  output?: string;
}

/** The ceiling: one `INSERT ... SELECT` statement on the server, as an operator would type it. */
export async function runCeiling(conn: Connection, source: string, destination: string): Promise<Timing> {
  const started = performance.now();
  await conn.query(`INSERT INTO \`${destination}\`.orders SELECT * FROM \`${source}\`.orders`);
  return { seconds: (performance.now() - started) / 1000 };
}

/** The dump and client binaries, MariaDB's names first; undefined when either is missing. */
export function dumpTools(): { dump: string; client: string } | undefined {
  const dump = findExecutable('mariadb-dump') ?? findExecutable('mysqldump');
  const client = findExecutable('mariadb') ?? findExecutable('mysql');
  return dump && client ? { dump, client } : undefined;
}

/**
 * `mariadb-dump --no-create-info source orders | mariadb destination`, as a shell pipeline
 * (pipefail: either side failing fails it), so the bytes go straight from one to the other.
 */
export async function runDumpPipe(
  server: ServerAddress,
  tools: { dump: string; client: string },
  source: string,
  destination: string,
): Promise<Timing> {
  const connect = [
    '--no-defaults',
    '--protocol=TCP',
    `--host=${server.host}`,
    `--port=${server.port}`,
    `--user=${server.user}`,
    ...(server.password ? [`--password=${server.password}`] : []),
  ];
  const dump = [
    tools.dump,
    ...connect,
    '--single-transaction',
    '--no-create-info',
    '--skip-triggers',
    source,
  ];
  const script = `${[...dump, 'orders'].map(shellQuote).join(' ')} | ${[tools.client, ...connect, destination].map(shellQuote).join(' ')}`;
  const started = performance.now();
  const result = await watch(
    spawn('bash', ['-o', 'pipefail', '-c', script], { stdio: ['ignore', 'pipe', 'pipe'] }),
  );
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) {
    throw new Error(`the dump pipeline exited with status ${result.status}: ${result.output.slice(-2000)}`);
  }
  return {
    seconds,
    peakRssBytes: result.cost.peakRssBytes,
    clientCpuSeconds: result.cost.cpuSeconds,
    output: result.output,
  };
}

/** The mydumper and myloader binaries (Debian package `mydumper`); undefined when either is missing. */
export function mydumperTools(): { dump: string; load: string } | undefined {
  const dump = findExecutable('mydumper');
  const load = findExecutable('myloader');
  return dump && load ? { dump, load } : undefined;
}

/**
 * mydumper into a temp folder, then myloader from it into the empty table of `destination`,
 * 2 threads each (as issue 16's outside run): one timed shell command, its processes' CPU
 * and peak RSS sampled together. Data only (`--no-schemas`): myloader loads the files into the
 * table the bench created. The dump is in 100,000-row chunks, so both threads have work.
 */
export async function runMydumper(
  server: ServerAddress,
  tools: { dump: string; load: string },
  source: string,
  destination: string,
  tempDir: string,
): Promise<Timing> {
  const dir = await mkdtemp(join(tempDir, 'mydumper-'));
  try {
    const connect = [
      `--host=${server.host}`,
      `--port=${server.port}`,
      `--user=${server.user}`,
      ...(server.password ? [`--password=${server.password}`] : []),
    ];
    const dump = [
      tools.dump,
      ...connect,
      `--database=${source}`,
      '--tables-list=orders',
      '--no-schemas',
      '--rows=100000',
      '--threads=2',
      '--trx-consistency-only',
      `--outputdir=${dir}`,
      '--verbose=1',
    ];
    const load = [
      tools.load,
      ...connect,
      `--directory=${dir}`,
      `--source-db=${source}`,
      `--database=${destination}`,
      '--threads=2',
      '--verbose=1',
    ];
    const script = `${dump.map(shellQuote).join(' ')} && ${load.map(shellQuote).join(' ')}`;
    const started = performance.now();
    const result = await watch(spawn('bash', ['-c', script], { stdio: ['ignore', 'pipe', 'pipe'] }));
    const seconds = (performance.now() - started) / 1000;
    if (result.status !== 0) {
      throw new Error(
        `mydumper | myloader exited with status ${result.status}: ${result.output.slice(-2000)}`,
      );
    }
    return {
      seconds,
      peakRssBytes: result.cost.peakRssBytes,
      clientCpuSeconds: result.cost.cpuSeconds,
      output: result.output,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function shellQuote(word: string): string {
  return `'${word.replaceAll("'", "'\\''")}'`;
}

export interface MigrateRun {
  server: ServerAddress;
  /** The package root: `bin/migrate` there loads the built dist/. */
  root: string;
  source: string;
  destination: string;
  /** Extra elements inside `<options>`. */
  options: string;
  /** Extra CLI arguments; `-q` when not given. */
  args?: readonly string[];
  /** The folder the run's config.xml, map.json and rejected/ go in (removed afterwards). */
  tempDir: string;
}

/**
 * `node bin/migrate data <config.xml> -q` with a config.xml over the two schemas and an empty
 * map (`{}`: every table copied as it is), sampled for peak RSS and CPU while it runs. A
 * non-zero exit status is an error: a failed copy has no time worth reporting.
 */
export async function runStoreMigrate(run: MigrateRun): Promise<Timing> {
  const dir = await mkdtemp(join(run.tempDir, 'migrate-'));
  try {
    await writeFile(join(dir, 'map.json'), '{}');
    const db = (name: string) =>
      `<database host="${run.server.host}" port="${run.server.port}" user="${run.server.user}" password="${run.server.password}" name="${name}"/>`;
    const config = join(dir, 'config.xml');
    await writeFile(
      config,
      `<config>\n  <source>${db(run.source)}</source>\n  <destination>${db(run.destination)}</destination>\n` +
        `  <options><map_file>map.json</map_file>${run.options}</options>\n</config>\n`,
    );
    const started = performance.now();
    const child = spawn(
      process.execPath,
      [join(run.root, 'bin', 'migrate'), 'data', config, ...(run.args ?? ['-q'])],
      { cwd: run.root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const result = await watch(child);
    const seconds = (performance.now() - started) / 1000;
    if (result.status !== 0) {
      throw new Error(`migrate data exited with status ${result.status}:\n${result.output.slice(-4000)}`);
    }
    return {
      seconds,
      peakRssBytes: result.cost.peakRssBytes,
      clientCpuSeconds: result.cost.cpuSeconds,
      output: result.output,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

interface Watched {
  status: number | null;
  output: string;
  cost: ProcessCost;
}

/** Collects a child's output and samples its cost (with its descendants') until it exits. */
function watch(child: ChildProcess): Promise<Watched> {
  const pid = child.pid;
  const sampler = pid === undefined ? undefined : sampleProcess(pid);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.on('error', (error) => {
      sampler?.stop();
      reject(error);
    });
    child.on('close', (status) => {
      const cost = sampler?.stop() ?? { peakRssBytes: 0, cpuSeconds: 0 };
      resolve({ status, output, cost });
    });
  });
}

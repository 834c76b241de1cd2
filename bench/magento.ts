/**
 * `npm run bench:magento`: the Magento 1.9 -> 2.4 migration at size. On a fresh throwaway
 * MariaDB it loads the real installs (../shared/magento or MAGENTO_INSTALLS_DIR), generates a
 * 1.9 store of BENCH_MAGENTO_ORDERS orders (default 100,000) and times the built CLI's
 * `migrate settings`, `migrate data` (with the summary's per-document times) and
 * `migrate check`. Prints a table per step and per document, and writes the numbers as JSON
 * to BENCH_MAGENTO_JSON when set.
 *
 * BENCH_MAGENTO_ORDERS=2000 npm run bench:magento   a quick run
 * BENCH_MAGENTO_OPTIONS='<defer_indexes_min_rows>0</defer_indexes_min_rows>'   an option added to config.xml
 */
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openPlainConnection } from '../src/db/plain-connection.js';
import { startThrowawayServer } from '../src/db/throwaway-server.js';
import { generateMagentoStore } from '../src/magento/generate-store.js';
import { loadMagentoInstall, MAGENTO_INSTALLS_HELP, sharedInstallsDir } from '../src/magento/installs.js';
import { textTable } from '../src/report/table.js';
import { packageRoot } from '../src/util/package-root.js';

const ORDERS = Number(process.env.BENCH_MAGENTO_ORDERS ?? 100_000);
/** More <options> elements, for an A/B of one option (`<defer_indexes_min_rows>0</defer_indexes_min_rows>`). */
const EXTRA_OPTIONS = process.env.BENCH_MAGENTO_OPTIONS ?? '';
const SERVER_ARGS = ['--innodb-buffer-pool-size=2G', '--innodb-log-file-size=1G'];
const say = (text: string) => process.stderr.write(`[bench:magento] ${text}\n`);

interface DocumentTime {
  document: string;
  rows: number;
  seconds: number;
}

/** The per-document rows of the summary table `migrate data` prints at the end. */
export function parseDataSummary(output: string): DocumentTime[] {
  const lines = output.split('\n');
  const header = lines.findLastIndex((l) => /^document\s+rows\s+rejected\s+seconds/.test(l));
  if (header < 0) return [];
  const found: DocumentTime[] = [];
  for (const line of lines.slice(header + 2)) {
    const cells = line.trim().split(/\s{2,}/);
    if (cells.length < 4 || !/^\d+$/.test(cells[1] ?? '')) break;
    found.push({ document: cells[0] as string, rows: Number(cells[1]), seconds: Number(cells[3]) });
  }
  return found;
}

async function migrate(
  dir: string,
  args: string[],
): Promise<{ status: number; seconds: number; output: string }> {
  const started = performance.now();
  const child = spawn(process.execPath, [join(packageRoot(), 'bin', 'migrate'), ...args], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  const status = await new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
  return { status, seconds: (performance.now() - started) / 1000, output };
}

async function main(): Promise<number> {
  if (!Number.isInteger(ORDERS) || ORDERS < 1)
    throw new Error('BENCH_MAGENTO_ORDERS must be a whole number above 0');
  if (!sharedInstallsDir()) {
    say(`the Magento installs are missing: ${MAGENTO_INSTALLS_HELP}`);
    return 2;
  }
  say('starting a throwaway MariaDB');
  const server = await startThrowawayServer({ serverArgs: SERVER_ARGS });
  const steps: { step: string; seconds: number; status?: number }[] = [];
  let documents: DocumentTime[] = [];
  let failed: string | undefined;
  try {
    const conn = await openPlainConnection(server, { multipleStatements: true });
    let rows = 0;
    try {
      await conn.query('CREATE DATABASE m1 CHARACTER SET utf8mb4; CREATE DATABASE m2 CHARACTER SET utf8mb4');
      let started = performance.now();
      await loadMagentoInstall(conn, 'm1', '1.9', 'shared');
      await loadMagentoInstall(conn, 'm2', '2.4', 'shared');
      steps.push({ step: 'load installs', seconds: (performance.now() - started) / 1000 });
      say(`generating a 1.9 store with ${ORDERS.toLocaleString('en-US')} orders`);
      started = performance.now();
      const store = await generateMagentoStore(conn, 'm1', { orders: ORDERS });
      rows = Object.values(store.counts).reduce((a, b) => a + b, 0);
      steps.push({
        step: `generate store (${rows.toLocaleString('en-US')} rows)`,
        seconds: (performance.now() - started) / 1000,
      });
    } finally {
      await conn.end();
    }
    const dir = await mkdtemp(join(tmpdir(), 'bench-magento-'));
    const db = (name: string) =>
      `<database host="${server.host}" port="${server.port}" user="${server.user}" password="${server.password}" name="${name}"/>`;
    await writeFile(
      join(dir, 'config.xml'),
      `<config><source>${db('m1')}</source><destination>${db('m2')}</destination>
  <options><profile>magento-1.9-to-2.4</profile><log_file>migration.log</log_file>${EXTRA_OPTIONS}</options></config>\n`,
    );
    for (const [step, args] of [
      ['migrate settings', ['settings', 'config.xml']],
      ['migrate data', ['data', 'config.xml']],
      // Again: the settings of the store views and websites migrate data just created in 2.4.
      ['migrate settings again', ['settings', 'config.xml']],
      ['migrate check', ['check', 'config.xml']],
    ] as const) {
      say(`${step}...`);
      const result = await migrate(dir, [...args]);
      steps.push({ step, seconds: result.seconds, status: result.status });
      if (step === 'migrate data') documents = parseDataSummary(result.output);
      // Every step runs even after one failed, so one run shows how far the profile gets.
      if (result.status !== 0)
        failed = `${failed ?? ''}${step} exited with status ${result.status}:\n${result.output.slice(-3000)}\n`;
    }
  } finally {
    await server.stop();
  }
  process.stdout.write(
    `Magento 1.9 -> 2.4, ${ORDERS.toLocaleString('en-US')} orders\n\n${textTable(
      ['step', 'seconds', 'exit'],
      steps.map((s) => [s.step, s.seconds.toFixed(1), s.status === undefined ? '' : String(s.status)]),
      ['left', 'right', 'right'],
    )}\n`,
  );
  if (documents.length) {
    const slowest = [...documents].sort((a, b) => b.seconds - a.seconds);
    process.stdout.write(
      `\nmigrate data, per document (slowest first)\n${textTable(
        ['document', 'rows', 'seconds'],
        slowest.map((d) => [d.document, String(d.rows), d.seconds.toFixed(1)]),
        ['left', 'right', 'right'],
      )}\n`,
    );
  }
  if (process.env.BENCH_MAGENTO_JSON) {
    await writeFile(
      process.env.BENCH_MAGENTO_JSON,
      `${JSON.stringify({ orders: ORDERS, steps, documents }, null, 2)}\n`,
    );
  }
  if (failed) {
    say(failed);
    return 1;
  }
  return 0;
}

process.exitCode = await main();

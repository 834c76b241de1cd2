/**
 * `npm run demo`: the whole migration on the user's own machine, in one command and a few
 * minutes. A database server (MIGRATE_DEMO_MYSQL_URL, else a throwaway one, else Docker), a
 * generated v1 store and an empty v2 store; then the `migrate` commands an operator runs, each a
 * child process with the terminal inherited, while a simulated storefront keeps selling during
 * the copy and until `migrate cutover` puts it into maintenance (its maintenance_on hook creates
 * the flag file the storefront watches). Prints the measured downtime. Ends with the cleanup, a timings table and exit 0; a failed step ends it with that
 * step named and a non-zero status. The server goes away at the end, on failure and on Ctrl+C.
 */
import { realpathSync } from 'node:fs';
import { readFile, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ProvidedServer, provideServer } from '../db/server-provider.js';
import { findServerBinary } from '../db/throwaway-server.js';
import { ExitCode, errorText, formatError, MigrateError } from '../errors.js';
import type { RowCounts } from '../fixtures/generate-v1-data.js';
import { type CutoverReport, PHASE_TITLES } from '../report/cutover-report.js';
import { DEMO_PASSWORD_VARIABLE, MAINTENANCE_FLAG, prepareWorkDir, writeDemoConfig } from './demo-config.js';
import { DEMO_SERVER_VARIABLE, DEMO_USAGE, type DemoOptions, parseDemoOptions } from './demo-options.js';
import {
  createDemoStore,
  type DemoSchemas,
  demoSchemas,
  dropDemoStore,
  serverUrl,
  storefrontTraces,
} from './demo-store.js';
import { runMagentoDemo } from './magento-demo.js';
import { MigrateRunner } from './migrate-process.js';
import { type StorefrontProcess, type StorefrontStats, startStorefront } from './storefront-process.js';
import { Timings } from './timings.js';

const STEPS = 5;

/** The name of the summary file the demo leaves in its work folder (timings, counts, paths). */
export const SUMMARY_FILE = 'demo-summary.json';

class DemoStopped extends Error {}

class StepFailed extends Error {}

const out = (text = '') => process.stdout.write(`${text}\n`);
const number = (n: number) => n.toLocaleString('en-US');

export async function runDemo(options: DemoOptions): Promise<number> {
  const timings = new Timings();
  let stopRequested = false;
  let wake = () => {};
  let runner: MigrateRunner | undefined;
  const onSignal = () => {
    if (stopRequested) {
      process.stderr.write('demo: stopped at once\n');
      process.exit(ExitCode.interrupted); // the throwaway server is killed on exit
    }
    stopRequested = true;
    runner?.stop();
    wake();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const checkpoint = () => {
    if (stopRequested) throw new DemoStopped();
  };

  let server: ProvidedServer | undefined;
  let schemas: DemoSchemas | undefined;
  let storeCreated = false;
  let storefront: StorefrontProcess | undefined;
  let status: number = ExitCode.ok;
  let workFolder: string | undefined;
  try {
    const dir = await prepareWorkDir(options.dir);
    workFolder = dir;
    out(
      `store-migrate demo: a v1 store with ${number(options.orders)} orders moves to the v2 schema while a ` +
        'simulated storefront keeps selling.',
    );

    header(1, 'demo store', 'a database server, the old v1 store with generated data, an empty v2 store');
    server = await timings.time('database server', () => provideServer(DEMO_SERVER_VARIABLE));
    out(`server: ${describeServer(server)}`);
    checkpoint();
    schemas = demoSchemas(server.kind);
    const created = schemas;
    const provided = server;
    out(`generating ${created.source} (v1) and ${created.destination} (v2, empty)...`);
    const counts = await timings
      .time('demo store', () => createDemoStore(provided, created, options.orders))
      .catch((error: unknown) => {
        throw storeError(error, provided);
      });
    storeCreated = true;
    out(describeCounts(created.source, counts));
    const work = await writeDemoConfig(dir, server, schemas);
    out(`work folder: ${dir}`);
    out('  config.xml, map.json, settings.json, deltalog.json; every command below runs there');
    runner = new MigrateRunner(dir, work.env);
    const migrate = runner;

    /** One `migrate` command: a header, the command line, its own output; throws unless it ends with an accepted status. */
    const step = async (n: number, title: string, why: string, args: string[], accepted = [0]) => {
      checkpoint();
      header(n, title, why);
      out(`$ migrate ${args.join(' ')}`);
      const exit = await timings.time(title, () => migrate.run(args));
      if (stopRequested || exit === ExitCode.interrupted) throw new DemoStopped();
      if (!accepted.includes(exit)) {
        throw new StepFailed(
          `step ${n}/${STEPS} \`migrate ${args.join(' ')}\` ended with exit status ${exit}: see its output above, ` +
            `and the run log ${join(dir, 'migration.log')}`,
        );
      }
      return exit;
    };

    await step(2, 'migrate settings', 'websites, stores and configuration first, merged into the new store', [
      'settings',
      'config.xml',
    ]);

    storefront = startStorefront({
      url: serverUrl(server),
      schema: schemas.source,
      rate: options.rate,
      seed: Date.now() % 100_000,
      // The cut-over's maintenance_on hook creates this file: the storefront then stops selling.
      modes: { maintenanceFlag: join(dir, MAINTENANCE_FLAG) },
    });
    await storefront.opened;
    out();
    out(
      `storefront: open on ${schemas.source}, about ${options.rate} operations a second ` +
        '(orders placed and changed, items moved to new ids, deletions)',
    );
    const dataExit = await step(3, 'migrate data', 'bulk copy while the storefront keeps selling', [
      'data',
      'config.xml',
    ]);
    out();
    out('storefront: still selling; the cut-over puts it into maintenance through its maintenance_on hook');
    await step(
      4,
      'migrate cutover',
      'the downtime window: check what is not verified yet while the shop sells, then maintenance on, drain, verify the changed rows, go live',
      ['cutover', 'config.xml', '--json', 'cutover.json', '--html', 'cutover.html'],
    );
    const stats = await storefront.stop();
    storefront = undefined;
    const cutover = JSON.parse(await readFile(join(dir, 'cutover.json'), 'utf8')) as CutoverReport;
    const downtime = cutover.window?.seconds ?? 0;
    out();
    out(
      `storefront: ${describeStorefront(stats)}; in maintenance for the last ${stats.maintenanceSeconds.toFixed(1)} s.`,
    );
    out(`measured downtime: ${downtime.toFixed(1)} s (${describePhases(cutover)})`);
    const traces = await storefrontTraces(server, schemas);
    out(
      `the storefront's own orders: ${number(traces.source.orders)} with ${number(traces.source.items)} items ` +
        `in the old store, ${number(traces.destination.orders)} with ${number(traces.destination.items)} in the new`,
    );
    out(
      'Rollback is pointing the shop back at the old database, which the tool only read; ' +
        'a failed phase would have run the abort hook and taken the old shop out of maintenance.',
    );
    await step(5, 'migrate cleanup', 'remove the triggers and change-log tables from the old database', [
      'cleanup',
      'config.xml',
    ]);

    const html = join(dir, 'cutover.html');
    out();
    out(`== done in ${timings.total.toFixed(0)} s: the demo store is migrated, checked and cleaned up`);
    out(timings.render());
    out(`downtime of the shop (maintenance on to go live, inside migrate cutover): ${downtime.toFixed(1)} s`);
    out();
    out(`HTML report: ${html} (open it in a browser)`);
    out(
      `work folder: ${dir} (config.xml, migration.log, cutover.json, ${SUMMARY_FILE}); remove it when done`,
    );
    await writeFile(
      join(dir, SUMMARY_FILE),
      `${JSON.stringify(
        {
          orders: options.orders,
          rate: options.rate,
          server: { kind: server.kind, url: serverUrl(server, true) },
          schemas,
          rows: counts,
          storefront: stats,
          storefrontTraces: traces,
          dataExitStatus: dataExit,
          reports: { html, json: join(dir, 'cutover.json') },
          downtimeSeconds: downtime,
          steps: timings.list,
          totalSeconds: timings.total,
        },
        null,
        2,
      )}\n`,
    );
    status = ExitCode.ok;
  } catch (error) {
    status = reportFailure(error);
  } finally {
    if (storefront) await storefront.stop().catch(() => {});
  }

  try {
    if (options.keep && server && schemas && storeCreated && !stopRequested) {
      out();
      out(
        `kept: databases ${schemas.source} (old) and ${schemas.destination} (new) on ${serverUrl(server, true)}`,
      );
      if (workFolder) out(`  config: ${join(workFolder, 'config.xml')}`);
      if (server.password) out(`  the config reads the password from ${DEMO_PASSWORD_VARIABLE}`);
      if (server.kind !== 'url') {
        out('  the server runs until you press Ctrl+C');
        // The server process is unref'd and a pending promise keeps nothing alive: a timer does.
        const alive = setInterval(() => {}, 60_000);
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        clearInterval(alive);
      }
    }
  } finally {
    if (server && schemas && storeCreated && server.kind === 'url' && !options.keep) {
      await dropDemoStore(server, schemas).catch((error: unknown) => {
        process.stderr.write(
          `demo: could not drop ${schemas?.source} and ${schemas?.destination}: ${String(error)}\n`,
        );
      });
    }
    if (server) {
      if (server.kind !== 'url') out('stopping the database server...');
      await server.stop();
    }
    // A temp work folder the demo never got to use is not worth leaving behind (rmdir only removes an empty one).
    if (workFolder && !options.dir) await rmdir(workFolder).catch(() => {});
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return status;
}

function header(n: number, title: string, why: string): void {
  out();
  out(`== ${n}/${STEPS} ${title} — ${why}`);
}

function describeServer(server: ProvidedServer): string {
  const url = serverUrl(server, true);
  switch (server.kind) {
    case 'url':
      return `${url} (from ${DEMO_SERVER_VARIABLE}; the demo uses databases of its own there)`;
    case 'throwaway':
      return `${url}, a throwaway server from ${findServerBinary()?.server ?? 'the PATH'}, removed at the end`;
    case 'container':
      return `${url}, a Docker container, removed at the end`;
  }
}

function describeCounts(schema: string, counts: RowCounts): string {
  const n = (table: string) => number(counts[table] ?? 0);
  return (
    `${schema}: ${n('sales_flat_order')} orders with ${n('sales_flat_order_item')} items and ` +
    `${n('sales_flat_invoice')} invoices, ${n('customer_entity')} customers with ` +
    `${n('customer_address_entity')} addresses, ${n('catalog_product_entity')} products, ` +
    `${n('core_config_data')} configuration values, 3 store views`
  );
}

function describePhases(report: CutoverReport): string {
  return report.phases
    .filter((p) => p.inWindow)
    .map((p) => `${PHASE_TITLES[p.phase]} ${p.seconds.toFixed(1)} s`)
    .join(', ');
}

function describeStorefront(s: StorefrontStats): string {
  return (
    `placed ${number(s.ordersPlaced)} orders, changed ${number(s.ordersChanged)}, deleted ${number(s.ordersDeleted)}; ` +
    `moved ${number(s.itemsMoved)} items to new ids, deleted ${number(s.itemsDeleted)}; ` +
    `changed ${number(s.customersChanged)} customers (${number(s.operations)} operations); ` +
    (s.errors.count === 0
      ? 'no database errors'
      : `${number(s.errors.count)} database errors, the first: ${s.errors.first[0]}`)
  );
}

function storeError(error: unknown, server: ProvidedServer): MigrateError {
  return new MigrateError(
    `could not create the demo store on ${serverUrl(server, true)}: ${errorText(error)}`,
    {
      code: 'DEMO_STORE_FAILED',
      cause: error,
      hint:
        server.kind === 'url'
          ? `check ${DEMO_SERVER_VARIABLE} (its user needs CREATE, DROP, TRIGGER and the data privileges), or unset it to use a throwaway server`
          : 'run again with MIGRATE_DEBUG=1 for the stack trace',
    },
  );
}

/** Prints why the demo ended early and returns its exit status. */
function reportFailure(error: unknown): number {
  if (error instanceof DemoStopped) {
    process.stderr.write('\ndemo: stopped (Ctrl+C); removing what it created\n');
    return ExitCode.interrupted;
  }
  if (error instanceof StepFailed) {
    process.stderr.write(`\ndemo failed at ${error.message}\n`);
    return ExitCode.failed;
  }
  const debug = process.env.MIGRATE_DEBUG && error instanceof Error;
  if (error instanceof MigrateError) {
    process.stderr.write(`\ndemo: ${formatError(error)}\n`);
    if (debug && error.cause instanceof Error) process.stderr.write(`${error.cause.stack}\n`);
    return error.exitCode;
  }
  process.stderr.write(`\ndemo failed: ${errorText(error)}\n`);
  if (debug) process.stderr.write(`${error.stack}\n`);
  return ExitCode.failed;
}

export async function main(argv: readonly string[]): Promise<number> {
  let options: DemoOptions | 'help';
  try {
    options = parseDemoOptions(argv);
  } catch (error) {
    return reportFailure(error);
  }
  if (options === 'help') {
    out(DEMO_USAGE);
    return ExitCode.ok;
  }
  if (options.profile === 'magento') return runMagentoDemo(options);
  return runDemo(options);
}

const entry = process.argv[1];
if (entry && realpathSync(entry) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}

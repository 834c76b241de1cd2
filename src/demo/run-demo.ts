/**
 * `npm run demo`: the whole migration on the user's own machine, in one command and a few
 * minutes. A database server (MIGRATE_DEMO_MYSQL_URL, else a throwaway one, else Docker), a
 * generated v1 store and an empty v2 store; then the `migrate` commands an operator runs, each a
 * child process with the terminal inherited, while a simulated storefront keeps selling during
 * the copy. Ends with the cleanup, a timings table and exit 0; a failed step ends it with that
 * step named and a non-zero status. The server goes away at the end, on failure and on Ctrl+C.
 */
import { realpathSync } from 'node:fs';
import { rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ProvidedServer, provideServer } from '../db/server-provider.js';
import { findServerBinary } from '../db/throwaway-server.js';
import { ExitCode, errorText, formatError, MigrateError } from '../errors.js';
import type { RowCounts } from '../fixtures/generate-v1-data.js';
import { DEMO_PASSWORD_VARIABLE, prepareWorkDir, writeDemoConfig } from './demo-config.js';
import { DEMO_SERVER_VARIABLE, DEMO_USAGE, type DemoOptions, parseDemoOptions } from './demo-options.js';
import {
  createDemoStore,
  type DemoSchemas,
  demoSchemas,
  dropDemoStore,
  serverUrl,
  storefrontTraces,
} from './demo-store.js';
import { MigrateRunner } from './migrate-process.js';
import { type StorefrontProcess, type StorefrontStats, startStorefront } from './storefront-process.js';
import { Timings } from './timings.js';

const STEPS = 6;

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
    const stats = await storefront.stop();
    storefront = undefined;
    out();
    out(`storefront: maintenance mode. While the data was copied it ${describeStorefront(stats)}.`);

    await step(
      4,
      'migrate delta --until-caught-up',
      'the shop is in maintenance: apply every change it made, exit once the change logs stay empty',
      ['delta', 'config.xml', '--until-caught-up'],
    );
    await step(
      5,
      'migrate check --deep',
      'compare every row of both stores: the proof whoever signs off the cut-over reads',
      ['check', 'config.xml', '--deep', '--html', 'check.html', '--json', 'check.json'],
    );
    const traces = await storefrontTraces(server, schemas);
    out();
    out(
      `the storefront's own orders: ${number(traces.source.orders)} with ${number(traces.source.items)} items ` +
        `in the old store, ${number(traces.destination.orders)} with ${number(traces.destination.items)} in the new`,
    );
    out(
      'A real cut-over now points the shop at the new database and leaves maintenance mode. ' +
        'Rollback is pointing it back at the old one, which the tool only read.',
    );
    await step(6, 'migrate cleanup', 'remove the triggers and change-log tables from the old database', [
      'cleanup',
      'config.xml',
    ]);

    const html = join(dir, 'check.html');
    out();
    out(`== done in ${timings.total.toFixed(0)} s: the demo store is migrated, checked and cleaned up`);
    out(timings.render());
    out();
    out(`HTML report: ${html} (open it in a browser)`);
    out(`work folder: ${dir} (config.xml, migration.log, check.json, ${SUMMARY_FILE}); remove it when done`);
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
          reports: { html, json: join(dir, 'check.json') },
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
  return runDemo(options);
}

const entry = process.argv[1];
if (entry && realpathSync(entry) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}

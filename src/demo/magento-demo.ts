/**
 * `npm run demo -- --profile magento`: the Magento 1.9 -> 2.4 migration on the real installs.
 * A database server, the 1.9 install filled by the store generator (src/magento) and the 2.4
 * install as its installer left it; then `migrate settings`, `migrate data`, `migrate settings`
 * again (the settings of the store views data created) and
 * `migrate delta --until-caught-up` while a 1.9 storefront keeps selling, a last delta once
 * it stopped, and `migrate check`. Without the installs (../shared/magento or
 * MAGENTO_INSTALLS_DIR) it says where to get them and exits 2.
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openPlainConnection } from '../db/plain-connection.js';
import { type ProvidedServer, provideServer } from '../db/server-provider.js';
import { ExitCode, errorText } from '../errors.js';
import { generateMagentoStore } from '../magento/generate-store.js';
import { loadMagentoInstall, MAGENTO_INSTALLS_HELP, sharedInstallsDir } from '../magento/installs.js';
import { runMagentoStorefront } from '../magento/storefront.js';
import { DEMO_PASSWORD_VARIABLE, prepareWorkDir } from './demo-config.js';
import { DEMO_SERVER_VARIABLE, type DemoOptions } from './demo-options.js';
import { serverUrl } from './demo-store.js';
import { MigrateRunner } from './migrate-process.js';
import { Timings } from './timings.js';

/** How long the storefront keeps selling while delta runs before it closes. */
const DELTA_SELLING_MS = 20_000;

/** The profile the Magento demo migrates with. */
export const MAGENTO_PROFILE = 'magento-1.9-to-2.4';

const out = (text = '') => process.stdout.write(`${text}\n`);
const number = (n: number) => n.toLocaleString('en-US');

export interface MagentoDemoSchemas {
  source: string;
  destination: string;
}

export function magentoDemoSchemas(kind: ProvidedServer['kind']): MagentoDemoSchemas {
  if (kind !== 'url') return { source: 'demo_m1', destination: 'demo_m2' };
  const tag = randomBytes(3).toString('hex');
  return { source: `demo_${tag}_m1`, destination: `demo_${tag}_m2` };
}

/** config.xml for the pair: the profile names every map, settings and delta file itself. */
export function magentoDemoConfig(server: ProvidedServer, schemas: MagentoDemoSchemas): string {
  const password = server.password ? ` password="\${${DEMO_PASSWORD_VARIABLE}}"` : '';
  const database = (name: string) =>
    `<database host="${server.host}" port="${server.port}" user="${server.user}"${password} name="${name}"/>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by the Magento demo (npm run demo, profile magento): the generated Magento 1.9 store moves into the 2.4 install. -->
<config>
  <source>
    ${database(schemas.source)}
  </source>
  <destination>
    ${database(schemas.destination)}
  </destination>
  <options>
    <profile>${MAGENTO_PROFILE}</profile>
    <log_file>migration.log</log_file>
  </options>
</config>
`;
}

export async function runMagentoDemo(options: DemoOptions): Promise<number> {
  const shared = sharedInstallsDir();
  if (!shared) {
    process.stderr.write(
      'demo --profile magento needs the real Magento installs (magento-1.9.3.2-install.sql.gz, ' +
        `magento-2.4.8-install.sql.gz): ${MAGENTO_INSTALLS_HELP}.\n`,
    );
    return ExitCode.usage;
  }
  const timings = new Timings();
  const stopStorefront = new AbortController();
  let runner: MigrateRunner | undefined;
  let stopped = false;
  const onSignal = () => {
    stopped = true;
    runner?.stop();
    stopStorefront.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let server: ProvidedServer | undefined;
  let schemas: MagentoDemoSchemas | undefined;
  let storefront: ReturnType<typeof runMagentoStorefront> | undefined;
  let storefrontConn: Awaited<ReturnType<typeof openPlainConnection>> | undefined;
  try {
    const dir = await prepareWorkDir(options.dir);
    out(
      `store-migrate demo (${MAGENTO_PROFILE}): a Magento 1.9 store with ${number(options.orders)} orders moves into a Magento 2.4 install`,
    );
    out(`installs: ${shared}`);
    server = await timings.time('database server', () => provideServer(DEMO_SERVER_VARIABLE));
    const provided = server;
    schemas = magentoDemoSchemas(server.kind);
    const pair = schemas;
    out(`server: ${serverUrl(server, true)} (${server.kind})`);
    const conn = await openPlainConnection(server, { multipleStatements: true });
    try {
      for (const schema of [pair.source, pair.destination]) {
        await conn.query(`CREATE DATABASE \`${schema}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci`);
      }
      await timings.time('load installs', async () => {
        await loadMagentoInstall(conn, pair.source, '1.9', 'shared');
        await loadMagentoInstall(conn, pair.destination, '2.4', 'shared');
      });
      out(`generating the 1.9 store in ${pair.source}...`);
      const store = await timings.time('generate 1.9 store', () =>
        generateMagentoStore(conn, pair.source, { orders: options.orders }),
      );
      const n = (table: string) => number(store.counts[table] ?? 0);
      out(
        `${pair.source}: ${n('sales_flat_order')} orders, ${n('sales_flat_order_item')} items, ${n('catalog_product_entity')} products, ` +
          `${n('customer_entity')} customers, ${n('core_url_rewrite')} URL rewrites; ${pair.destination}: the 2.4 install`,
      );
    } finally {
      await conn.end();
    }
    await writeFile(join(dir, 'config.xml'), magentoDemoConfig(provided, pair));
    out(`work folder: ${dir}`);
    runner = new MigrateRunner(dir, provided.password ? { [DEMO_PASSWORD_VARIABLE]: provided.password } : {});
    const migrate = runner;
    const step = async (title: string, args: string[]) => {
      if (stopped) throw new Error('stopped (Ctrl+C)');
      out();
      out(`== ${title}`);
      out(`$ migrate ${args.join(' ')}`);
      const exit = await timings.time(title, () => migrate.run(args));
      if (exit !== 0)
        throw new Error(
          `\`migrate ${args.join(' ')}\` ended with exit status ${exit}; see ${join(dir, 'migration.log')}`,
        );
    };

    await step('migrate settings', ['settings', 'config.xml']);
    storefrontConn = await openPlainConnection(provided);
    storefront = runMagentoStorefront(storefrontConn, pair.source, {
      rate: options.rate,
      seed: Date.now() % 100_000,
      signal: stopStorefront.signal,
    });
    out(`storefront: selling on ${pair.source}, about ${options.rate} operations a second`);
    await step('migrate data', ['data', 'config.xml']);
    // Again: the settings of the store views and websites migrate data just created in 2.4.
    await step('migrate settings (again, for the stores data created)', ['settings', 'config.xml']);
    // The storefront sells on while delta applies its changes, then stops: --until-caught-up
    // ends once the change logs stay empty, which a shop that never pauses would never let them.
    const closing = setTimeout(() => {
      out(`storefront: closing after ${DELTA_SELLING_MS / 1000} s of delta`);
      stopStorefront.abort();
    }, DELTA_SELLING_MS);
    try {
      await step('migrate delta (storefront selling)', ['delta', 'config.xml', '--until-caught-up']);
    } finally {
      clearTimeout(closing);
    }
    stopStorefront.abort();
    const result = await storefront;
    storefront = undefined;
    out();
    out(
      `storefront: ${Object.entries(result.stats)
        .map(([k, v]) => `${k} ${number(v)}`)
        .join(
          ', ',
        )}; ${result.errors ? `${result.errors} errors, the first: ${result.firstError}; the last: ${result.lastError}` : 'no errors'}`,
    );
    await step('migrate delta (drain)', ['delta', 'config.xml', '--until-caught-up']);
    await step('migrate check', ['check', 'config.xml']);
    out();
    out(`== done in ${timings.total.toFixed(0)} s`);
    out(timings.render());
    return ExitCode.ok;
  } catch (error) {
    process.stderr.write(`\ndemo --profile magento failed: ${errorText(error)}\n`);
    return stopped ? ExitCode.interrupted : ExitCode.failed;
  } finally {
    stopStorefront.abort();
    if (storefront) await storefront.catch(() => {});
    if (storefrontConn) await storefrontConn.end().catch(() => {});
    if (server && schemas && server.kind === 'url' && !options.keep) {
      const conn = await openPlainConnection(server).catch(() => undefined);
      for (const schema of [schemas.source, schemas.destination]) {
        await conn?.query(`DROP DATABASE IF EXISTS \`${schema}\``).catch(() => {});
      }
      await conn?.end();
    }
    if (server && !options.keep) await server.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

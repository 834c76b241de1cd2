/** `npm run demo -- [options]`: what the demo's command line and environment may set. */
import { parseArgs } from 'node:util';
import { ExitCode, MigrateError } from '../errors.js';

export interface DemoOptions {
  /** Orders in the generated v1 store (items, customers and products scale with it). */
  orders: number;
  /** The simulated storefront's operations per second during `migrate data`. */
  rate: number;
  /** Leave the demo databases (and a throwaway server, until Ctrl+C) for a look around. */
  keep: boolean;
  /** The work folder for config.xml, the mapping files, the log and the reports; a new temp folder if unset. */
  dir?: string;
  /** `demo` (the v1 -> v2 demo store) or `magento` (a generated Magento 1.9 store into the 2.4 install). */
  profile: DemoProfile;
}

export const DEMO_PROFILES = ['demo', 'magento'] as const;
export type DemoProfile = (typeof DEMO_PROFILES)[number];

/** The variable naming an existing server; the same provider order as the tests' MIGRATE_TEST_MYSQL_URL. */
export const DEMO_SERVER_VARIABLE = 'MIGRATE_DEMO_MYSQL_URL';
export const DEMO_ORDERS_VARIABLE = 'MIGRATE_DEMO_ORDERS';
export const DEFAULT_ORDERS = 100_000;
export const DEFAULT_RATE = 100;

export const DEMO_USAGE = `npm run demo -- [options]

Creates a throwaway database server and a v1 store with generated data, then runs the whole
migration as an operator would: migrate settings; migrate data while a simulated storefront keeps
selling; migrate delta --until-caught-up once the storefront is in maintenance; migrate check
--deep (with an HTML report); migrate cleanup. Prints the timings and exits 0.

options:
  --orders <n>   orders in the demo store (default ${DEFAULT_ORDERS.toLocaleString('en-US')}; or ${DEMO_ORDERS_VARIABLE}=<n>)
  --rate <n>     storefront operations per second during the copy (default ${DEFAULT_RATE})
  --dir <path>   work folder for config.xml, mapping files, log and reports (default: a new temp folder)
  --keep         keep the demo databases; a throwaway server then runs until you press Ctrl+C
  --profile <p>  demo (default) or magento: the Magento 1.9 -> 2.4 profile on the real installs
                 (../shared/magento or MAGENTO_INSTALLS_DIR) with a generated 1.9 store: migrate
                 settings, data, delta --until-caught-up while a 1.9 storefront sells, then check
  -h, --help     this text

server, first of: ${DEMO_SERVER_VARIABLE}=mysql://root:password@127.0.0.1:3306 (an existing server;
the demo creates and drops databases of its own), a throwaway server from mariadbd / mysqld on the
PATH, a Docker container (testcontainers) when a Docker engine answers.`;

/** Parses argv (without node and the script); 'help' when the user asked for it. */
export function parseDemoOptions(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): DemoOptions | 'help' {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(argv).values;
  } catch (error) {
    throw usage((error as Error).message);
  }
  if (values.help) return 'help';
  const orders = wholeNumber('--orders', values.orders ?? env[DEMO_ORDERS_VARIABLE], DEFAULT_ORDERS);
  const rate = wholeNumber('--rate', values.rate, DEFAULT_RATE);
  const profile = values.profile ?? 'demo';
  if (!(DEMO_PROFILES as readonly string[]).includes(profile)) {
    throw usage(`--profile takes ${DEMO_PROFILES.join(' or ')}, got "${profile}"`);
  }
  return {
    orders,
    rate,
    keep: Boolean(values.keep),
    profile: profile as DemoProfile,
    ...(values.dir ? { dir: values.dir } : {}),
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      orders: { type: 'string' },
      rate: { type: 'string' },
      dir: { type: 'string' },
      profile: { type: 'string' },
      keep: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function wholeNumber(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined || text === '') return fallback;
  const value = Number(text.replaceAll('_', ''));
  if (!Number.isInteger(value) || value < 1)
    throw usage(`${name} takes a whole number above 0, got "${text}"`);
  return value;
}

function usage(message: string): MigrateError {
  return new MigrateError(message, {
    code: 'USAGE',
    exitCode: ExitCode.usage,
    hint: 'npm run demo -- --help',
  });
}

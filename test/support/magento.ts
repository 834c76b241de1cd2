/**
 * A Magento migration for a test: a throwaway-server schema holding the 1.9 install (the
 * source), another holding the 2.4 install (the destination, exactly as its installer left
 * it), and a config.xml over the pair with `<profile>magento-1.9-to-2.4</profile>`. The installs
 * are the real dumps from ../shared/magento when present, else our schema fixture
 * (src/magento/installs.ts), so tests run on a clone without shared/.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type InstallOrigin, loadMagentoInstall } from '../../src/magento/installs.js';
import { testDatabaseFromEnv, writeConfigXml } from './config-xml.js';
import { adminConnection, createTestSchema } from './database.js';

export interface MagentoPair {
  /** The folder of config.xml (the tool's relative paths start here). */
  dir: string;
  configFile: string;
  /** The 1.9 install's schema. */
  sourceSchema: string;
  /** The 2.4 install's schema. */
  destSchema: string;
  /** Where the installs came from: the shared dumps or our fixture. */
  origin: InstallOrigin;
  /** Runs SQL in one schema of the pair (foreign key checks off, so a test can break things). */
  sql(side: 'source' | 'destination', statements: string): Promise<void>;
}

export interface MagentoPairOptions {
  /** Extra <options> children, e.g. `<bulk_size>100</bulk_size>` or the crypt keys. */
  options?: string;
  /** Force the installs' origin (default: the shared dumps when present, else the fixture). */
  origin?: InstallOrigin;
  /** Leave the 2.4 schema empty (no install loaded). */
  emptyDestination?: boolean;
}

/** Loads the 1.9 install into a fresh schema and returns its name. */
export async function createMagento1Schema(
  label: string,
  origin: InstallOrigin | 'auto' = 'auto',
): Promise<{ schema: string; origin: InstallOrigin }> {
  const schema = await createTestSchema(`${label}_m1`);
  const conn = await adminConnection();
  try {
    const loaded = await loadMagentoInstall(conn, schema, '1.9', origin);
    return { schema, origin: loaded.origin };
  } finally {
    await conn.end();
  }
}

/** Loads the 2.4 install into a fresh schema and returns its name. */
export async function createMagento2Schema(
  label: string,
  origin: InstallOrigin | 'auto' = 'auto',
): Promise<string> {
  const schema = await createTestSchema(`${label}_m2`);
  const conn = await adminConnection();
  try {
    await loadMagentoInstall(conn, schema, '2.4', origin);
    return schema;
  } finally {
    await conn.end();
  }
}

export async function createMagentoPair(label: string, opts: MagentoPairOptions = {}): Promise<MagentoPair> {
  const { schema: sourceSchema, origin } = await createMagento1Schema(label, opts.origin ?? 'auto');
  const destSchema = opts.emptyDestination
    ? await createTestSchema(`${label}_m2`)
    : await createMagento2Schema(label, origin);
  const sql = async (side: 'source' | 'destination', statements: string) => {
    const conn = await adminConnection();
    try {
      await conn.query(`USE \`${side === 'source' ? sourceSchema : destSchema}\``);
      await conn.query(`SET foreign_key_checks = 0; ${statements}; SET foreign_key_checks = 1`);
    } finally {
      await conn.end();
    }
  };
  const dir = await mkdtemp(join(tmpdir(), `store-migrate-${label}-`));
  const configFile = await writeConfigXml(dir, {
    source: await testDatabaseFromEnv(sourceSchema),
    destination: await testDatabaseFromEnv(destSchema),
    options: `<profile>magento-1.9-to-2.4</profile>
    <log_file>migration.log</log_file>
    ${opts.options ?? ''}`,
  });
  return { dir, configFile, sourceSchema, destSchema, origin, sql };
}

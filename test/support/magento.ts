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
import type { RowDataPacket } from 'mysql2/promise';
import {
  type GeneratedStore,
  type GenerateStoreOptions,
  generateMagentoStore,
} from '../../src/magento/generate-store.js';
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
  /** The generated store, when the options asked for one. */
  store?: GeneratedStore;
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
  /** Fill the 1.9 install with a generated store of this size (src/magento/generate-store.ts). */
  store?: Omit<GenerateStoreOptions, 'prefix'>;
  /** Install 1.9 with this table prefix (and name it as <source_prefix> in config.xml). */
  sourcePrefix?: string;
}

/** Loads the 1.9 install into a fresh schema and returns its name. */
export async function createMagento1Schema(
  label: string,
  origin: InstallOrigin | 'auto' = 'auto',
  prefix = '',
): Promise<{ schema: string; origin: InstallOrigin }> {
  const schema = await createTestSchema(`${label}_m1`);
  const conn = await adminConnection();
  try {
    const loaded = await loadMagentoInstall(conn, schema, '1.9', origin, prefix);
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
  const prefix = opts.sourcePrefix ?? '';
  const { schema: sourceSchema, origin } = await createMagento1Schema(label, opts.origin ?? 'auto', prefix);
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
  const store = opts.store ? await generateStoreInto(sourceSchema, { ...opts.store, prefix }) : undefined;
  const dir = await mkdtemp(join(tmpdir(), `store-migrate-${label}-`));
  const configFile = await writeConfigXml(dir, {
    source: await testDatabaseFromEnv(sourceSchema),
    destination: await testDatabaseFromEnv(destSchema),
    options: `<profile>magento-1.9-to-2.4</profile>
    <log_file>migration.log</log_file>${prefix ? `\n    <source_prefix>${prefix}</source_prefix>` : ''}
    ${opts.options ?? ''}`,
  });
  return { dir, configFile, sourceSchema, destSchema, origin, sql, ...(store ? { store } : {}) };
}

/** One foreign key of a schema with rows that reference no parent row. */
export interface OrphanedKey {
  constraint: string;
  table: string;
  parentTable: string;
  rows: number;
}

/**
 * Every foreign key of `schema` whose child rows (all referencing columns non-NULL) match no
 * parent row: the schema's own constraints as the check, e.g. after writing with foreign key
 * checks off.
 */
export async function foreignKeyOrphans(schema: string): Promise<OrphanedKey[]> {
  const conn = await adminConnection();
  try {
    const [keys] = await conn.query<RowDataPacket[]>(
      `SELECT CONSTRAINT_NAME AS name, TABLE_NAME AS child, REFERENCED_TABLE_NAME AS parent,
              GROUP_CONCAT(COLUMN_NAME ORDER BY ORDINAL_POSITION) AS cols,
              GROUP_CONCAT(REFERENCED_COLUMN_NAME ORDER BY ORDINAL_POSITION) AS parentCols
       FROM information_schema.KEY_COLUMN_USAGE
       WHERE TABLE_SCHEMA = ? AND REFERENCED_TABLE_NAME IS NOT NULL
       GROUP BY CONSTRAINT_NAME, TABLE_NAME, REFERENCED_TABLE_NAME ORDER BY TABLE_NAME, CONSTRAINT_NAME`,
      [schema],
    );
    const found: OrphanedKey[] = [];
    for (const k of keys) {
      const cols = String(k.cols).split(',');
      const parentCols = String(k.parentCols).split(',');
      const on = cols.map((c, i) => `p.\`${parentCols[i]}\` = c.\`${c}\``).join(' AND ');
      const [rows] = await conn.query<RowDataPacket[]>(
        `SELECT COUNT(*) AS n FROM \`${schema}\`.\`${k.child}\` c LEFT JOIN \`${schema}\`.\`${k.parent}\` p ON ${on}
         WHERE ${cols.map((c) => `c.\`${c}\` IS NOT NULL`).join(' AND ')} AND p.\`${parentCols[0]}\` IS NULL`,
      );
      const n = Number(rows[0]?.n ?? 0);
      if (n > 0)
        found.push({
          constraint: String(k.name),
          table: String(k.child),
          parentTable: String(k.parent),
          rows: n,
        });
    }
    return found;
  } finally {
    await conn.end();
  }
}

/** Generates a 1.9 store of this size into the pair's source schema. */
export async function generateStoreInto(schema: string, opts: GenerateStoreOptions): Promise<GeneratedStore> {
  const conn = await adminConnection();
  try {
    return await generateMagentoStore(conn, schema, opts);
  } finally {
    await conn.end();
  }
}

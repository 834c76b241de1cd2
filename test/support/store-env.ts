/**
 * A complete migration setup on the test server: a v1 store with generated data as the
 * source, an empty v2 store as the destination, the demo mapping profile copied into a temp
 * folder (so a test may edit it) and a config.xml pointing at all of it.
 */
import { copyFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateV1Data, loadSchema, type RowCounts } from '../../src/fixtures/generate-v1-data.js';
import { packageRoot } from '../../src/util/package-root.js';
import { testDatabaseFromEnv, writeConfigXml } from './config-xml.js';
import { adminConnection, createTestSchema } from './database.js';

export interface StoreEnv {
  dir: string;
  configFile: string;
  mapFile: string;
  settingsFile: string;
  deltalogFile: string;
  sourceSchema: string;
  destSchema: string;
  counts: RowCounts;
}

export interface StoreEnvOptions {
  orders?: number;
  /** Extra <options> children, e.g. `<bulk_size>100</bulk_size>`. */
  options?: string;
  /** Leave the destination without the v2 tables. */
  emptyDestination?: boolean;
}

export async function createStoreEnv(label: string, opts: StoreEnvOptions = {}): Promise<StoreEnv> {
  const sourceSchema = await createTestSchema(`${label}_v1`);
  const destSchema = await createTestSchema(`${label}_v2`);
  const conn = await adminConnection();
  let counts: RowCounts;
  try {
    await loadSchema(conn, sourceSchema, 'v1');
    if (!opts.emptyDestination) await loadSchema(conn, destSchema, 'v2');
    counts = await generateV1Data(conn, sourceSchema, { orders: opts.orders ?? 50 });
  } finally {
    await conn.end();
  }
  const dir = await mkdtemp(join(tmpdir(), `store-migrate-${label}-`));
  const demo = join(packageRoot(), 'src', 'mappings', 'demo');
  const mapFile = join(dir, 'map.json');
  const settingsFile = join(dir, 'settings.json');
  const deltalogFile = join(dir, 'deltalog.json');
  await copyFile(join(demo, 'map.json'), mapFile);
  await copyFile(join(demo, 'settings.json'), settingsFile);
  await copyFile(join(demo, 'deltalog.json'), deltalogFile);
  const configFile = await writeConfigXml(dir, {
    source: await testDatabaseFromEnv(sourceSchema),
    destination: await testDatabaseFromEnv(destSchema),
    options: `<map_file>map.json</map_file>
    <settings_map_file>settings.json</settings_map_file>
    <deltalog_file>deltalog.json</deltalog_file>
    <log_file>migration.log</log_file>
    ${opts.options ?? ''}`,
  });
  return { dir, configFile, mapFile, settingsFile, deltalogFile, sourceSchema, destSchema, counts };
}

/**
 * A small migration of a test's own: source and destination schemas created from the SQL the
 * test gives (foreign keys, deliberately broken rows and all), a map file and a config.xml.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MapFile } from '../../src/mappings/map-rules.js';
import { testDatabaseFromEnv, writeConfigXml } from './config-xml.js';
import { adminConnection, createTestSchema } from './database.js';

export interface SchemaPair {
  dir: string;
  configFile: string;
  mapFile: string;
  sourceSchema: string;
  destSchema: string;
  /** Runs SQL in one schema of the pair (foreign key checks off, so orphans can be made). */
  sql(side: 'source' | 'destination', statements: string): Promise<void>;
}

export interface SchemaPairOptions {
  source: string;
  destination: string;
  map?: MapFile;
  /** Extra <options> children. */
  options?: string;
}

export async function createSchemaPair(label: string, opts: SchemaPairOptions): Promise<SchemaPair> {
  const sourceSchema = await createTestSchema(`${label}_src`);
  const destSchema = await createTestSchema(`${label}_dst`);
  const sql = async (side: 'source' | 'destination', statements: string) => {
    const conn = await adminConnection();
    try {
      await conn.query(`USE \`${side === 'source' ? sourceSchema : destSchema}\``);
      await conn.query(`SET foreign_key_checks = 0; ${statements}; SET foreign_key_checks = 1`);
    } finally {
      await conn.end();
    }
  };
  await sql('source', opts.source);
  await sql('destination', opts.destination);
  const dir = await mkdtemp(join(tmpdir(), `store-migrate-${label}-`));
  const mapFile = join(dir, 'map.json');
  await writeFile(mapFile, JSON.stringify(opts.map ?? {}, null, 2));
  const configFile = await writeConfigXml(dir, {
    source: await testDatabaseFromEnv(sourceSchema),
    destination: await testDatabaseFromEnv(destSchema),
    options: `<map_file>map.json</map_file><log_file>migration.log</log_file>${opts.options ?? ''}`,
  });
  return { dir, configFile, mapFile, sourceSchema, destSchema, sql };
}

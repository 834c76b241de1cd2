/**
 * The smallest migration a test can run: two fresh, empty schemas on the test server, a map
 * file and a config.xml over them. The test creates its tables itself.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeConfigXml } from './config-xml.js';
import { createTestSchema, databaseConfig } from './database.js';

export interface SchemasConfig {
  /** The source schema's name. */
  source: string;
  /** The destination schema's name. */
  destination: string;
  /** config.xml's path. */
  config: string;
  /** The folder of config.xml and map.json (the tool's relative paths start here). */
  dir: string;
  mapFile: string;
}

export async function configOverSchemas(opts: {
  /** Starts the schema and folder names (`<label>_s`, `<label>_d`). */
  label: string;
  /** map.json's content; empty: every table copies to its namesake. */
  map?: object;
  /** Extra <options> children after <map_file>. */
  options?: string;
}): Promise<SchemasConfig> {
  const source = await createTestSchema(`${opts.label}_s`);
  const destination = await createTestSchema(`${opts.label}_d`);
  const dir = await mkdtemp(join(tmpdir(), `store-migrate-${opts.label}-`));
  const mapFile = join(dir, 'map.json');
  await writeFile(mapFile, JSON.stringify(opts.map ?? {}));
  const config = await writeConfigXml(dir, {
    source: await databaseConfig(source),
    destination: await databaseConfig(destination),
    options: `<map_file>map.json</map_file>${opts.options ?? ''}`,
  });
  return { source, destination, config, dir, mapFile };
}

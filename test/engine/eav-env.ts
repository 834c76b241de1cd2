/**
 * A small EAV-style schema pair that needs every engine capability: the source's attribute ids
 * differ from a seeded destination's pre-installed attributes (merge by natural key, id map),
 * values reference attributes (mapId), and a grid table is filled by a computed select.
 */
import { copyFile, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../src/util/package-root.js';
import { testDatabaseFromEnv, writeConfigXml } from '../support/config-xml.js';
import { adminConnection, createTestSchema } from '../support/database.js';

export interface EavEnv {
  dir: string;
  configFile: string;
  sourceSchema: string;
  destSchema: string;
  products: number;
}

const FIXTURES = join(packageRoot(), 'test', 'engine', 'fixtures');

/** Source attribute id -> code, as eav-source.sql installs them. */
export const SOURCE_ATTRIBUTES: Record<string, string> = {
  1: 'color',
  2: 'name',
  3: 'legacy_flag',
  4: 'sku',
  5: 'material',
};

export async function createEavEnv(
  label: string,
  opts: { products?: number; options?: string; profileModule?: boolean } = {},
): Promise<EavEnv> {
  const products = opts.products ?? 60;
  const sourceSchema = await createTestSchema(`${label}_src`);
  const destSchema = await createTestSchema(`${label}_dst`);
  const conn = await adminConnection();
  try {
    await conn.query(`USE \`${sourceSchema}\`; ${await readFile(join(FIXTURES, 'eav-source.sql'), 'utf8')}`);
    await conn.query(
      `USE \`${destSchema}\`; ${await readFile(join(FIXTURES, 'eav-destination.sql'), 'utf8')}`,
    );
    const entities: unknown[][] = [];
    const values: unknown[][] = [];
    for (let i = 1; i <= products; i++) {
      entities.push([i, `SKU-${i}`]);
      values.push([1, i, `colour ${i}`], [2, i, `Product ${i}`], [5, i, `material ${i}`]);
      if (i % 2 === 0) values.push([3, i, `legacy ${i}`]);
    }
    await conn.query(`INSERT INTO \`${sourceSchema}\`.catalog_product_entity (entity_id, sku) VALUES ?`, [
      entities,
    ]);
    await conn.query(
      `INSERT INTO \`${sourceSchema}\`.catalog_product_entity_varchar (attribute_id, entity_id, value) VALUES ?`,
      [values],
    );
  } finally {
    await conn.end();
  }
  const dir = await mkdtemp(join(tmpdir(), `store-migrate-${label}-`));
  await copyFile(join(FIXTURES, 'eav-map.json'), join(dir, 'map.json'));
  await copyFile(join(FIXTURES, 'eav-profile.mjs'), join(dir, 'profile.mjs'));
  const mapping = opts.profileModule ? '<profile>./profile.mjs</profile>' : '<map_file>map.json</map_file>';
  const configFile = await writeConfigXml(dir, {
    source: await testDatabaseFromEnv(sourceSchema),
    destination: await testDatabaseFromEnv(destSchema),
    options: `${mapping}<log_file>migration.log</log_file><rejected_dir>rejected</rejected_dir>${opts.options ?? ''}`,
  });
  return { dir, configFile, sourceSchema, destSchema, products };
}

/** Rows of a query on the test server, as plain objects. */
export async function rows<T = Record<string, unknown>>(sql: string, bindings: unknown[] = []): Promise<T[]> {
  const conn = await adminConnection();
  try {
    const [result] = await conn.query(sql, bindings);
    return result as T[];
  } finally {
    await conn.end();
  }
}

/** Every value as (entity, attribute code, value), through each side's own attribute table. */
export async function valuesByCode(schema: string): Promise<string[]> {
  const found = await rows<{ entity_id: number; attribute_code: string; value: string }>(
    `SELECT v.entity_id, a.attribute_code, v.value FROM \`${schema}\`.catalog_product_entity_varchar v
       JOIN \`${schema}\`.eav_attribute a ON a.attribute_id = v.attribute_id ORDER BY v.entity_id, a.attribute_code`,
  );
  return found.map((r) => `${r.entity_id}|${r.attribute_code}|${r.value}`);
}

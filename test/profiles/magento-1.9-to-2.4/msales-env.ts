/**
 * The pair msales' tests migrate: the real 1.9.3.2 install (plus what a test inserts) in one
 * schema, the real 2.4.8 install in another, a config.xml whose profile module composes the
 * areas under test, and the id maps the areas read but mcat's steps fill (stores, websites,
 * attributes by code), filled here the way those steps match them: by natural key.
 *
 * The installs come from test/support/magento.ts: the real dumps in ../shared/magento, or the
 * schema fixture cut from them when shared/ is absent.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config/load-config.js';
import { IdMapStore, idMapTableName } from '../../../src/db/id-map-store.js';
import { closeConnections, openConnections } from '../../../src/steps/plan-stage.js';
import { packageRoot } from '../../../src/util/package-root.js';
import { testDatabaseFromEnv, writeConfigXml } from '../../support/config-xml.js';
import { adminConnection } from '../../support/database.js';
import { createMagento1Schema, createMagento2Schema } from '../../support/magento.js';

export interface MagentoPair {
  dir: string;
  configFile: string;
  m1: string;
  m2: string;
}

/** Runs statements on the test server (multiple statements allowed). */
export async function sql<T = Record<string, unknown>>(
  statement: string,
  bindings: unknown[] = [],
): Promise<T[]> {
  const conn = await adminConnection();
  try {
    const [result] = await conn.query(statement, bindings);
    return result as T[];
  } finally {
    await conn.end();
  }
}

/**
 * Both installs loaded, a profile module composing `areas` (paths of modules under
 * src/profiles/magento-1.9-to-2.4 and the export to take), and a map that leaves every other
 * document out, so the run covers exactly the areas under test.
 */
export async function createMagentoPair(
  label: string,
  areas: ReadonlyArray<{ module: string; name: string }>,
  keep: { source: readonly string[]; destination: readonly string[] },
  options = '',
): Promise<MagentoPair> {
  const { schema: m1, origin } = await createMagento1Schema(label);
  const m2 = await createMagento2Schema(label, origin);
  const dir = await mkdtemp(join(tmpdir(), `store-migrate-${label}-`));
  const tables = async (schema: string) =>
    (
      await sql<{ t: string }>(
        `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = ? AND table_type = 'BASE TABLE'`,
        [schema],
      )
    ).map((r) => r.t);
  const keepSource = new Set(keep.source);
  const keepDestination = new Set(keep.destination);
  const profileFolder = join(packageRoot(), 'src', 'profiles', 'magento-1.9-to-2.4');
  const areaMaps: string[] = [];
  const areaImports: string[] = [];
  const areaNames: string[] = [];
  for (const area of areas) {
    const module = join(profileFolder, area.module);
    const loaded = (await import(module)) as Record<string, { mapFiles: string[] }>;
    const exported = loaded[area.name];
    if (!exported) throw new Error(`${module} exports no ${area.name}`);
    areaMaps.push(...exported.mapFiles);
    areaImports.push(`import { ${area.name} } from ${JSON.stringify(module)};`);
    areaNames.push(area.name);
  }
  const claimed = new Set<string>();
  for (const area of areas) {
    const loaded = (await import(join(profileFolder, area.module))) as Record<
      string,
      { steps: { documents: string[] }[] }
    >;
    for (const step of loaded[area.name]?.steps ?? []) for (const d of step.documents) claimed.add(d);
  }
  const testMap = {
    source: {
      documents: {
        ignore: (await tables(m1)).filter(
          (t) => !keepSource.has(t) && !/^customer_(address_)?entity/.test(t),
        ),
      },
    },
    destination: {
      documents: {
        ignore: (await tables(m2)).filter((t) => !keepDestination.has(t) && !claimed.has(t)),
      },
    },
  };
  await writeFile(join(dir, 'only-these.json'), JSON.stringify(testMap));
  await writeFile(
    join(dir, 'profile.ts'),
    `${areaImports.join('\n')}
const areas = [${areaNames.join(', ')}];
export default {
  name: 'magento-areas-under-test',
  mapFiles: [...${JSON.stringify(areaMaps)}, './only-these.json'],
  steps: areas.flatMap((a) => a.steps),
  handlers: areas.flatMap((a) => a.handlers ?? []),
};
`,
  );
  const configFile = await writeConfigXml(dir, {
    source: await testDatabaseFromEnv(m1),
    destination: await testDatabaseFromEnv(m2),
    options: `<profile>./profile.ts</profile><log_file>migration.log</log_file><rejected_dir>rejected</rejected_dir>${options}`,
  });
  return { dir, configFile, m1, m2 };
}

/**
 * The id maps mcat's steps fill (store_website, store by code; eav_attribute by entity type
 * and attribute code), filled by the same natural keys from the two installs as they stand.
 */
export async function fillStoreAndAttributeMaps(pair: MagentoPair): Promise<void> {
  const config = await loadConfig(pair.configFile);
  const connections = await openConnections(config);
  try {
    const store = new IdMapStore(connections.destination, idMapTableName(config.options.progressTable));
    await store.ensureTable();
    const pairs = async (select: (schema: string) => string) => {
      const [from, to] = await Promise.all([
        sql<{ k: string; id: string }>(select(pair.m1)),
        sql<{ k: string; id: string }>(select(pair.m2)),
      ]);
      const destination = new Map(to.map((r) => [r.k, String(r.id)]));
      return from.flatMap((r) => {
        const id = destination.get(r.k);
        return id === undefined ? [] : [{ sourceId: String(r.id), destinationId: id, created: false }];
      });
    };
    const websites = await pairs((s) =>
      s === pair.m1
        ? `SELECT code AS k, website_id AS id FROM \`${s}\`.core_website`
        : `SELECT code AS k, website_id AS id FROM \`${s}\`.store_website`,
    );
    const stores = await pairs((s) =>
      s === pair.m1
        ? `SELECT code AS k, store_id AS id FROM \`${s}\`.core_store`
        : `SELECT code AS k, store_id AS id FROM \`${s}\`.store`,
    );
    const attributes = await pairs(
      (s) =>
        `SELECT CONCAT(t.entity_type_code, '/', a.attribute_code) AS k, a.attribute_id AS id FROM \`${s}\`.eav_attribute a JOIN \`${s}\`.eav_entity_type t USING (entity_type_id)`,
    );
    await connections.destination.transaction(async (tx) => {
      await store.record(tx, 'store_website', websites);
      await store.record(tx, 'store', stores);
      await store.record(tx, 'eav_attribute', attributes);
    });
  } finally {
    await closeConnections(connections);
  }
}

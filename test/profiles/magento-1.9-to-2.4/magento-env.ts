/**
 * A Magento pair for the profile's tests until m1gen's test/support/magento.ts lands: the real
 * 1.9.3.2 and 2.4.8 installs (../shared/magento) loaded into two throwaway schemas, and a
 * config.xml with <profile>magento-1.9-to-2.4</profile>. Tests skip when shared/ is absent.
 */
import { spawn } from 'node:child_process';
import { createReadStream, existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { packageRoot } from '../../../src/util/package-root.js';
import { testDatabaseFromEnv, writeConfigXml } from '../../support/config-xml.js';
import { adminConnection, createTestSchema, testServer } from '../../support/database.js';

export const SHARED = join(packageRoot(), '..', 'shared', 'magento');
export const M1_DUMP = join(SHARED, 'magento-1.9.3.2-install.sql.gz');
export const M2_DUMP = join(SHARED, 'magento-2.4.8-install.sql.gz');

/** Why the Magento tests skip, or false when the installs are there. */
export const skipWithoutInstalls: string | false =
  existsSync(M1_DUMP) && existsSync(M2_DUMP) ? false : `no Magento installs in ${SHARED}`;

export interface MagentoEnv {
  dir: string;
  configFile: string;
  m1: string;
  m2: string;
}

/** Loads a gzipped dump into `schema` with the mariadb client (as the installs' README does). */
async function loadDump(file: string, schema: string, prelude = ''): Promise<void> {
  const server = await testServer();
  const client = spawn('mariadb', ['-h', server.host, '-P', String(server.port), '-u', server.user, schema], {
    env: { ...process.env, MYSQL_PWD: server.password },
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  let stderr = '';
  client.stderr.on('data', (c) => {
    stderr += String(c);
  });
  const done = new Promise<void>((resolve, reject) => {
    client.on('error', reject);
    client.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`loading ${file}: ${stderr}`))));
  });
  client.stdin.write(prelude);
  createReadStream(file).pipe(createGunzip()).pipe(client.stdin);
  await done;
}

export async function createMagentoEnv(label: string, opts: { options?: string } = {}): Promise<MagentoEnv> {
  const m1 = await createTestSchema(`${label}_m1`);
  const m2 = await createTestSchema(`${label}_m2`);
  await Promise.all([loadDump(M1_DUMP, m1, 'SET SESSION innodb_strict_mode=0;\n'), loadDump(M2_DUMP, m2)]);
  const dir = await mkdtemp(join(tmpdir(), `store-migrate-${label}-`));
  const configFile = await writeConfigXml(dir, {
    source: await testDatabaseFromEnv(m1),
    destination: await testDatabaseFromEnv(m2),
    options: `<profile>magento-1.9-to-2.4</profile><log_file>migration.log</log_file><rejected_dir>rejected</rejected_dir>${opts.options ?? ''}`,
  });
  return { dir, configFile, m1, m2 };
}

/** Runs SQL on the test server (multiple statements allowed); returns the last result's rows. */
export async function sql<T = Record<string, unknown>>(text: string, bindings: unknown[] = []): Promise<T[]> {
  const conn = await adminConnection();
  try {
    const [result] = await conn.query(text, bindings);
    return result as T[];
  } finally {
    await conn.end();
  }
}

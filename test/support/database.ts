/**
 * The real database every test talks to (DESIGN.md, "Tests get a real database"). One server
 * per test process, started lazily; each test works in schemas of its own, dropped at the end.
 */
import { after } from 'node:test';
import type mysql from 'mysql2/promise';
import type { DatabaseConfig } from '../../src/config/types.js';
import { openPlainConnection } from '../../src/db/plain-connection.js';
import { type ProvidedServer, provideServer } from '../../src/db/server-provider.js';

let serverPromise: Promise<ProvidedServer> | undefined;
let counter = 0;

/**
 * The test server of this process. A throwaway server is killed and its folder removed when
 * the process exits (see throwaway-server.ts), so no test has to stop it.
 */
export function testServer(): Promise<ProvidedServer> {
  serverPromise ??= provideServer('MIGRATE_TEST_MYSQL_URL');
  return serverPromise;
}

/** An admin connection (root) to the test server; the caller ends it. */
export async function adminConnection(): Promise<mysql.Connection> {
  return openPlainConnection(await testServer(), { multipleStatements: true });
}

/**
 * Creates a fresh, empty schema with a unique name starting with `label` and drops it when
 * the test (or, called at the top level, the file) that created it ends. Returns its name.
 */
export async function createTestSchema(label: string): Promise<string> {
  const name = `t_${label}_${process.pid}_${++counter}`.slice(0, 64);
  const conn = await adminConnection();
  try {
    await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await conn.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci`);
  } finally {
    await conn.end();
  }
  after(async () => {
    const c = await adminConnection().catch(() => undefined);
    if (!c) return;
    await c.query(`DROP DATABASE IF EXISTS \`${name}\``).catch(() => {});
    await c.end();
  });
  return name;
}

/** A DatabaseConfig for `schema` on the test server, as config.xml would give it. */
export async function databaseConfig(schema: string): Promise<DatabaseConfig> {
  const server = await testServer();
  return { host: server.host, port: server.port, user: server.user, password: server.password, name: schema };
}

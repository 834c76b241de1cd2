/** The simulated storefront (src/demo/storefront.ts) on a store of the test server. */
import type mysql from 'mysql2/promise';
import { type StorefrontModes, startStorefront } from '../../src/demo/storefront-process.js';
import { generateV1Data, loadSchema } from '../../src/fixtures/generate-v1-data.js';
import { adminConnection, createTestSchema, testServer } from './database.js';

/** A storefront selling on `schema` at `rate` operations a second, in the given modes. */
export async function startTestStorefront(
  schema: string,
  rate: number,
  modes: StorefrontModes = {},
  seed = 1,
) {
  const server = await testServer();
  const url = `mysql://${server.user}:${encodeURIComponent(server.password)}@${server.host}:${server.port}`;
  const storefront = startStorefront({ url, schema, rate, seed, modes });
  await storefront.opened;
  return storefront;
}

/** A v1 store with `orders` generated orders, in a schema dropped when the test ends. */
export async function createV1Store(label: string, orders: number): Promise<string> {
  const schema = await createTestSchema(label);
  const conn = await adminConnection();
  try {
    await loadSchema(conn, schema, 'v1');
    await generateV1Data(conn, schema, { orders });
  } finally {
    await conn.end();
  }
  return schema;
}

/** The first column of the first row of `sql`, as a number. */
export async function scalar(conn: mysql.Connection, sql: string, params: unknown[] = []): Promise<number> {
  const [rows] = await conn.query<mysql.RowDataPacket[]>(sql, params);
  const first = rows[0];
  return Number(first ? Object.values(first)[0] : Number.NaN);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

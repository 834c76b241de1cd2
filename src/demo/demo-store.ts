/**
 * The demo's two databases: a v1 store filled with generated data (the old shop) and an empty
 * v2 store (the new one), on whichever server the provider found. On a server of its own the
 * demo uses plain names; on a server the user named it adds a random part, so it never touches
 * a database it did not create.
 */
import { randomBytes } from 'node:crypto';
import type mysql from 'mysql2/promise';
import { openPlainConnection } from '../db/plain-connection.js';
import type { ProvidedServer } from '../db/server-provider.js';
import type { ServerAddress } from '../db/throwaway-server.js';
import { generateV1Data, loadSchema, type RowCounts } from '../fixtures/generate-v1-data.js';

export interface DemoSchemas {
  source: string;
  destination: string;
}

export function demoSchemas(kind: ProvidedServer['kind']): DemoSchemas {
  if (kind !== 'url') return { source: 'demo_v1', destination: 'demo_v2' };
  const tag = randomBytes(3).toString('hex');
  return { source: `demo_${tag}_v1`, destination: `demo_${tag}_v2` };
}

/** mysql://user:password@host:port, for the storefront; `masked` is for printing. */
export function serverUrl(server: ServerAddress, masked = false): string {
  const password = server.password ? `:${masked ? '***' : encodeURIComponent(server.password)}` : '';
  return `mysql://${encodeURIComponent(server.user)}${password}@${server.host}:${server.port}`;
}

const connect = (server: ServerAddress) => openPlainConnection(server);

/**
 * Creates both databases and their tables, and fills the v1 store; returns the rows per v1
 * table. On failure it drops the databases it created, so the caller owns them only on success.
 */
export async function createDemoStore(
  server: ServerAddress,
  schemas: DemoSchemas,
  orders: number,
): Promise<RowCounts> {
  const conn = await connect(server);
  const created: string[] = [];
  try {
    for (const schema of [schemas.source, schemas.destination]) {
      await conn.query(`CREATE DATABASE \`${schema}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci`);
      created.push(schema);
    }
    await loadSchema(conn, schemas.source, 'v1');
    await loadSchema(conn, schemas.destination, 'v2');
    return await generateV1Data(conn, schemas.source, { orders });
  } catch (error) {
    for (const schema of created) await conn.query(`DROP DATABASE IF EXISTS \`${schema}\``).catch(() => {});
    throw error;
  } finally {
    await conn.end();
  }
}

/** Drops both databases (a throwaway server needs no such care: it is removed whole). */
export async function dropDemoStore(server: ServerAddress, schemas: DemoSchemas): Promise<void> {
  const conn = await connect(server);
  try {
    for (const schema of [schemas.source, schemas.destination]) {
      await conn.query(`DROP DATABASE IF EXISTS \`${schema}\``);
    }
  } finally {
    await conn.end();
  }
}

/** What the storefront left, counted on one side: the orders it placed and their items. */
export interface StorefrontTraces {
  orders: number;
  items: number;
}

/**
 * Counts the storefront's own orders (increment ids starting with W) and order items (SKUs
 * starting with SKU-, whichever id they moved to) in the old and the new store: after the
 * cut-over both sides agree.
 */
export async function storefrontTraces(
  server: ServerAddress,
  schemas: DemoSchemas,
): Promise<{ source: StorefrontTraces; destination: StorefrontTraces }> {
  const conn = await connect(server);
  const count = async (sql: string) => {
    const [rows] = await conn.query<mysql.RowDataPacket[]>(sql);
    return Number(rows[0]?.n ?? 0);
  };
  const side = async (schema: string, orders: string, items: string): Promise<StorefrontTraces> => ({
    orders: await count(`SELECT COUNT(*) AS n FROM \`${schema}\`.\`${orders}\` WHERE increment_id LIKE 'W%'`),
    items: await count(`SELECT COUNT(*) AS n FROM \`${schema}\`.\`${items}\` WHERE sku LIKE 'SKU-%'`),
  });
  try {
    return {
      source: await side(schemas.source, 'sales_flat_order', 'sales_flat_order_item'),
      destination: await side(schemas.destination, 'sales_order', 'sales_order_item'),
    };
  } finally {
    await conn.end();
  }
}

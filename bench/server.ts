/**
 * What the benchmark does to its server between contenders: fresh destination schemas, a
 * settle step that lets InnoDB flush the previous contender's dirty pages (so nobody pays for
 * the one before), the check that a copy is complete and exact, and the server's own facts.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { ORDERS_DDL } from './orders.js';

/** Drops and recreates `schema` with an empty `orders` table. */
export async function freshSchema(conn: Connection, schema: string): Promise<void> {
  await conn.query(`DROP DATABASE IF EXISTS \`${schema}\``);
  await conn.query(`CREATE DATABASE \`${schema}\` DEFAULT CHARACTER SET utf8mb4`);
  await conn.query(`CREATE TABLE \`${schema}\`.orders ${ORDERS_DDL}`);
}

/** Makes `schema`.orders' key a plain BIGINT: LOAD DATA into it then takes no AUTO-INC lock. */
export async function dropAutoIncrement(conn: Connection, schema: string): Promise<void> {
  await conn.query(`ALTER TABLE \`${schema}\`.orders MODIFY entity_id BIGINT UNSIGNED NOT NULL`);
}

export async function dropSchema(conn: Connection, schema: string): Promise<void> {
  await conn.query(`DROP DATABASE IF EXISTS \`${schema}\``);
}

async function status(conn: Connection, name: string): Promise<number> {
  const [rows] = await conn.query<RowDataPacket[]>('SHOW GLOBAL STATUS LIKE ?', [name]);
  return Number(rows[0]?.Value ?? 0);
}

/**
 * Waits (at most `maxSeconds`) until at most 1% of the buffer pool is dirty, with the page
 * cleaner told to flush everything as fast as it can meanwhile (at the default I/O capacity
 * of 200 pages a second, the pages of a freshly generated table take minutes). Returns the
 * seconds it took.
 */
export async function settle(conn: Connection, maxSeconds = 120): Promise<number> {
  const started = performance.now();
  const [[previous]] = await conn.query<RowDataPacket[]>(
    'SELECT @@GLOBAL.innodb_max_dirty_pages_pct AS pct, @@GLOBAL.innodb_io_capacity AS io, @@GLOBAL.innodb_io_capacity_max AS io_max',
  );
  await conn.query('SET GLOBAL innodb_max_dirty_pages_pct = 0');
  await conn.query('SET GLOBAL innodb_io_capacity_max = 100000');
  await conn.query('SET GLOBAL innodb_io_capacity = 50000');
  try {
    const total = await status(conn, 'Innodb_buffer_pool_pages_total');
    while ((performance.now() - started) / 1000 < maxSeconds) {
      const dirty = await status(conn, 'Innodb_buffer_pool_pages_dirty');
      if (dirty <= total / 100) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    await conn.query('SET GLOBAL innodb_max_dirty_pages_pct = ?', [Number(previous?.pct ?? 90)]);
    await conn.query('SET GLOBAL innodb_io_capacity = ?', [Number(previous?.io ?? 200)]);
    await conn.query('SET GLOBAL innodb_io_capacity_max = ?', [Number(previous?.io_max ?? 2000)]);
  }
  return (performance.now() - started) / 1000;
}

export interface TableFacts {
  rows: number;
  checksum: string;
}

/** Exact row count and CHECKSUM TABLE of `schema`.orders. */
export async function tableFacts(conn: Connection, schema: string): Promise<TableFacts> {
  const [[count]] = await conn.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM \`${schema}\`.orders`);
  const [[sum]] = await conn.query<RowDataPacket[]>(`CHECKSUM TABLE \`${schema}\`.orders`);
  return { rows: Number(count?.n ?? -1), checksum: String(sum?.Checksum ?? '') };
}

/** Throws unless `schema`.orders holds exactly the source's rows: a failed copy has no time worth reporting. */
export async function verifyCopy(
  conn: Connection,
  schema: string,
  expected: TableFacts,
  contender: string,
): Promise<void> {
  const actual = await tableFacts(conn, schema);
  if (actual.rows !== expected.rows || actual.checksum !== expected.checksum) {
    throw new Error(
      `${contender}: ${schema}.orders has ${actual.rows} rows (checksum ${actual.checksum}); ` +
        `the source has ${expected.rows} (checksum ${expected.checksum})`,
    );
  }
}

/** Data plus index bytes of `schema`.orders, from InnoDB's statistics. */
export async function tableBytes(conn: Connection, schema: string): Promise<number> {
  const [[row]] = await conn.query<RowDataPacket[]>(
    `SELECT DATA_LENGTH + INDEX_LENGTH AS bytes FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'orders'`,
    [schema],
  );
  return Number(row?.bytes ?? 0);
}

/** The throwaway server's process id, from the pid file beside its data folder. */
export function serverPid(dataDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(dirname(dataDir), 'mysqld.pid'), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export interface ServerFacts {
  version: string;
  bufferPool: string;
  logFile: string;
  flushAtCommit: string;
  /** 1 (MariaDB's default): LOAD DATA and INSERT ... SELECT into one AUTO_INCREMENT table run one at a time. */
  autoincLockMode: string;
}

export async function serverFacts(conn: Connection): Promise<ServerFacts> {
  const [[row]] = await conn.query<RowDataPacket[]>(
    'SELECT VERSION() AS v, @@innodb_buffer_pool_size AS bp, @@innodb_log_file_size AS lf, @@innodb_flush_log_at_trx_commit AS fl, @@innodb_autoinc_lock_mode AS ai',
  );
  const mb = (value: unknown) => `${Math.round(Number(value) / 1024 / 1024)} MB`;
  return {
    version: String(row?.v),
    bufferPool: mb(row?.bp),
    logFile: mb(row?.lf),
    flushAtCommit: String(row?.fl),
    autoincLockMode: String(row?.ai),
  };
}

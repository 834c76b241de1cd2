/**
 * `node --import tsx bench/unique-checks.ts`: what `unique_checks = 0` buys the bulk copy, and so
 * what keeping unique checks on costs. On one throwaway MariaDB it copies the bench's `orders`
 * table into an empty table the ways the copy writes (the row writer's multi-row INSERTs and
 * LOAD DATA, in chunks of CHUNK rows over PARTS parallel sessions, and INSERT ... SELECT chunks
 * on the same server), once with unique checks off and once on, alternating, and prints rows/s.
 *
 * BENCH_ROWS=200000 (default) sets the table's size; ROUNDS=2 the alternations.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '../src/db/database.js';
import { openPlainConnection } from '../src/db/plain-connection.js';
import { writeRows } from '../src/db/row-writer.js';
import { startThrowawayServer } from '../src/db/throwaway-server.js';
import { generateOrdersSql, ORDERS_DDL } from './orders.js';
import { freshSchema, settle } from './server.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 200_000);
const ROUNDS = Number(process.env.ROUNDS ?? 2);
const CHUNK = 3000;
const PARTS = 4;
const SOURCE = 'uc_src';
const TARGET = 'uc_dst';

type Way = 'insert' | 'load-data' | 'insert-select';

async function main(): Promise<void> {
  const tempDir = await mkdtemp(join(tmpdir(), 'store-migrate-uc-'));
  const server = await startThrowawayServer({
    serverArgs: ['--innodb-buffer-pool-size=1G', '--innodb-log-file-size=512M'],
  });
  const admin = await openPlainConnection(server, { multipleStatements: true });
  try {
    await admin.query(`CREATE DATABASE ${SOURCE} DEFAULT CHARACTER SET utf8mb4`);
    await admin.query(`CREATE TABLE ${SOURCE}.orders ${ORDERS_DDL}`);
    await admin.query(generateOrdersSql(SOURCE, ROWS));
    const config = { ...server, name: SOURCE };
    const source = await Database.open(config, { side: 'source', poolSize: PARTS });
    const [{ max } = { max: '0' }] = await source.query<{ max: string }>(
      'SELECT @@max_allowed_packet AS max',
    );
    // The source read once, in key order, split in PARTS key ranges of CHUNK-row chunks.
    const rows = await source.queryArrays(`SELECT * FROM ${SOURCE}.orders ORDER BY entity_id`);
    const columns = (
      await source.query<{ c: string }>(
        `SELECT COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'orders' ORDER BY ORDINAL_POSITION`,
        [SOURCE],
      )
    ).map((r) => r.c);
    await source.close();
    const results: string[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      for (const way of ['insert', 'load-data', 'insert-select'] as const) {
        for (const uniqueChecks of round % 2 ? [false, true] : [true, false]) {
          await freshSchema(admin, TARGET);
          await settle(admin, 30);
          const destination = await Database.open(
            { ...server, name: TARGET },
            {
              side: 'destination',
              poolSize: PARTS,
              session: { foreignKeyChecks: false, uniqueChecks, readCommitted: true },
            },
          );
          const started = performance.now();
          try {
            await copy(way, destination, rows, columns, Number(max));
          } finally {
            await destination.close();
          }
          const seconds = (performance.now() - started) / 1000;
          const [[count]] = (await admin.query(`SELECT COUNT(*) AS n FROM ${TARGET}.orders`)) as unknown as [
            Array<{ n: number }>,
          ];
          if (Number(count?.n) !== ROWS) throw new Error(`${way}: ${count?.n} rows copied of ${ROWS}`);
          const line = `round ${round} ${way.padEnd(13)} unique_checks=${uniqueChecks ? 1 : 0}: ${seconds.toFixed(2)} s, ${Math.round(ROWS / seconds)} rows/s`;
          process.stderr.write(`${line}\n`);
          results.push(line);
        }
      }
    }
    process.stdout.write(`${results.join('\n')}\n`);
  } finally {
    await admin.end();
    await server.stop();
    await rm(tempDir, { recursive: true, force: true });
  }
}

/** PARTS sessions each copy a contiguous quarter of the rows, CHUNK rows a transaction. */
async function copy(
  way: Way,
  destination: Database,
  rows: readonly (readonly unknown[])[],
  columns: readonly string[],
  maxAllowedPacket: number,
): Promise<void> {
  const perPart = Math.ceil(rows.length / PARTS);
  await Promise.all(
    Array.from({ length: PARTS }, async (_, part) => {
      const end = Math.min(rows.length, (part + 1) * perPart);
      for (let at = part * perPart; at < end; at += CHUNK) {
        const chunk = rows.slice(at, Math.min(end, at + CHUNK)) as never[];
        await destination.transaction(async (tx) => {
          if (way === 'insert-select') {
            const first = (chunk[0] as unknown as unknown[])[0];
            const last = (chunk.at(-1) as unknown as unknown[])[0];
            await tx.execute(
              `INSERT INTO orders SELECT * FROM ${SOURCE}.orders WHERE entity_id BETWEEN ? AND ?`,
              [first, last],
            );
            return;
          }
          const result = await writeRows(tx, chunk, {
            table: 'orders',
            columns,
            maxAllowedPacket,
            useLoadData: way === 'load-data',
            infiles: destination,
          });
          if (result.written !== chunk.length) throw new Error(`${way}: a chunk was refused`);
        });
      }
    }),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

/**
 * Issue 16's AUTO-INC lever, measured: with innodb_autoinc_lock_mode=1 a LOAD DATA into a table
 * with an AUTO_INCREMENT column holds the table's AUTO-INC lock for the whole statement, while a
 * statement with a known row count (INSERT ... VALUES, also prepared) takes it only for a moment.
 * This writes the bench's `orders` from 4 connections, in 3,000-row chunks of one transaction
 * each, with each statement kind, on a throwaway MariaDB, and prints wall time and the server's
 * CPU. The text is made before the timed part, so only the server's work is timed (the prepared
 * line also holds mysql2's parameter encoding). Every copy is verified (count and CHECKSUM TABLE).
 * See BENCHMARKS.md (issue 16, second round).
 *
 * node --import tsx bench/autoinc-kinds.ts                   300,000 rows, every kind twice
 * BENCH_ROWS=200000 BENCH_ROWS_PER_EXECUTE=500 node --import tsx bench/autoinc-kinds.ts
 */
import { Readable } from 'node:stream';
import mysql, { type Connection, type TypeCast } from 'mysql2/promise';
import { quoteIdentifier } from '../src/db/identifiers.js';
import { loadDataStatement } from '../src/db/load-data.js';
import { loadDataChunks } from '../src/db/load-data-text.js';
import { openPlainConnection } from '../src/db/plain-connection.js';
import { sqlLiteral } from '../src/db/sql-literal.js';
import { startThrowawayServer, type ThrowawayServer } from '../src/db/throwaway-server.js';
import { readValuesAsText } from '../src/db/type-cast.js';
import type { Value } from '../src/handlers/contract.js';
import { cpuSeconds } from './monitor.js';
import { generateOrdersSql } from './orders.js';
import {
  dropAutoIncrement,
  dropSchema,
  freshSchema,
  serverPid,
  settle,
  tableFacts,
  verifyCopy,
} from './server.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 300_000);
const ROWS_PER_EXECUTE = Number(process.env.BENCH_ROWS_PER_EXECUTE ?? 100);
const CONNECTIONS = 4;
const CHUNK_ROWS = 3000;
const STATEMENT_BYTES = 512 * 1024;

type Kind = 'load-data' | 'insert' | 'prepared';

interface Chunk {
  rows: Value[][];
  loadData: Buffer;
  inserts: string[];
}

async function main(): Promise<void> {
  const server = await startThrowawayServer({
    serverArgs: ['--innodb-buffer-pool-size=1G', '--innodb-log-file-size=512M'],
  });
  const conn = await mysql.createConnection({
    host: server.host,
    port: server.port,
    user: server.user,
    password: server.password,
  });
  try {
    const pid = serverPid(server.dataDir);
    if (pid === undefined) throw new Error('cannot find the server process');
    await freshSchema(conn, 'bench_src');
    await conn.query(generateOrdersSql('bench_src', ROWS));
    const source = await tableFacts(conn, 'bench_src');
    const { chunks, columns } = await readChunks(server);
    const run = async (kind: Kind, autoIncrement: boolean, destination: string) => {
      await freshSchema(conn, destination);
      if (!autoIncrement) await dropAutoIncrement(conn, destination);
      await settle(conn);
      const cpuBefore = cpuSeconds(pid) ?? 0;
      const started = performance.now();
      const share = Math.ceil(chunks.length / CONNECTIONS);
      await Promise.all(
        Array.from({ length: CONNECTIONS }, (_, i) =>
          writeShare(server, destination, kind, columns, chunks.slice(i * share, (i + 1) * share)),
        ),
      );
      const seconds = (performance.now() - started) / 1000;
      const cpu = (cpuSeconds(pid) ?? 0) - cpuBefore;
      await verifyCopy(conn, destination, source, kind);
      await dropSchema(conn, destination);
      const label = kind === 'prepared' ? `prepared (${ROWS_PER_EXECUTE} rows an execute)` : kind;
      process.stdout.write(
        `${label.padEnd(32)} ${autoIncrement ? 'AUTO_INCREMENT   ' : 'no AUTO_INCREMENT'} ${ROWS} rows: ` +
          `${seconds.toFixed(2)} s wall, server CPU ${cpu.toFixed(2)} s\n`,
      );
    };
    for (let round = 0; round < 2; round++) {
      await run('load-data', true, 'bench_load');
      await run('insert', true, 'bench_insert');
      await run('prepared', true, 'bench_prepared');
      await run('load-data', false, 'bench_load_noai');
    }
  } finally {
    await conn.end();
    await stopQuietly(server);
  }
}

/** The source's rows by key, as the tool reads them, with each kind's text made beforehand. */
async function readChunks(server: ThrowawayServer): Promise<{ chunks: Chunk[]; columns: string[] }> {
  const conn = await openPlainConnection(server, { typeCast: readValuesAsText as TypeCast });
  const chunks: Chunk[] = [];
  let columns: string[] = [];
  try {
    let last = '0';
    for (;;) {
      const [rows, fields] = (await conn.query({
        sql: `SELECT * FROM bench_src.orders WHERE entity_id > ? ORDER BY entity_id LIMIT ${CHUNK_ROWS}`,
        values: [last],
        rowsAsArray: true,
      })) as unknown as [Value[][], Array<{ name: string }>];
      columns = fields.map((field) => field.name);
      const lastRow = rows.at(-1);
      if (!lastRow) return { chunks, columns };
      chunks.push({
        rows,
        loadData: Buffer.concat([...loadDataChunks(rows, 256 * 1024)]),
        inserts: insertStatements(columns, rows),
      });
      last = String(lastRow[0]);
    }
  } finally {
    await conn.end();
  }
}

/** Multi-row INSERTs of about STATEMENT_BYTES, as the row writer makes them. */
function insertStatements(columns: readonly string[], rows: readonly Value[][]): string[] {
  const prefix = `INSERT INTO orders (${columns.map(quoteIdentifier).join(', ')}) VALUES `;
  const statements: string[] = [];
  let tuples: string[] = [];
  let bytes = 0;
  for (const row of rows) {
    const tuple = `(${row.map(sqlLiteral).join(',')})`;
    if (tuples.length > 0 && bytes + tuple.length > STATEMENT_BYTES) {
      statements.push(prefix + tuples.join(','));
      tuples = [];
      bytes = 0;
    }
    tuples.push(tuple);
    bytes += tuple.length + 1;
  }
  if (tuples.length > 0) statements.push(prefix + tuples.join(','));
  return statements;
}

/** One connection's share: a transaction per chunk, foreign key checks off as the tool's sessions. */
async function writeShare(
  server: ThrowawayServer,
  destination: string,
  kind: Kind,
  columns: readonly string[],
  chunks: readonly Chunk[],
): Promise<void> {
  let current: Buffer | undefined;
  const conn: Connection = await openPlainConnection(server, {
    database: destination,
    infileStreamFactory: () => Readable.from(current ? [current] : []),
  });
  const row = `(${columns.map(() => '?').join(',')})`;
  const prefix = `INSERT INTO orders (${columns.map(quoteIdentifier).join(', ')}) VALUES `;
  try {
    await conn.query('SET foreign_key_checks = 0');
    for (const chunk of chunks) {
      await conn.query('BEGIN');
      if (kind === 'load-data') {
        current = chunk.loadData;
        await conn.query(loadDataStatement('chunk', 'orders', columns));
      } else if (kind === 'insert') {
        for (const sql of chunk.inserts) await conn.query(sql);
      } else {
        for (let at = 0; at < chunk.rows.length; at += ROWS_PER_EXECUTE) {
          const part = chunk.rows.slice(at, at + ROWS_PER_EXECUTE);
          await conn.execute(prefix + part.map(() => row).join(','), part.flat());
        }
      }
      await conn.query('COMMIT');
    }
  } finally {
    await conn.end();
  }
}

async function stopQuietly(server: ThrowawayServer): Promise<void> {
  await server.stop().catch(() => {});
}

main().catch((error: unknown) => {
  process.stderr.write(`autoinc-kinds: ${error instanceof Error ? (error.stack ?? error.message) : error}\n`);
  process.exitCode = 1;
});

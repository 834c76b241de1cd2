/**
 * The streaming floor: what the server alone needs to take the table's rows by LOAD DATA in
 * store-migrate's shape (keyset chunks of `chunkRows`, one transaction each, `connections`
 * connections, foreign key checks off and unique checks on, as the tool's destination sessions
 * have them: see src/db/row-writer.ts), with the text made beforehand by
 * store-migrate's own encoder, so the timed part holds no client work at all. No streaming
 * tool that writes with LOAD DATA can beat this line on the same server; the gap between it and
 * `store-migrate streaming` is the tool's own cost.
 *
 * It exists because of a server fact the ceiling hides: with innodb_autoinc_lock_mode=1
 * (MariaDB's default; MySQL 8 defaults to 2), LOAD DATA into a table with an AUTO_INCREMENT
 * column holds the table's AUTO-INC lock for the whole statement, so parallel LOAD DATA
 * statements into one table run one at a time.
 */
import { Readable } from 'node:stream';
import type { Connection, TypeCast } from 'mysql2/promise';
import type { ExecuteResult, Queryable } from '../src/db/database.js';
import { loadDataStatement } from '../src/db/load-data.js';
import { loadDataChunks } from '../src/db/load-data-text.js';
import { openPlainConnection } from '../src/db/plain-connection.js';
import { addIndexes, deferrableIndexes, dropIndexes } from '../src/db/secondary-indexes.js';
import type { ServerAddress } from '../src/db/throwaway-server.js';
import { readValuesAsText } from '../src/db/type-cast.js';
import type { Value } from '../src/handlers/contract.js';
import type { Timing } from './contenders.js';

export interface FloorOptions {
  connections: number;
  chunkRows: number;
  /**
   * The tool's shape since issue 16's fourth round: the destination's plain secondary indexes
   * dropped before the load (untimed, as the tool does it before its first chunk) and built again
   * after it (timed), chosen by the tool's own rule (src/db/secondary-indexes.ts).
   */
  deferIndexes?: boolean;
}

export async function runLoadDataFloor(
  server: ServerAddress,
  source: string,
  destination: string,
  options: FloorOptions,
): Promise<Timing> {
  const { chunks, columns } = await encodeChunks(server, source, options.chunkRows);
  const share = Math.ceil(chunks.length / options.connections);
  const admin = await openPlainConnection(server, {});
  try {
    const db = queryable(admin);
    const deferred = options.deferIndexes ? await deferrableIndexes(db, destination, 'orders') : [];
    await dropIndexes(
      db,
      destination,
      'orders',
      deferred.map((i) => i.name),
    );
    const started = performance.now();
    await Promise.all(
      Array.from({ length: options.connections }, (_, i) =>
        loadShare(server, destination, columns, chunks.slice(i * share, (i + 1) * share)),
      ),
    );
    await addIndexes(
      db,
      destination,
      'orders',
      deferred.map((i) => i.clause),
    );
    return { seconds: (performance.now() - started) / 1000 };
  } finally {
    await admin.end();
  }
}

/** A plain connection as the tool's Queryable, for its index functions. */
function queryable(conn: Connection): Queryable {
  return {
    query: async <T>(sql: string, bindings: readonly unknown[] = []) =>
      (await conn.query(sql, [...bindings] as never))[0] as unknown as T[],
    queryArrays: async (sql: string, bindings: readonly unknown[] = []) =>
      (
        await conn.query({ sql, values: [...bindings] as never, rowsAsArray: true })
      )[0] as unknown as Value[][],
    execute: async (sql: string, bindings: readonly unknown[] = []) =>
      (await conn.query(sql, [...bindings] as never))[0] as unknown as ExecuteResult,
  };
}

/** The source's rows as LOAD DATA text, one Buffer per chunk, read by key like the tool reads them. */
async function encodeChunks(
  server: ServerAddress,
  source: string,
  chunkRows: number,
): Promise<{ chunks: Buffer[]; columns: string[] }> {
  const conn = await openPlainConnection(server, { typeCast: readValuesAsText as TypeCast });
  const chunks: Buffer[] = [];
  let columns: string[] = [];
  try {
    let last = '0';
    for (;;) {
      const [rows, fields] = (await conn.query({
        sql: `SELECT * FROM \`${source}\`.orders WHERE entity_id > ? ORDER BY entity_id LIMIT ${chunkRows}`,
        values: [last],
        rowsAsArray: true,
      })) as unknown as [Value[][], Array<{ name: string }>];
      columns = fields.map((f) => f.name);
      const lastRow = rows.at(-1);
      if (!lastRow) return { chunks, columns };
      chunks.push(Buffer.concat([...loadDataChunks(rows, 256 * 1024)]));
      last = String(lastRow[0]);
    }
  } finally {
    await conn.end();
  }
}

/** One connection's share: a transaction per chunk, as the tool commits a chunk with its progress mark. */
async function loadShare(
  server: ServerAddress,
  destination: string,
  columns: readonly string[],
  chunks: readonly Buffer[],
): Promise<void> {
  let current: Buffer | undefined;
  const conn: Connection = await openPlainConnection(server, {
    database: destination,
    infileStreamFactory: () => Readable.from(current ? [current] : []),
  });
  try {
    await conn.query('SET foreign_key_checks = 0');
    for (const chunk of chunks) {
      current = chunk;
      await conn.query('BEGIN');
      await conn.query(loadDataStatement('floor', 'orders', columns));
      await conn.query('COMMIT');
    }
  } finally {
    await conn.end();
  }
}

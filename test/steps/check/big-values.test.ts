/**
 * The deep check hashes every value whatever its size and whatever each server's
 * max_allowed_packet: a value's digest is computed by the server from the value itself, never
 * from a text form (hex) that a small packet limit turns into NULL.
 */
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { openPlainConnection } from '../../../src/db/plain-connection.js';
import { startThrowawayServer, type ThrowawayServer } from '../../../src/db/throwaway-server.js';
import { check, documentOf } from './helpers.js';

const MB = 1024 * 1024;
const TABLE = 'CREATE TABLE t (id INT PRIMARY KEY, v LONGTEXT NULL, b LONGBLOB NULL) CHARSET utf8mb4';

const JSON_TABLE = 'CREATE TABLE h (id INT PRIMARY KEY, v LONGTEXT NULL) CHARSET utf8mb4';

/** A server whose packet limit is `packet`, a schema `s` with tables t and h, and rows built on the server. */
async function serverWith(
  packet: number,
  rows: readonly string[],
  jsonRows: readonly string[],
): Promise<ThrowawayServer> {
  const server = await startThrowawayServer({ serverArgs: [`--max-allowed-packet=${packet}`] });
  after(() => server.stop());
  const admin = await openPlainConnection(server, {});
  try {
    // Values larger than the limit are built under a raised limit, which then goes back down.
    await admin.query(`SET GLOBAL max_allowed_packet = ${64 * MB}`);
    const loader = await openPlainConnection(server, {});
    try {
      await loader.query('CREATE DATABASE s');
      await loader.query('USE s');
      await loader.query(TABLE);
      await loader.query(JSON_TABLE);
      for (const row of rows) await loader.query(`INSERT INTO t VALUES ${row}`);
      for (const row of jsonRows) await loader.query(`INSERT INTO h VALUES ${row}`);
    } finally {
      await loader.end();
    }
  } finally {
    await admin.query(`SET GLOBAL max_allowed_packet = ${packet}`);
    await admin.end();
  }
  return server;
}

/** A row of h: a JSON array holding one string of `size` times `letter`, built on the server. */
const json = (id: number, letter: string, size: number) =>
  `(${id}, CONCAT('["', REPEAT('${letter}', ${size}), '"]'))`;

const SMALL = 900 * 1024;
const BIG = 9 * MB;

test('values larger than either packet limit are compared exactly: no blind spot, no false alarm', async () => {
  const [source, destination] = await Promise.all([
    // The default 16 MB limit: a 9 MB value's hex (18 MB) does not fit.
    serverWith(
      16 * MB,
      [
        `(1, REPEAT('x', ${SMALL}), REPEAT(x'ab', ${SMALL}))`,
        `(2, REPEAT('a', ${BIG}), NULL)`,
        `(3, NULL, NULL)`,
        `(4, REPEAT('z', ${BIG}), REPEAT(x'cd', ${BIG}))`,
        `(5, NULL, REPEAT(x'01', ${BIG}))`,
      ],
      [json(1, 'x', SMALL), json(2, 'a', BIG), '(3, NULL)', json(4, 'z', BIG)],
    ),
    // 1 MB: even the identical 900 KB values' hex does not fit.
    serverWith(
      1 * MB,
      [
        `(1, REPEAT('x', ${SMALL}), REPEAT(x'ab', ${SMALL}))`,
        `(2, REPEAT('b', ${BIG}), NULL)`,
        `(3, REPEAT('c', ${BIG}), NULL)`,
        `(4, REPEAT('z', ${BIG}), REPEAT(x'cd', ${BIG}))`,
        `(5, NULL, REPEAT(x'02', ${BIG}))`,
      ],
      [json(1, 'x', SMALL), json(2, 'b', BIG), json(3, 'c', BIG), json(4, 'z', BIG)],
    ),
  ]);
  const dir = await mkdtemp(join(tmpdir(), 'store-migrate-big-values-'));
  // serializedToJson has no SQL form: h is hashed by the tool, from rows it streams.
  await writeFile(
    join(dir, 'map.json'),
    JSON.stringify({ source: { fields: { transform: [{ field: 'h.v', handler: 'serializedToJson' }] } } }),
  );
  const db = (s: ThrowawayServer) =>
    `<database host="${s.host}" port="${s.port}" user="${s.user}" password="${s.password}" name="s"/>`;
  const config = join(dir, 'config.xml');
  await writeFile(
    config,
    `<config><source>${db(source)}</source><destination>${db(destination)}</destination>
      <options><map_file>map.json</map_file></options></config>`,
  );

  const report = await check(config, { mode: 'deep', chunkRows: 2 });
  const t = documentOf(report, 't');
  assert.equal(t.method, 'sql');
  assert.deepEqual(t.counts, { missing: 0, extra: 0, changed: 3 });
  assert.deepEqual(t.changed, [['2'], ['3'], ['5']]);
  const h = documentOf(report, 'h');
  assert.equal(h.method, 'stream');
  assert.deepEqual(h.counts, { missing: 0, extra: 0, changed: 2 });
  assert.deepEqual(h.changed, [['2'], ['3']]);
});

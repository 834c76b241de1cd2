/**
 * LOAD DATA into a destination whose max_allowed_packet is smaller than a row: the row is
 * rejected with a clear reason and the rest of the chunk loads, on the writer and through a
 * whole `migrate data` run (it used to end in "packets out of order", ECONNRESET and six
 * retries with nothing copied).
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { RowDataPacket } from 'mysql2';
import { Database } from '../../src/db/database.js';
import { openPlainConnection } from '../../src/db/plain-connection.js';
import { writeRows } from '../../src/db/row-writer.js';
import { serverFacts } from '../../src/db/server-identity.js';
import {
  findServerBinary,
  startThrowawayServer,
  type ThrowawayServer,
} from '../../src/db/throwaway-server.js';
import type { Value } from '../../src/handlers/contract.js';
import { runCli } from '../support/cli.js';
import { adminConnection, createTestSchema, testServer } from '../support/database.js';

const haveBinary = findServerBinary() !== undefined;
const PACKET = 1024 * 1024;
let small: ThrowawayServer;

before(async () => {
  if (haveBinary) small = await startThrowawayServer({ serverArgs: ['--max-allowed-packet=1M'] });
});
after(async () => {
  await small?.stop();
});

const BIG = 3 * 1024 * 1024;
/** The largest value whose row (id, value, NULL: 8 bytes more as a line) the check lets through under a 1 MB packet. */
const NEAR_LIMIT = PACKET - 1032;

async function smallServerSchema(name: string, table: string) {
  const conn = await openPlainConnection(small, { multipleStatements: true });
  await conn.query(
    `CREATE DATABASE ${name}; CREATE TABLE ${name}.${table} (id INT PRIMARY KEY, v LONGTEXT, b LONGBLOB)`,
  );
  await conn.end();
}

test('LOAD DATA rejects the one row larger than max_allowed_packet and loads the others', {
  skip: !haveBinary,
}, async () => {
  await smallServerSchema('writer', 'doc');
  const db = await Database.open(
    { host: small.host, port: small.port, user: small.user, password: small.password, name: 'writer' },
    { side: 'destination', poolSize: 1 },
  );
  try {
    const facts = await serverFacts(db);
    assert.equal(facts.maxAllowedPacket, PACKET);
    const rows: Value[][] = [];
    for (let i = 1; i <= 200; i++) rows.push([String(i), `row ${i}`, Buffer.from([i % 256, 0, 9, 10, 92])]);
    rows[99] = ['100', 'y'.repeat(BIG), null];
    // Bytes that LOAD DATA escapes (\t \n \\ NUL) count twice: 600 KB of them do not fit either.
    rows[149] = ['150', null, Buffer.alloc(600 * 1024, 9)];
    rows[179] = ['180', 'z'.repeat(NEAR_LIMIT), null];
    const result = await db.transaction((tx) =>
      writeRows(tx, rows, {
        table: 'doc',
        columns: ['id', 'v', 'b'],
        maxAllowedPacket: facts.maxAllowedPacket,
        useLoadData: true,
        infiles: db,
      }),
    );
    assert.equal(result.method, 'load-data');
    assert.equal(result.fellBack, false, 'the rows that fit went in with LOAD DATA');
    assert.deepEqual(
      result.rejected.map((r) => r.values[0]),
      ['100', '150'],
    );
    for (const rejected of result.rejected) {
      assert.equal(rejected.code, 'ER_NET_PACKET_TOO_LARGE');
      assert.match(
        rejected.error,
        /more than max_allowed_packet \(1048576 bytes\) allows; raise max_allowed_packet on the destination server/,
      );
    }
    assert.equal(result.written, 198);
    const [count] = await db.query<{ n: string; v: string }>(
      'SELECT COUNT(*) AS n, SUM(LENGTH(v)) AS v FROM doc',
    );
    assert.equal(Number(count?.n), 198);
    const [near] = await db.query<{ n: string }>('SELECT LENGTH(v) AS n FROM doc WHERE id = 180');
    assert.equal(Number(near?.n), NEAR_LIMIT, 'a row just below the limit loads whole');
  } finally {
    await db.close();
  }
});

test('migrate data into a 1 MB-packet destination copies every row but the 3 MB one, which is rejected', {
  skip: !haveBinary,
}, async () => {
  const server = await testServer();
  const sourceSchema = await createTestSchema('packet_src');
  const admin = await adminConnection();
  await admin.query(`CREATE TABLE \`${sourceSchema}\`.doc (id INT PRIMARY KEY, v LONGTEXT, b LONGBLOB);
    INSERT INTO \`${sourceSchema}\`.doc SELECT seq, CONCAT('row ', seq), NULL FROM \`${sourceSchema}\`.seq_1_to_5000;
    UPDATE \`${sourceSchema}\`.doc SET v = REPEAT('x', ${BIG}) WHERE id = 2500;`);
  await admin.end();
  await smallServerSchema('cli', 'doc');
  const { mkdtemp, writeFile } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const dir = await mkdtemp(join(tmpdir(), 'store-migrate-packet-'));
  await writeFile(join(dir, 'map.json'), '{}');
  const db = (s: { host: string; port: number; user: string; password: string }, name: string) =>
    `<database host="${s.host}" port="${s.port}" user="${s.user}" password="${s.password}" name="${name}"/>`;
  const config = join(dir, 'config.xml');
  await writeFile(
    config,
    `<config><source>${db(server, sourceSchema)}</source><destination>${db(small, 'cli')}</destination>
      <options><map_file>map.json</map_file><bulk_size>1000</bulk_size></options></config>`,
  );
  const result = await runCli(['data', config], { timeoutMs: 120_000 });
  assert.equal(result.status, 1, result.stderr);
  assert.doesNotMatch(result.stderr, /retrying|COPY_FAILED/);
  assert.match(result.stderr, /1 rows were rejected and not copied:\n {2}doc: 1 in /);
  assert.match(result.stdout, /doc\s.*load-data/, 'the table was loaded with LOAD DATA');
  const conn = await openPlainConnection(small);
  const [rows] = await conn.query<RowDataPacket[]>(
    'SELECT COUNT(*) AS n, SUM(id = 2500) AS big FROM cli.doc',
  );
  await conn.end();
  assert.equal(Number(rows[0]?.n), 4999);
  assert.equal(Number(rows[0]?.big), 0);
  const lines = (await readFile(join(dir, 'rejected', 'doc.jsonl'), 'utf8')).trim().split('\n');
  assert.equal(lines.length, 1);
  const entry = JSON.parse(lines[0] ?? '{}') as { error?: string; code?: string };
  assert.match(JSON.stringify(entry), /"2500"/);
  assert.match(entry.error ?? '', /max_allowed_packet \(1048576 bytes\)/);
});

/**
 * Issue 12, case 1: a duplicate on a destination unique key inside the first chunk written into
 * an empty table. With unique checks off, MariaDB 10.11 writes such a chunk as one bulk
 * operation: INSERT ... SELECT lost the whole chunk silently, and LOAD DATA / INSERT failed
 * every run at commit ("Got error 1 Operation not permitted"). Every path must instead copy
 * the rows that fit and reject the colliding ones, into the rejected file, with the count right.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { RowDataPacket } from 'mysql2';
import { openPlainConnection } from '../../../src/db/plain-connection.js';
import { startThrowawayServer, type ThrowawayServer } from '../../../src/db/throwaway-server.js';
import { runCli } from '../../support/cli.js';
import { adminConnection, createTestSchema, testServer } from '../../support/database.js';

/** The source: 100 rows whose `code` repeats every 40 rows; the destination's `code` is unique. */
const SOURCE_TABLE = '(id INT PRIMARY KEY, code VARCHAR(20) NOT NULL) CHARSET utf8mb4';
const DEST_TABLE =
  '(id INT PRIMARY KEY, code VARCHAR(20) NOT NULL, UNIQUE KEY uq_code (code)) CHARSET utf8mb4';
/** Values distinct for a binary NO PAD collation, one value for the destination's general_ci. */
const COLLIDING = ['a', 'A', 'a ', 'b'];

let second: ThrowawayServer | undefined;
after(async () => {
  await second?.stop();
});

type Address = { host: string; port: number; user: string; password: string };

async function setup(label: string, destinationServer: Address | undefined, options: string) {
  const server = await testServer();
  const source = await createTestSchema(`${label}_s`);
  let destination: string;
  if (destinationServer) {
    destination = `${label}_d`;
    const conn = await openPlainConnection(destinationServer, {});
    await conn.query(`DROP DATABASE IF EXISTS \`${destination}\``);
    await conn.query(`CREATE DATABASE \`${destination}\` CHARACTER SET utf8mb4`);
    await conn.end();
  } else {
    destination = await createTestSchema(`${label}_d`);
  }
  const dir = await mkdtempDir(label);
  await writeFile(join(dir, 'map.json'), '{}');
  const db = (address: Address, name: string) =>
    `<database host="${address.host}" port="${address.port}" user="${address.user}" password="${address.password}" name="${name}"/>`;
  const config = join(dir, 'config.xml');
  await writeFile(
    config,
    `<config><source>${db(server, source)}</source><destination>${db(destinationServer ?? server, destination)}</destination>
      <options><map_file>map.json</map_file><bulk_size>1000</bulk_size>${options}</options></config>`,
  );
  const sourceConn = await adminConnection();
  const destConn = destinationServer
    ? await openPlainConnection(destinationServer, { multipleStatements: true })
    : await adminConnection();
  const s = `\`${source}\``;
  const d = `\`${destination}\``;
  await sourceConn.query(`CREATE TABLE ${s}.dupes ${SOURCE_TABLE}`);
  await sourceConn.query(`INSERT INTO ${s}.dupes SELECT seq, CONCAT('c', seq % 40) FROM ${s}.seq_1_to_100`);
  await destConn.query(`CREATE TABLE ${d}.dupes ${DEST_TABLE}`);
  await sourceConn.query(
    `CREATE TABLE ${s}.names (id INT PRIMARY KEY, code VARCHAR(20) COLLATE utf8mb4_nopad_bin NOT NULL, UNIQUE KEY (code)) CHARSET utf8mb4`,
  );
  await sourceConn.query(
    `INSERT INTO ${s}.names VALUES ${COLLIDING.map((c, i) => `(${i + 1}, '${c}')`).join(', ')}`,
  );
  await destConn.query(
    `CREATE TABLE ${d}.names (id INT PRIMARY KEY, code VARCHAR(20) COLLATE utf8mb4_general_ci NOT NULL, UNIQUE KEY (code)) CHARSET utf8mb4`,
  );
  await sourceConn.end();
  return { config, dir, destination, destConn };
}

async function mkdtempDir(label: string): Promise<string> {
  const { mkdtemp } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  return mkdtemp(join(tmpdir(), `store-migrate-${label}-`));
}

async function rejectedLines(
  dir: string,
  document: string,
): Promise<Array<{ code: string; values: unknown[] }>> {
  const text = await readFile(join(dir, 'rejected', `${document}.jsonl`), 'utf8');
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
}

const PATHS = [
  [
    'same server, direct INSERT ... SELECT',
    false,
    '<direct_document_copy>1</direct_document_copy>',
    /insert-select\s+copied/,
  ],
  [
    'same server, streamed (LOAD DATA)',
    false,
    '<direct_document_copy>0</direct_document_copy>',
    /load-data\s+copied/,
  ],
  // The second server refuses LOAD DATA LOCAL: this is the multi-row INSERT path.
  ['separate servers, streamed (INSERT)', true, '', / insert\s+copied/],
] as const;

for (const [name, separate, options, method] of PATHS) {
  test(`a unique-key collision in the first chunk into an empty table is rejected, never swallowed: ${name}`, async () => {
    if (separate) second ??= await startThrowawayServer({ serverArgs: ['--local-infile=0'] });
    const env = await setup(
      `uniq${separate ? 'x' : ''}${options.includes('>1<') ? 'd' : 's'}`,
      separate ? second : undefined,
      options,
    );
    const result = await runCli(['data', env.config]);
    // Rows were rejected: exit 1, and the volume check accounts for every row.
    assert.equal(result.status, 1, result.stderr + result.stdout);
    assert.match(result.stdout, new RegExp(`dupes\\s.*${method.source}`));
    const d = `\`${env.destination}\``;
    const [[dupes]] = (await env.destConn.query(
      `SELECT COUNT(*) AS n, COUNT(DISTINCT code) AS codes FROM ${d}.dupes`,
    )) as [RowDataPacket[], unknown];
    assert.equal(Number(dupes?.n), 40, 'one row per distinct code is copied');
    assert.equal(Number(dupes?.codes), 40);
    const dupeLines = await rejectedLines(env.dir, 'dupes');
    assert.equal(dupeLines.length, 60, 'every other row is in the rejected file');
    assert.ok(
      dupeLines.every((l) => l.code === 'ER_DUP_ENTRY'),
      JSON.stringify(dupeLines[0]),
    );

    const [names] = (await env.destConn.query(`SELECT code FROM ${d}.names ORDER BY id`)) as [
      RowDataPacket[],
      unknown,
    ];
    assert.deepEqual(
      names.map((r) => r.code),
      ['a', 'b'],
    );
    const nameLines = await rejectedLines(env.dir, 'names');
    assert.deepEqual(nameLines.map((l) => l.values[1]).sort(), ['A', 'a ']);
    assert.match(result.stdout, /dupes\s+dupes\s+100\s+40\s+60\s+ok/);
    assert.match(result.stdout, /names\s+names\s+4\s+2\s+2\s+ok/);
    assert.match(result.stderr, /62 rows were rejected/);
    if (separate) await env.destConn.query(`DROP DATABASE ${d}`);
    await env.destConn.end();
  });
}

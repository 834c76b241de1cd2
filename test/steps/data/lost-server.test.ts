/**
 * A server that dies or stops answering while `migrate data` copies: the run must end (an error
 * the retry rules handle, or a resumed copy when the server comes back), never hang, and
 * Ctrl+C must stop it. Source and destination are two throwaway servers, so the source can be
 * killed or frozen alone.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openPlainConnection } from '../../../src/db/plain-connection.js';
import {
  findServerBinary,
  startThrowawayServer,
  type ThrowawayServer,
} from '../../../src/db/throwaway-server.js';
import { runCli } from '../../support/cli.js';

const haveBinary = findServerBinary() !== undefined;
let source: ThrowawayServer;
let destination: ThrowawayServer;

before(async () => {
  if (!haveBinary) return;
  [source, destination] = await Promise.all([startThrowawayServer(), startThrowawayServer()]);
});
after(async () => {
  await Promise.allSettled([source?.stop(), destination?.stop()]);
});

let counter = 0;

/** A keyless table of `rows` rows on the source, an empty one on the destination, and a config over both. */
async function keylessSetup(rows: number, options = '') {
  const schema = `lost_${++counter}`;
  const src = await openPlainConnection(source, { multipleStatements: true });
  await src.query(`CREATE DATABASE ${schema}; CREATE TABLE ${schema}.log_line (a INT, b VARCHAR(64)) ENGINE=InnoDB;
    INSERT INTO ${schema}.log_line SELECT seq, CONCAT('line ', seq, REPEAT('x', 40)) FROM ${schema}.seq_1_to_${rows};`);
  await src.end();
  const dst = await openPlainConnection(destination, { multipleStatements: true });
  await dst.query(
    `CREATE DATABASE ${schema}; CREATE TABLE ${schema}.log_line (a INT, b VARCHAR(64)) ENGINE=InnoDB;`,
  );
  await dst.end();
  const dir = await mkdtemp(join(tmpdir(), 'store-migrate-lost-'));
  await writeFile(join(dir, 'map.json'), '{}');
  const db = (server: ThrowawayServer) =>
    `<database host="${server.host}" port="${server.port}" user="${server.user}" password="" name="${schema}"/>`;
  const config = join(dir, 'config.xml');
  await writeFile(
    config,
    `<config><source>${db(source)}</source><destination>${db(destination)}</destination>
      <options><map_file>map.json</map_file><bulk_size>500</bulk_size>${options}</options></config>`,
  );
  return { schema, config, dir };
}

async function destinationRows(schema: string): Promise<number> {
  const conn = await openPlainConnection(destination);
  try {
    const [rows] = await conn.query<import('mysql2').RowDataPacket[]>(
      `SELECT COALESCE(SUM(rows_copied), 0) AS n FROM ${schema}.migration_progress`,
    );
    return Number(rows[0]?.n);
  } catch {
    return 0;
  } finally {
    await conn.end();
  }
}

async function waitForCopied(schema: string, rows: number) {
  for (let i = 0; i < 1200 && (await destinationRows(schema)) < rows; i++) {
    await new Promise((r) => setTimeout(r, 25));
  }
}

test('the source killed while a keyless table streams: the run retries and finishes once it is back', {
  skip: !haveBinary,
}, async () => {
  const env = await keylessSetup(300_000);
  let child: ChildProcess | undefined;
  const running = runCli(['data', env.config], { onSpawn: (c) => (child = c), timeoutMs: 90_000 });
  await waitForCopied(env.schema, 2000);
  assert.ok(child && child.exitCode === null, 'the run is still streaming when the source dies');
  await source.kill();
  await new Promise((r) => setTimeout(r, 1500));
  await source.restart();
  const result = await running;
  assert.equal(result.signal, null, `the run hung and was killed: ${result.stderr}`);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stderr, /log_line part \d+: Connection lost.*retrying/);
  const conn = await openPlainConnection(destination);
  const [rows] = await conn.query<import('mysql2').RowDataPacket[]>(
    `SELECT COUNT(*) AS n FROM ${env.schema}.log_line`,
  );
  await conn.end();
  assert.equal(Number(rows[0]?.n), 300_000);
});

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
import type { RowDataPacket } from 'mysql2';
import { openPlainConnection } from '../../../src/db/plain-connection.js';
import {
  findServerBinary,
  startThrowawayServer,
  type ThrowawayServer,
} from '../../../src/db/throwaway-server.js';
import { runCli } from '../../support/cli.js';
import { writeConfigXml } from '../../support/config-xml.js';

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

const KEYLESS = '(a INT, b VARCHAR(64))';
const KEYED = '(a INT PRIMARY KEY, b VARCHAR(64))';
let counter = 0;

/** A table `log_line` of `rows` rows on the source, an empty one on the destination, and a config over both. */
async function setup(rows: number, shape: string, options = '') {
  const schema = `lost_${++counter}`;
  const src = await openPlainConnection(source, { multipleStatements: true });
  await src.query(`CREATE DATABASE ${schema}; CREATE TABLE ${schema}.log_line ${shape};
    INSERT INTO ${schema}.log_line SELECT seq, CONCAT('line ', seq, REPEAT('x', 40)) FROM ${schema}.seq_1_to_${rows};`);
  await src.end();
  const dst = await openPlainConnection(destination, { multipleStatements: true });
  await dst.query(`CREATE DATABASE ${schema}; CREATE TABLE ${schema}.log_line ${shape};`);
  await dst.end();
  const dir = await mkdtemp(join(tmpdir(), 'store-migrate-lost-'));
  await writeFile(join(dir, 'map.json'), '{}');
  const db = (server: ThrowawayServer) => ({
    host: server.host,
    port: server.port,
    user: server.user,
    password: '',
    name: schema,
  });
  const config = await writeConfigXml(dir, {
    source: db(source),
    destination: db(destination),
    options: `<map_file>map.json</map_file><bulk_size>500</bulk_size>${options}`,
  });
  return { schema, config };
}

async function destinationValue(sql: string): Promise<number> {
  const conn = await openPlainConnection(destination);
  try {
    const [rows] = await conn.query<RowDataPacket[]>(sql);
    return Number(rows[0]?.n);
  } catch {
    return 0;
  } finally {
    await conn.end();
  }
}

/** Rows the progress store has committed so far. */
const committedRows = (schema: string) =>
  destinationValue(`SELECT COALESCE(SUM(rows_copied), 0) AS n FROM ${schema}.migration_progress`);
const destinationCount = (schema: string) => destinationValue(`SELECT COUNT(*) AS n FROM ${schema}.log_line`);

async function waitForCommitted(schema: string, rows: number) {
  for (let i = 0; i < 1200 && (await committedRows(schema)) < rows; i++) {
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Freezes the source server as a hung machine would: it keeps its connections but answers nothing. */
function freezeSource(): () => void {
  const pid = source.pid;
  assert.ok(pid, 'the source server runs');
  process.kill(pid, 'SIGSTOP');
  let thawed = false;
  const thaw = () => {
    if (thawed) return;
    thawed = true;
    process.kill(pid, 'SIGCONT');
  };
  after(thaw);
  return thaw;
}

/** Starts `migrate data` and waits until it has committed some rows. */
async function startCopy(env: { schema: string; config: string }, timeoutMs: number) {
  let child: ChildProcess | undefined;
  const running = runCli(['data', env.config], { onSpawn: (c) => (child = c), timeoutMs });
  await waitForCommitted(env.schema, 2000);
  assert.ok(child && child.exitCode === null, 'the run is still copying');
  return { running, child };
}

/**
 * Freezes the source under a running copy, waits `waitMs` and presses Ctrl+C: the run must end
 * by itself with exit 130, keeping its committed chunks. Returns how it ended.
 */
async function ctrlCOnFrozenSource(copy: Awaited<ReturnType<typeof startCopy>>, waitMs: number) {
  const thaw = freezeSource();
  await new Promise((r) => setTimeout(r, waitMs));
  assert.ok(copy.child.exitCode === null, 'the run waits on the frozen source');
  copy.child.kill('SIGINT');
  const result = await copy.running;
  thaw();
  assert.equal(result.signal, null, `the run hung and was killed: ${result.stderr}`);
  assert.equal(result.status, 130, result.stderr);
  assert.match(result.stderr, /stopped: every committed chunk is kept/);
  return result;
}

test('the source killed while a keyless table streams: the run retries and finishes once it is back', {
  skip: !haveBinary,
}, async () => {
  const env = await setup(120_000, KEYLESS);
  const { running } = await startCopy(env, 90_000);
  await source.kill();
  await new Promise((r) => setTimeout(r, 1500));
  await source.restart();
  const result = await running;
  assert.equal(result.signal, null, `the run hung and was killed: ${result.stderr}`);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stderr, /log_line part \d+: (Connection lost|.*ECONNRESET).*retrying/);
  assert.equal(await destinationCount(env.schema), 120_000);
});

test('a source that stops answering mid-copy: the statement times out, is retried, and the copy finishes once it answers again', {
  skip: !haveBinary,
}, async () => {
  const env = await setup(120_000, KEYED, '<query_timeout>2</query_timeout><stall_timeout>2</stall_timeout>');
  const { running } = await startCopy(env, 90_000);
  const thaw = freezeSource();
  await new Promise((r) => setTimeout(r, 4000));
  thaw();
  const result = await running;
  assert.equal(result.signal, null, `the run hung and was killed: ${result.stderr}`);
  assert.equal(result.status, 0, result.stderr);
  assert.match(
    result.stderr,
    /log_line part \d+: QUERY_TIMEOUT: the source server did not answer a statement within 2 s \(query_timeout\); the connection was closed.*retrying/,
  );
  assert.equal(await destinationCount(env.schema), 120_000);
});

test('Ctrl+C while a keyless stream waits on a frozen source stops the run at once with exit 130', {
  skip: !haveBinary,
}, async () => {
  // Limits far beyond the test's own timeout: only Ctrl+C can end this wait.
  const env = await setup(
    120_000,
    KEYLESS,
    '<query_timeout>600</query_timeout><stall_timeout>600</stall_timeout>',
  );
  await ctrlCOnFrozenSource(await startCopy(env, 60_000), 1500);
  assert.ok((await committedRows(env.schema)) < 120_000, 'the stream was cut short');
  // The next run starts the keyless table over and ends exact.
  const rerun = await runCli(['data', env.config]);
  assert.equal(rerun.status, 0, rerun.stderr);
  assert.equal(await destinationCount(env.schema), 120_000);
});

test('Ctrl+C while a chunk read waits on a frozen source ends the run after the grace period with exit 130', {
  skip: !haveBinary,
}, async () => {
  // query_timeout far beyond the test's own timeout: only the interrupt after Ctrl+C can end the wait.
  const env = await setup(120_000, KEYED, '<query_timeout>600</query_timeout>');
  const result = await ctrlCOnFrozenSource(await startCopy(env, 60_000), 1000);
  assert.doesNotMatch(result.stderr, /COPY_FAILED|retrying/);
  const rerun = await runCli(['data', env.config]);
  assert.equal(rerun.status, 0, rerun.stderr);
  assert.equal(await destinationCount(env.schema), 120_000);
});

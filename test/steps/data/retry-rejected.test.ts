import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import type { RowDataPacket } from 'mysql2';
import { rejectedFileName } from '../../../src/steps/data/rejected-log.js';
import { createEavEnv, valuesByCode } from '../../engine/eav-env.js';
import { runCli } from '../../support/cli.js';
import { adminConnection } from '../../support/database.js';
import { configOverSchemas } from '../../support/schema-pair-config.js';

/** Two fresh schemas, a map and a config.xml that copies through the streaming path. */
async function setup(label: string) {
  const { source, destination, config, dir, mapFile } = await configOverSchemas({
    label,
    options: '<direct_document_copy>0</direct_document_copy>',
  });
  const conn = await adminConnection();
  const s = `\`${source}\``;
  const d = `\`${destination}\``;
  const rows = async (sql: string) => (await conn.query<RowDataPacket[]>(sql))[0];
  /**
   * Table `item` (id, v) with `values` on the source, v only 5 characters wide on the destination,
   * copied once: the longer values are rejected, so the run exits 1. Returns that run.
   */
  const copyRejectingLongValues = async (values: string) => {
    await conn.query(`CREATE TABLE ${s}.item (id INT PRIMARY KEY, v VARCHAR(30))`);
    await conn.query(`CREATE TABLE ${d}.item (id INT PRIMARY KEY, v VARCHAR(5))`);
    await conn.query(`INSERT INTO ${s}.item VALUES ${values}`);
    const first = await runCli(['data', config]);
    assert.equal(first.status, 1, first.stderr);
    return first;
  };
  return { s, d, config, dir, mapFile, conn, rows, copyRejectingLongValues, rejected: join(dir, 'rejected') };
}

test('identical rows of a keyless table are retried as often as they were rejected; `a b` and `a_b` keep their own files', async () => {
  const env = await setup('retry_names');
  const { s, d, conn } = env;
  for (const [schema, width] of [
    [s, 20],
    [d, 3],
  ] as const) {
    await conn.query(`CREATE TABLE ${schema}.bag (v VARCHAR(${width})) ENGINE=InnoDB`);
    await conn.query(`CREATE TABLE ${schema}.\`a b\` (id INT PRIMARY KEY, v VARCHAR(${width}))`);
    await conn.query(`CREATE TABLE ${schema}.a_b (id INT PRIMARY KEY, v VARCHAR(${width}))`);
  }
  await conn.query(`INSERT INTO ${s}.bag VALUES ('toolong'), ('toolong'), ('toolong'), ('ok')`);
  await conn.query(`INSERT INTO ${s}.\`a b\` VALUES (1, 'from a b')`);
  await conn.query(`INSERT INTO ${s}.a_b VALUES (1, 'from a_b')`);

  const first = await runCli(['data', env.config]);
  assert.equal(first.status, 1, first.stderr);
  assert.match(first.stderr, /5 rows were rejected/);
  assert.deepEqual(readdirSync(env.rejected).sort(), ['a%20b.jsonl', 'a_b.jsonl', 'bag.jsonl']);
  assert.equal(statSync(env.rejected).mode & 0o777, 0o700);
  for (const file of readdirSync(env.rejected)) {
    assert.equal(statSync(join(env.rejected, file)).mode & 0o777, 0o600, file);
  }
  const spaced = JSON.parse((await readFile(join(env.rejected, 'a%20b.jsonl'), 'utf8')).trim());
  assert.equal(spaced.document, 'a b');
  assert.deepEqual(spaced.key, ['1']);

  for (const table of ['bag', '`a b`', 'a_b'])
    await conn.query(`ALTER TABLE ${d}.${table} MODIFY v VARCHAR(20)`);
  const retry = await runCli(['data', env.config, '--retry-rejected']);
  assert.equal(retry.status, 0, retry.stderr + retry.stdout);
  assert.match(retry.stdout, /bag: 3 rows loaded, 0 still rejected/);
  assert.deepEqual(
    (await env.rows(`SELECT v, COUNT(*) AS n FROM ${d}.bag GROUP BY v ORDER BY v`)).map((r) => [
      r.v,
      Number(r.n),
    ]),
    [
      ['ok', 1],
      ['toolong', 3],
    ],
  );
  assert.deepEqual(
    (await env.rows(`SELECT v FROM ${d}.\`a b\``)).map((r) => r.v),
    ['from a b'],
  );
  assert.deepEqual(
    (await env.rows(`SELECT v FROM ${d}.a_b`)).map((r) => r.v),
    ['from a_b'],
  );
  assert.deepEqual(readdirSync(env.rejected), []);
  await conn.end();
});

test("a retry re-reads the source's current row, runs today's map, and skips rows the source no longer has", async () => {
  const env = await setup('retry_current');
  const { s, d, conn } = env;
  const first = await env.copyRejectingLongValues(
    `(1, 'long value 1'), (2, 'long value 2'), (3, 'long value 3'), (4, 'ok'), (5, 'ok')`,
  );
  assert.match(first.stderr, /3 rows were rejected/);

  // Since: the shop changed one rejected row and deleted another; the operator widened the column
  // and added a transform.
  await conn.query(`UPDATE ${s}.item SET v = 'changed 2' WHERE id = 2`);
  await conn.query(`DELETE FROM ${s}.item WHERE id = 3`);
  await conn.query(`ALTER TABLE ${d}.item MODIFY v VARCHAR(50)`);
  await writeFile(
    env.mapFile,
    JSON.stringify({
      destination: {
        fields: { transform: [{ field: 'item.v', handler: 'addPrefix', params: { prefix: 'P:' } }] },
      },
    }),
  );
  const retry = await runCli(['data', env.config, '--retry-rejected']);
  assert.equal(retry.status, 0, retry.stderr + retry.stdout);
  assert.match(
    retry.stdout,
    /item: 2 rows loaded, 0 still rejected, 1 rows no longer in the source, skipped/,
  );
  assert.deepEqual(
    (await env.rows(`SELECT id, v FROM ${d}.item WHERE id <= 3 ORDER BY id`)).map((r) => [r.id, r.v]),
    [
      [1, 'P:long value 1'],
      [2, 'P:changed 2'],
    ],
  );
  assert.equal(existsSync(join(env.rejected, 'item.jsonl')), false);
  // The skipped row is no longer counted as rejected: the next run finds nothing left to do.
  const again = await runCli(['data', env.config]);
  assert.equal(again.status, 0, again.stderr + again.stdout);
  assert.match(again.stdout, /item\s+item\s+4\s+4\s+0\s+ok/);
  await conn.end();
});

test('rows that fail again stay in the file, with the new reason, and the rest leave it', async () => {
  const env = await setup('retry_partial');
  const { d, conn } = env;
  await env.copyRejectingLongValues(`(1, 'twelve chars'), (2, 'much longer value here'), (3, 'ok')`);
  await conn.query(`ALTER TABLE ${d}.item MODIFY v VARCHAR(12)`);
  const retry = await runCli(['data', env.config, '--retry-rejected']);
  assert.equal(retry.status, 1, retry.stderr + retry.stdout);
  assert.match(retry.stdout, /item: 1 rows loaded, 1 still rejected/);
  const file = join(env.rejected, 'item.jsonl');
  const left = (await readFile(file, 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.deepEqual(
    left.map((e) => [e.key, e.code]),
    [[['2'], 'ER_DATA_TOO_LONG']],
  );
  assert.equal(statSync(file).mode & 0o777, 0o600);
  await conn.end();
});

test('--reset archives the rejected file: a row the shop deleted since is not put back by a later retry', async () => {
  const env = await setup('retry_reset');
  const { s, d, conn } = env;
  await env.copyRejectingLongValues(`(1, 'long value 1'), (2, 'ok')`);
  await conn.query(`DELETE FROM ${s}.item WHERE id = 1`);
  const reset = await runCli(['data', env.config, '--reset', '--yes']);
  assert.equal(reset.status, 0, reset.stderr + reset.stdout);
  assert.match(reset.stderr, /rejected rows archived to .*item\.jsonl\..*\.reset/);
  const archived = readdirSync(env.rejected);
  assert.equal(archived.length, 1);
  assert.match(archived[0] ?? '', /^item\.jsonl\..*\.reset$/);

  await conn.query(`ALTER TABLE ${d}.item MODIFY v VARCHAR(30)`);
  const retry = await runCli(['data', env.config, '--retry-rejected']);
  assert.equal(retry.status, 0, retry.stderr + retry.stdout);
  assert.match(retry.stdout, /no rejected rows to retry/);
  assert.deepEqual(
    (await env.rows(`SELECT id FROM ${d}.item ORDER BY id`)).map((r) => r.id),
    [2],
  );
  await conn.end();
});

test('a torn last line is skipped with a warning; a broken line elsewhere stops the retry naming the file and line', async () => {
  const env = await setup('retry_torn');
  const { d, conn } = env;
  await env.copyRejectingLongValues(`(1, 'long value 1'), (2, 'long value 2')`);
  const file = join(env.rejected, 'item.jsonl');
  const whole = await readFile(file, 'utf8');
  const [one, two] = whole.trim().split('\n');

  await writeFile(file, `${one}\n{"document":"item","stage":"wr\n${two}\n`);
  const corrupt = await runCli(['data', env.config, '--retry-rejected']);
  assert.equal(corrupt.status, 1, corrupt.stderr);
  assert.match(corrupt.stderr, /error REJECTED_FILE_CORRUPT/);
  assert.ok(corrupt.stderr.includes(`${file}:2`), corrupt.stderr);
  assert.doesNotMatch(corrupt.stderr, /SyntaxError|\n\s+at /);
  assert.equal(await readFile(file, 'utf8'), `${one}\n{"document":"item","stage":"wr\n${two}\n`);

  await writeFile(file, whole);
  await appendFile(file, '{"document":"item","stage":"wr');
  await conn.query(`ALTER TABLE ${d}.item MODIFY v VARCHAR(30)`);
  const retry = await runCli(['data', env.config, '--retry-rejected']);
  assert.equal(retry.status, 0, retry.stderr + retry.stdout);
  assert.match(retry.stderr, /warning: .*item\.jsonl:3 .*cut short/);
  assert.match(retry.stdout, /item: 2 rows loaded, 0 still rejected/);
  assert.equal(existsSync(file), false);
  await conn.end();
});

test('--retry-rejected looks ids up in the id maps like the copy: a retried row lands on the mapped attribute', async () => {
  const env = await createEavEnv('retry_idmap', { products: 12 });
  const conn = await adminConnection();
  const values = `\`${env.destSchema}\`.catalog_product_entity_varchar`;
  try {
    // "Product 10" .. "Product 12" do not fit: rejected by the destination on the first run.
    await conn.query(`ALTER TABLE ${values} MODIFY value VARCHAR(9) NULL`);
    const first = await runCli(['data', env.configFile]);
    assert.equal(first.status, 1, `${first.stdout}\n${first.stderr}`);
    const file = join(env.dir, 'rejected', rejectedFileName('catalog_product_entity_varchar'));
    const rejected = (await readFile(file, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    assert.ok(rejected.length > 0 && rejected.every((r) => r.code === 'ER_DATA_TOO_LONG'));

    await conn.query(`ALTER TABLE ${values} MODIFY value VARCHAR(255) NULL`);
    const retry = await runCli(['data', env.configFile, '--retry-rejected']);
    assert.equal(retry.status, 0, `${retry.stdout}\n${retry.stderr}`);
    assert.match(
      retry.stdout,
      new RegExp(`catalog_product_entity_varchar: ${rejected.length} rows loaded, 0 still rejected`),
    );
    assert.equal(existsSync(file), false);
    // Every value, the retried ones included, sits on the attribute with the same code as in the source.
    assert.deepEqual(await valuesByCode(env.destSchema), await valuesByCode(env.sourceSchema));
  } finally {
    await conn.end();
  }
});

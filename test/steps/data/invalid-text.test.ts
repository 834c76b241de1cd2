/**
 * Exact or rejected: text whose bytes are not valid UTF-8 (ED A0 80, a surrogate's encoding,
 * which MariaDB's utf8mb3 stores) is never copied as U+FFFD replacement characters. The
 * streamed copies (LOAD DATA, INSERT, a keyless table's single read) and delta reject its row;
 * the direct INSERT..SELECT copies the bytes themselves. A genuine U+FFFD is copied as it is.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../../support/cli.js';
import { adminConnection } from '../../support/database.js';
import { configOverSchemas } from '../../support/schema-pair-config.js';

const INVALID = '41EDA08042'; // A, U+D800 as UTF-8 bytes, B
const TABLE = `(id INT NOT NULL, v VARCHAR(20) CHARACTER SET utf8mb3, w TEXT CHARACTER SET utf8mb4)`;
// The first rows are valid text, so a keyless stream has learnt which columns are text.
const ROWS = `(1, 'ok ✓', 'fine'), (2, x'${INVALID}', 'w2'), (3, 'x\u{FFFD}y', x'${INVALID}'), (4, 'last', NULL)`;

async function setup(label: string, options: string) {
  const { source, destination, dir, config } = await configOverSchemas({
    label,
    options: `<deltalog_file>deltalog.json</deltalog_file>${options}`,
  });
  await writeFile(join(dir, 'deltalog.json'), JSON.stringify({ documents: { t: {} } }));
  const conn = await adminConnection();
  for (const schema of [source, destination]) {
    await conn.query(
      `CREATE TABLE \`${schema}\`.t ${TABLE.replace('id INT NOT NULL', 'id INT PRIMARY KEY')}`,
    );
    await conn.query(`CREATE TABLE \`${schema}\`.k ${TABLE}`);
  }
  await conn.query(`INSERT INTO \`${source}\`.t VALUES ${ROWS}`);
  await conn.query(`INSERT INTO \`${source}\`.k VALUES ${ROWS}`);
  return { source, destination, dir, config, conn };
}

async function hexRows(conn: Awaited<ReturnType<typeof adminConnection>>, schema: string, table: string) {
  const [rows] = await conn.query(
    `SELECT id, HEX(v) AS v, HEX(w) AS w FROM \`${schema}\`.${table} ORDER BY id`,
  );
  return (rows as Array<{ id: number; v: string | null; w: string | null }>).map((r) => [r.id, r.v, r.w]);
}

const hex = (text: string) => Buffer.from(text, 'utf8').toString('hex').toUpperCase();
const EXACT = [
  [1, hex('ok ✓'), hex('fine')],
  [2, INVALID, hex('w2')],
  [3, hex('x\u{FFFD}y'), INVALID],
  [4, hex('last'), null],
];
const WITHOUT_INVALID = [EXACT[0], EXACT[3]];

for (const [name, options, loadData] of [
  ['streamed through LOAD DATA', '<direct_document_copy>0</direct_document_copy>', true],
  ['streamed through INSERT', '<direct_document_copy>0</direct_document_copy>', false],
] as const) {
  test(`invalid UTF-8 text is a rejected row, never replacement characters: ${name}, then delta`, async (t) => {
    const env = await setup(`badtext_${loadData ? 'ld' : 'ins'}`, options);
    if (!loadData) {
      await env.conn.query('SET GLOBAL local_infile = 0');
      t.after(() => env.conn.query('SET GLOBAL local_infile = 1'));
    }
    t.after(() => env.conn.end());
    const copy = await runCli(['data', env.config]);
    assert.equal(copy.status, 1, copy.stderr + copy.stdout);
    assert.match(copy.stdout, new RegExp(`\\bt\\s.*\\b${loadData ? 'load-data' : 'insert'}\\b`));
    assert.deepEqual(await hexRows(env.conn, env.destination, 't'), WITHOUT_INVALID);
    assert.deepEqual(await hexRows(env.conn, env.destination, 'k'), WITHOUT_INVALID);
    for (const table of ['t', 'k']) {
      const lines = (await readFile(join(env.dir, 'rejected', `${table}.jsonl`), 'utf8')).trim().split('\n');
      const entries = lines.map((l) => JSON.parse(l) as { code: string; error: string; values: unknown[] });
      assert.deepEqual(
        entries.map((e) => [e.code, e.values[0]]),
        [
          ['TEXT_NOT_UTF8', '2'],
          ['TEXT_NOT_UTF8', '3'],
        ],
      );
      assert.match(
        entries[0]?.error ?? '',
        new RegExp(`${table}\\.v: the bytes ${INVALID} are not valid UTF-8`),
      );
      assert.deepEqual(entries[0]?.values[1], { hex: INVALID.toLowerCase() });
    }

    // Delta re-reads changed rows: an invalid value is rejected there too, the valid change applied.
    const s = `\`${env.source}\`.t`;
    await env.conn.query(`UPDATE ${s} SET v = x'${INVALID}' WHERE id = 1`);
    await env.conn.query(`UPDATE ${s} SET w = 'changed' WHERE id = 4`);
    const delta = await runCli(['delta', env.config, '--until-caught-up', '--quiet-period', '200']);
    assert.equal(delta.status, 1, delta.stderr + delta.stdout);
    assert.match(delta.stderr, /rejected/);
    assert.deepEqual(await hexRows(env.conn, env.destination, 't'), [[4, hex('last'), hex('changed')]]);
  });
}

test('the direct INSERT..SELECT copies the bytes themselves; a keyless table is streamed and rejects them', async (t) => {
  const env = await setup('badtext_direct', '<direct_document_copy>1</direct_document_copy>');
  t.after(() => env.conn.end());
  const copy = await runCli(['data', env.config]);
  // The keyless table cannot be copied by key ranges: it is streamed, and rejects as above.
  assert.equal(copy.status, 1, copy.stderr + copy.stdout);
  assert.match(copy.stdout, /\bt\s.*insert-select/);
  assert.deepEqual(await hexRows(env.conn, env.destination, 't'), EXACT);
  assert.deepEqual(await hexRows(env.conn, env.destination, 'k'), WITHOUT_INVALID);
});

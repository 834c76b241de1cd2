/**
 * Rows kept as the server's bytes: long values (length headers of 3 and 4 bytes), NULLs in any
 * position, and the UTF-8 check that sends text which is not valid UTF-8 back to the values'
 * path, where it stays bytes (and its row is rejected, see test/steps/data/invalid-text.test.ts).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type mysql from 'mysql2/promise';
import { Database } from '../../src/db/database.js';
import { quoteIdentifier } from '../../src/db/identifiers.js';
import { loadDataChunks, rawLoadData, rawLoadDataChunks } from '../../src/db/load-data-text.js';
import { FieldKind, ROW_MARKER } from '../../src/db/raw-rows.js';
import { adminConnection, createTestSchema, databaseConfig } from '../support/database.js';

const schema = await createTestSchema('raw_rows');
let db: Database;
let admin: mysql.Connection;

before(async () => {
  admin = await adminConnection();
  await admin.query(`USE ${quoteIdentifier(schema)}`);
  db = await Database.open(await databaseConfig(schema), { side: 'source', poolSize: 1 });
});

after(async () => {
  await db?.close();
  await admin?.end();
});

test('long values, NULLs anywhere and every kind of column read back as queryArrays reads them', async () => {
  await admin.query(
    'CREATE TABLE t (id INT PRIMARY KEY, t MEDIUMTEXT, b MEDIUMBLOB, d DATETIME, j JSON, e ENUM("a","b"))',
  );
  await admin.query(
    `INSERT INTO t VALUES (1, REPEAT('é', 40000), REPEAT(x'00FF5C09', 20000), '2020-01-02 03:04:05', '{"a": [1]}', 'b'),
      (2, NULL, NULL, NULL, NULL, NULL), (3, '', '', '0000-00-00 00:00:00', '[]', 'a'), (4, REPEAT('x', 300), x'', NULL, NULL, 'a')`,
  );
  const select = 'id, t, b, d, j, e FROM t ORDER BY id';
  const raw = await db.queryRaw(`SELECT ${ROW_MARKER}, ${select}`, [], 6);
  const values = await db.queryArrays(`SELECT ${select}`);
  assert.equal(raw.length, 4);
  assert.deepEqual(raw.kinds, [
    FieldKind.Plain,
    FieldKind.Text,
    FieldKind.Bytes,
    FieldKind.Plain,
    FieldKind.Text,
    FieldKind.Text,
  ]);
  assert.ok(raw.textIsUtf8());
  assert.deepEqual(raw.values(), values);
  assert.ok(
    Buffer.concat([...rawLoadDataChunks(raw, 1000)]).equals(Buffer.concat([...loadDataChunks(values, 1000)])),
  );
});

test('text that is not valid UTF-8 is found, and stays bytes in the values', async () => {
  await admin.query('CREATE TABLE bad (id INT PRIMARY KEY, v VARCHAR(20) CHARACTER SET utf8mb3, w BLOB)');
  await admin.query("INSERT INTO bad VALUES (1, 'ok ✓', x'EDA080'), (2, x'41EDA08042', NULL)");
  const raw = await db.queryRaw(`SELECT ${ROW_MARKER}, id, v, w FROM bad ORDER BY id`, [], 3);
  assert.equal(raw.textIsUtf8(), false);
  assert.equal(rawLoadData(raw), undefined, 'checked per value: the table has a binary column');
  const textOnly = await db.queryRaw(`SELECT ${ROW_MARKER}, id, v FROM bad ORDER BY id`, [], 2);
  assert.equal(rawLoadData(textOnly), undefined, 'checked on the text made: no binary column');
  assert.ok(rawLoadData(await db.queryRaw(`SELECT ${ROW_MARKER}, id, v FROM bad WHERE id = 1`, [], 2)));
  assert.deepEqual(raw.values(), [
    ['1', 'ok ✓', Buffer.from('EDA080', 'hex')],
    ['2', Buffer.from('41EDA08042', 'hex'), null],
  ]);
  const bytesOnly = await db.queryRaw(`SELECT ${ROW_MARKER}, id, w FROM bad ORDER BY id`, [], 2);
  assert.ok(bytesOnly.textIsUtf8(), 'binary columns are not text: any bytes are fine');
});

test('an empty result has no rows', async () => {
  await admin.query('CREATE TABLE empty_t (id INT PRIMARY KEY)');
  const raw = await db.queryRaw(`SELECT ${ROW_MARKER}, id FROM empty_t`, [], 1);
  assert.equal(raw.length, 0);
  assert.deepEqual(raw.values(), []);
  assert.deepEqual([...rawLoadDataChunks(raw, 1000)], []);
});

test('the row reader takes only its own query: a failed read and the reads after it on the same connection', async () => {
  await admin.query('CREATE TABLE after_t (id INT PRIMARY KEY, v VARCHAR(10))');
  await admin.query("INSERT INTO after_t VALUES (1, 'a'), (2, NULL)");
  await assert.rejects(db.queryRaw(`SELECT ${ROW_MARKER}, id FROM no_such_table`, [], 1), /no_such_table/);
  await assert.rejects(
    db.queryRaw('SELECT id, v FROM after_t', [], 2),
    /expected the marker and 2/,
    'a select list without the marker is refused',
  );
  const raw = await db.queryRaw(`SELECT ${ROW_MARKER}, id, v FROM after_t ORDER BY id`, [], 2);
  assert.deepEqual(raw.values(), [
    ['1', 'a'],
    ['2', null],
  ]);
  // The pool has one connection: the next statements run on the connection the reader used.
  assert.deepEqual(await db.queryArrays('SELECT id, v FROM after_t ORDER BY id'), [
    ['1', 'a'],
    ['2', null],
  ]);
});

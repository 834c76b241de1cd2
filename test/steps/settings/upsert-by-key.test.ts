/** src/db/upsert-by-key.ts against a real server (it lives with the settings tests, its first user). */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { Database } from '../../../src/db/database.js';
import { type UpsertByKeyOptions, upsertByKey } from '../../../src/db/upsert-by-key.js';
import type { Value } from '../../../src/handlers/contract.js';
import { createTestSchema, databaseConfig } from '../../support/database.js';

const PACKET = 16 * 1024 * 1024;
const databases: Database[] = [];
after(async () => {
  await Promise.all(databases.map((db) => db.close()));
});

async function database(label: string, ddl: string[]): Promise<Database> {
  const schema = await createTestSchema(label);
  const db = await Database.open(await databaseConfig(schema), { side: 'destination', poolSize: 2 });
  databases.push(db);
  for (const statement of ddl) await db.execute(statement);
  return db;
}

async function rows(db: Database, table: string): Promise<Value[][]> {
  return db.queryArrays(`SELECT * FROM \`${table}\` ORDER BY 1`);
}

test('inserts missing keys, updates differing columns, leaves equal and unmentioned rows alone; a dry run only classifies', async () => {
  const db = await database('upsert_basic', [
    'CREATE TABLE store (store_id smallint unsigned PRIMARY KEY, code varchar(32), name varchar(255) NOT NULL, sort_order smallint NOT NULL DEFAULT 0)',
    "INSERT INTO store VALUES (0, 'admin', 'Admin', 0), (1, 'default', 'Old name', 0), (2, 'french', 'French', 1)",
  ]);
  const given = [
    ['1', 'default', 'Default Store View', '0'],
    ['2', 'french', 'French', '1'],
    ['3', 'german', 'Deutsch', '0'],
  ];
  const options: UpsertByKeyOptions = {
    table: 'store',
    columns: ['store_id', 'code', 'name', 'sort_order'],
    key: ['store_id'],
    types: ['smallint', 'varchar', 'varchar', 'smallint'],
    maxAllowedPacket: PACKET,
  };
  const before = await rows(db, 'store');
  const dry = await upsertByKey(db, given, { ...options, dryRun: true });
  assert.deepEqual(await rows(db, 'store'), before, 'a dry run writes nothing');
  assert.deepEqual([dry.inserted, dry.updated, dry.unchanged], [1, 1, 1]);
  assert.deepEqual(
    dry.rows.map((r) => [r.action, r.key]),
    [
      ['update', ['1']],
      ['unchanged', ['2']],
      ['insert', ['3']],
    ],
  );
  assert.deepEqual(dry.rows[0]?.changed, [
    { column: 'name', before: 'Old name', after: 'Default Store View' },
  ]);

  const real = await db.transaction((tx) => upsertByKey(tx, given, options));
  assert.deepEqual([real.inserted, real.updated, real.unchanged, real.rejected.length], [1, 1, 1, 0]);
  assert.deepEqual(await rows(db, 'store'), [
    ['0', 'admin', 'Admin', '0'],
    ['1', 'default', 'Default Store View', '0'],
    ['2', 'french', 'French', '1'],
    ['3', 'german', 'Deutsch', '0'],
  ]);
  const again = await db.transaction((tx) => upsertByKey(tx, given, options));
  assert.deepEqual([again.inserted, again.updated, again.unchanged], [0, 0, 3]);
});

test('compares values the way the column stores them, so a second run is quiet', async () => {
  const db = await database('upsert_types', [
    'CREATE TABLE t (id int PRIMARY KEY, price decimal(12,4), at datetime(3), c char(8), j longtext, f double)',
    "INSERT INTO t VALUES (1, 5.0000, '2024-01-02 03:04:05.000', 'ab', '{\"a\":1}', 0.5)",
  ]);
  const options: UpsertByKeyOptions = {
    table: 't',
    columns: ['id', 'price', 'at', 'c', 'j', 'f'],
    key: ['id'],
    types: ['int', 'decimal', 'datetime', 'char', 'json', 'double'],
    maxAllowedPacket: PACKET,
  };
  const same = await upsertByKey(db, [['1', '5.00', '2024-01-02 03:04:05', 'ab  ', '{ "a": 1 }', '0.50']], {
    ...options,
    dryRun: true,
  });
  assert.deepEqual(same.rows[0]?.action, 'unchanged');
  const different = await upsertByKey(db, [['1', '5.01', '2024-01-02 03:04:05', 'AB', '{"a":1}', '0.5']], {
    ...options,
    dryRun: true,
  });
  assert.deepEqual(
    different.rows[0]?.changed.map((c) => c.column),
    ['price', 'c'],
  );
});

test('a secondary unique key refuses the row instead of changing another one (never REPLACE)', async () => {
  const db = await database('upsert_unique', [
    'CREATE TABLE w (website_id smallint PRIMARY KEY, code varchar(32), name varchar(64), UNIQUE KEY (code))',
    "INSERT INTO w VALUES (1, 'base', 'Main'), (2, 'eu', 'EU')",
  ]);
  const options: UpsertByKeyOptions = {
    table: 'w',
    columns: ['website_id', 'code', 'name'],
    key: ['website_id'],
    maxAllowedPacket: PACKET,
  };
  const result = await db.transaction((tx) =>
    upsertByKey(
      tx,
      [
        ['3', 'base', 'Copy of main'],
        ['2', 'base', 'EU renamed'],
        ['4', 'us', 'US'],
      ],
      options,
    ),
  );
  assert.deepEqual(
    result.rejected.map((r) => [r.action, r.code, r.values[0]]),
    [
      ['update', 'ER_DUP_ENTRY', '2'],
      ['insert', 'ER_DUP_ENTRY', '3'],
    ],
  );
  assert.deepEqual([result.inserted, result.updated], [1, 0]);
  assert.deepEqual(await rows(db, 'w'), [
    ['1', 'base', 'Main'],
    ['2', 'eu', 'EU'],
    ['4', 'us', 'US'],
  ]);
});

test('composite keys, binary values, and a value too long for its column', async () => {
  const db = await database('upsert_composite', [
    'CREATE TABLE c (scope varchar(8) NOT NULL, scope_id int NOT NULL, path varchar(255) NOT NULL, value varchar(5), bin varbinary(4), config_id int AUTO_INCREMENT, PRIMARY KEY (config_id), UNIQUE KEY (scope, scope_id, path))',
    "INSERT INTO c (scope, scope_id, path, value, bin) VALUES ('default', 0, 'a', 'x', x'00ff'), ('stores', 1, 'a', 'y', NULL)",
  ]);
  const options: UpsertByKeyOptions = {
    table: 'c',
    columns: ['scope', 'scope_id', 'path', 'value', 'bin'],
    key: ['scope', 'scope_id', 'path'],
    types: ['varchar', 'int', 'varchar', 'varchar', 'varbinary'],
    maxAllowedPacket: PACKET,
  };
  const result = await db.transaction((tx) =>
    upsertByKey(
      tx,
      [
        ['default', '0', 'a', 'x', Buffer.from([0, 255])],
        ['stores', '1', 'a', 'far too long', null],
        ['stores', '2', 'a', 'z', Buffer.from([1])],
      ],
      options,
    ),
  );
  assert.deepEqual(
    result.rows.map((r) => r.action),
    ['unchanged', 'update', 'insert'],
  );
  assert.equal(result.rejected[0]?.code, 'ER_DATA_TOO_LONG');
  assert.deepEqual([result.inserted, result.updated, result.unchanged], [1, 0, 1]);
  const stored = await db.queryArrays(
    'SELECT scope, scope_id, path, value, bin FROM c ORDER BY scope, scope_id',
  );
  assert.deepEqual(stored, [
    ['default', '0', 'a', 'x', Buffer.from([0, 255])],
    ['stores', '1', 'a', 'y', null],
    ['stores', '2', 'a', 'z', Buffer.from([1])],
  ]);
});

test('two given rows with one key are a caller error', async () => {
  const db = await database('upsert_dup', ['CREATE TABLE d (id int PRIMARY KEY, v int)']);
  await assert.rejects(
    upsertByKey(
      db,
      [
        ['1', '1'],
        ['01', '2'],
      ],
      { table: 'd', columns: ['id', 'v'], key: ['id'], types: ['int', 'int'], maxAllowedPacket: PACKET },
    ),
    /rows 0 and 1 have the same key/,
  );
});

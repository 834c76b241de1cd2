import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Database } from '../../src/db/database.js';
import { driverParsedColumns } from '../../src/db/type-cast.js';
import { MigrateError } from '../../src/errors.js';
import { adminConnection, createTestSchema, databaseConfig } from '../support/database.js';

test('a session reads every type as exact text or bytes', async () => {
  const schema = await createTestSchema('types');
  const admin = await adminConnection();
  await admin.query(`
    CREATE TABLE \`${schema}\`.t (
      id BIGINT UNSIGNED PRIMARY KEY, d DECIMAL(65,30), f FLOAT, dt DATETIME(6), zd DATETIME, ts TIMESTAMP NULL,
      b BIT(64), bin VARBINARY(4), txt TEXT, j JSON, g GEOMETRY NULL, y YEAR, tm TIME, e ENUM('a','b'), s SET('x','y')
    ) CHARSET utf8mb4;
    SET SESSION sql_mode = '';
    INSERT INTO \`${schema}\`.t VALUES (18446744073709551615, '12345678901234567890123456789012345.123456789012345678901234567890',
      1.5, '2024-02-29 23:59:59.123456', '0000-00-00 00:00:00', '2024-01-01 00:00:00', b'1010', x'00ff10', 'é😀', '{"a": 1}',
      ST_GeomFromText('POINT(1 2)'), 2024, '-838:59:59', 'b', 'x,y');`);
  await admin.end();
  const db = await Database.open(await databaseConfig(schema), { side: 'source', poolSize: 1 });
  try {
    const [row] = await db.query<Record<string, unknown>>('SELECT * FROM t');
    assert.ok(row);
    assert.equal(row.id, '18446744073709551615');
    assert.equal(row.d, '12345678901234567890123456789012345.123456789012345678901234567890');
    assert.equal(row.f, '1.5');
    assert.equal(row.dt, '2024-02-29 23:59:59.123456');
    assert.equal(row.zd, '0000-00-00 00:00:00');
    assert.equal(row.ts, '2024-01-01 00:00:00');
    assert.deepEqual(row.b, Buffer.from([0, 0, 0, 0, 0, 0, 0, 10]));
    assert.deepEqual(row.bin, Buffer.from([0, 255, 16]));
    assert.equal(row.txt, 'é😀');
    assert.equal(row.j, '{"a": 1}');
    assert.ok(Buffer.isBuffer(row.g));
    assert.equal(row.y, '2024');
    assert.equal(row.tm, '-838:59:59');
    assert.equal(row.e, 'b');
    assert.equal(row.s, 'x,y');
    const [session] = await db.query<{ tz: string; mode: string }>(
      'SELECT @@time_zone AS tz, @@sql_mode AS mode',
    );
    assert.equal(session?.tz, '+00:00');
    assert.match(session?.mode ?? '', /NO_AUTO_VALUE_ON_ZERO/);
    assert.doesNotMatch(session?.mode ?? '', /NO_ZERO_DATE/);
  } finally {
    await db.close();
  }
});

test('a read-only source session refuses writes', async () => {
  const schema = await createTestSchema('ro');
  const admin = await adminConnection();
  await admin.query(`CREATE TABLE \`${schema}\`.t (id INT PRIMARY KEY)`);
  await admin.end();
  const db = await Database.open(await databaseConfig(schema), {
    side: 'source',
    poolSize: 1,
    session: { readOnly: true },
  });
  try {
    await assert.rejects(db.execute('INSERT INTO t VALUES (1)'), /READ ONLY/i);
  } finally {
    await db.close();
  }
});

test('connection problems become one clear error without the password', async () => {
  const config = await databaseConfig('no_such_database_here');
  const cases: Array<[Partial<typeof config>, string, RegExp]> = [
    [{}, 'DB_UNKNOWN_DATABASE', /has no database named no_such_database_here/],
    [{ password: 'S3cret-pw!' }, 'DB_ACCESS_DENIED', /refused the user name or password/],
    [{ port: 1 }, 'DB_UNREACHABLE', /nothing is listening/],
    [{ host: 'no-such-host.invalid' }, 'DB_UNREACHABLE', /does not resolve/],
  ];
  for (const [change, code, message] of cases) {
    const error = await Database.open({ ...config, ...change }, { side: 'destination', poolSize: 1 }).then(
      () => assert.fail('expected a connection error'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof MigrateError, String(error));
    assert.equal(error.code, code);
    assert.equal(error.exitCode, 2);
    assert.match(error.message, message);
    assert.doesNotMatch(`${error.message} ${error.hint}`, /S3cret-pw!/);
    assert.match(error.message, /destination database root@/);
  }
});

test('the bulk read without a per-value callback returns the same values as the exact read', async () => {
  const schema = await createTestSchema('parsed');
  const admin = await adminConnection();
  await admin.query(`
    CREATE TABLE \`${schema}\`.t (
      id INT UNSIGNED PRIMARY KEY, ti TINYINT, si SMALLINT, mi MEDIUMINT UNSIGNED, bi BIGINT UNSIGNED,
      d DECIMAL(65,30), dt DATETIME(6), zd DATETIME, tm TIME, b BIT(64), bin VARBINARY(4), txt TEXT,
      l1 VARCHAR(10) CHARACTER SET latin1, j JSON, e ENUM('a','b'), s SET('x','y'),
      zf INT(5) UNSIGNED ZEROFILL, zs SMALLINT ZEROFILL
    ) CHARSET utf8mb4;
    SET SESSION sql_mode = '';
    INSERT INTO \`${schema}\`.t VALUES
      (4294967295, -128, -32768, 16777215, 18446744073709551615, '-1.000000000000000000000000000001',
       '2024-02-29 23:59:59.123456', '0000-00-00 00:00:00', '-838:59:59', b'1010', x'00ff10', 'é😀', 'café',
       '{"a": 1}', 'b', 'x,y', 42, 7),
      (0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
      (1, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 1234567, 0);`);
  await admin.end();
  const db = await Database.open(await databaseConfig(schema), { side: 'source', poolSize: 1 });
  try {
    const types = [
      'int',
      'tinyint',
      'smallint',
      'mediumint',
      'bigint',
      'decimal',
      'datetime',
      'datetime',
      'time',
      'bit',
      'varbinary',
      'text',
      'varchar',
      'longtext',
      'enum',
      'set',
      'int',
      'smallint',
    ];
    const parsed = driverParsedColumns(types);
    assert.deepEqual(parsed, { integerColumns: [0, 1, 2, 3, 16, 17] });
    const sql = 'SELECT * FROM t ORDER BY id';
    const exact = await db.queryArrays(sql);
    const fast = await db.queryArraysParsed(sql, [], parsed?.integerColumns ?? []);
    assert.deepEqual(fast, exact);
    assert.equal(fast[2]?.[0], '4294967295');
    assert.equal(fast[2]?.[4], '18446744073709551615');
    // ZEROFILL columns print padded to their width, as the server sends them.
    assert.deepEqual([fast[2]?.[16], fast[2]?.[17], fast[1]?.[16]], ['00042', '00007', '1234567']);
  } finally {
    await db.close();
  }
});

test('types the driver would turn into numbers or objects are read with the exact callback', () => {
  for (const type of ['float', 'double', 'year', 'geometry', 'point', 'inet6', 'uuid', 'vector']) {
    assert.equal(driverParsedColumns(['int', type]), undefined, type);
  }
  assert.deepEqual(driverParsedColumns(['INT', 'VARCHAR', 'BIGINT']), { integerColumns: [0] });
});

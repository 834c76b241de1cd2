import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type mysql from 'mysql2/promise';
import { Database } from '../../src/db/database.js';
import type { ResultField } from '../../src/db/exact-text.js';
import { quoteIdentifier } from '../../src/db/identifiers.js';
import { rawInsertValues } from '../../src/db/insert-values-text.js';
import { loadDataChunks, rawLoadData, rawLoadDataChunks } from '../../src/db/load-data-text.js';
import { FieldKind, RawRows, ROW_MARKER } from '../../src/db/raw-rows.js';
import {
  isRowLevelError,
  loadDataSafe,
  type WriteResult,
  writeRawInsertValues,
  writeRawRows,
  writeRows,
} from '../../src/db/row-writer.js';
import { sqlLiteral } from '../../src/db/sql-literal.js';
import type { Value } from '../../src/handlers/contract.js';
import { adminConnection, createTestSchema, databaseConfig, testServer } from '../support/database.js';

type Method = 'insert' | 'load-data';
const METHODS: Method[] = ['insert', 'load-data'];

const schema = await createTestSchema('row_writer');
let db: Database;
let admin: mysql.Connection;
let maxAllowedPacket: number;

before(async () => {
  admin = await adminConnection();
  await admin.query(`USE ${quoteIdentifier(schema)}`);
  db = await Database.open(await databaseConfig(schema), { side: 'destination', poolSize: 2 });
  const [row] = await db.query<{ packet: string }>('SELECT @@max_allowed_packet AS packet');
  maxAllowedPacket = Number(row?.packet);
});

after(async () => {
  await db?.close();
  await admin?.end();
});

/**
 * Writes the rows `select` (a select list and what follows) reads, kept as the server's bytes
 * (src/db/raw-rows.ts), in one transaction: the bulk copy's way for plans that change nothing.
 */
async function writeRaw(
  table: string,
  columns: readonly string[],
  select: string,
  packet = maxAllowedPacket,
): Promise<WriteResult> {
  const raw = await db.queryRaw(`SELECT ${ROW_MARKER}, ${select}`, [], columns.length);
  const data = rawLoadData(raw);
  assert.ok(data, 'the text is valid UTF-8');
  return db.transaction((tx) =>
    writeRawRows(tx, data, { table, columns, maxAllowedPacket: packet, useLoadData: true, infiles: db }),
  );
}

/**
 * writeRaw's INSERT twin: the bytes made into INSERT tuples (insert-values-text.ts), in bodies of
 * about `bodyBytes` (small ones make several statements a chunk), written by writeRawInsertValues.
 */
async function writeRawInserts(
  table: string,
  columns: readonly string[],
  select: string,
  packet = maxAllowedPacket,
  bodyBytes?: number,
): Promise<WriteResult> {
  const raw = await db.queryRaw(`SELECT ${ROW_MARKER}, ${select}`, [], columns.length);
  const data = rawInsertValues(raw, bodyBytes);
  assert.ok(data, 'the text is valid UTF-8');
  return db.transaction((tx) =>
    writeRawInsertValues(tx, data, {
      table,
      columns,
      maxAllowedPacket: packet,
      useLoadData: true,
      infiles: db,
    }),
  );
}

/** Writes `rows` in one transaction, as the bulk copy does. */
function write(
  table: string,
  columns: readonly string[],
  rows: readonly (readonly Value[])[],
  method: Method,
  packet = maxAllowedPacket,
): Promise<WriteResult> {
  return db.transaction((tx) =>
    writeRows(tx, rows, {
      table,
      columns,
      maxAllowedPacket: packet,
      useLoadData: method === 'load-data',
      infiles: db,
    }),
  );
}

async function count(table: string): Promise<number> {
  const [row] = await db.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${quoteIdentifier(table)}`);
  return Number(row?.n);
}

describe('every type round-trips exactly', () => {
  const COLUMNS: Array<[string, string]> = [
    ['id', 'INT NOT NULL PRIMARY KEY'],
    ['ti', 'TINYINT'],
    ['tiu', 'TINYINT UNSIGNED'],
    ['si', 'SMALLINT'],
    ['siu', 'SMALLINT UNSIGNED'],
    ['mi', 'MEDIUMINT'],
    ['miu', 'MEDIUMINT UNSIGNED'],
    ['i', 'INT'],
    ['iu', 'INT UNSIGNED'],
    ['bi', 'BIGINT'],
    ['biu', 'BIGINT UNSIGNED'],
    ['dec', 'DECIMAL(65,30)'],
    ['f', 'FLOAT'],
    ['dbl', 'DOUBLE'],
    ['bt', 'BIT(64)'],
    ['b5', 'BIT(5)'],
    ['d', 'DATE'],
    ['dt', 'DATETIME(6)'],
    ['ts', 'TIMESTAMP(6) NULL'],
    ['tm', 'TIME(6)'],
    ['y', 'YEAR'],
    ['zd', 'DATE'],
    ['zdt', 'DATETIME'],
    ['c', 'CHAR(20) CHARACTER SET utf8mb4'],
    ['vc', 'VARCHAR(100) CHARACTER SET utf8mb4'],
    ['tx', 'TEXT CHARACTER SET utf8mb4'],
    ['l1', 'VARCHAR(20) CHARACTER SET latin1'],
    ['bn', 'BINARY(255)'],
    ['vb', 'VARBINARY(300)'],
    ['bl', 'BLOB'],
    ['e', "ENUM('a','b','ç')"],
    ['st', "SET('x','y','z')"],
    ['j', 'JSON'],
    ['g', 'GEOMETRY NULL'],
    ['p', 'POINT NULL'],
  ];
  const names = COLUMNS.map(([name]) => name);
  /** The select list that reads the table exactly: FLOAT's own text has only 6 digits. */
  const selectList = names
    .map((n) => (n === 'f' ? 'CAST(`f` AS DOUBLE) AS `f`' : quoteIdentifier(n)))
    .join(', ');
  const allBytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  const nasty =
    'tab\there, new\nline, cr\r, nul\0, ctrl-z\x1a, back\\slash, quotes \' " `, ? \\? ?? \\N N NULL :x \\';

  let source: Value[][];

  before(async () => {
    await admin.query(
      `CREATE TABLE src (${COLUMNS.map(([n, t]) => `${quoteIdentifier(n)} ${t}`).join(', ')}) ENGINE=InnoDB`,
    );
    await admin.query(
      "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_AUTO_VALUE_ON_ZERO', time_zone = '+00:00'",
    );
    const insert = (values: unknown[], bit: string, bit5: string, geometry: string, point: string) =>
      admin.query(
        `INSERT INTO src VALUES (${values
          .slice(0, 14)
          .map(() => '?')
          .join(',')}, ${bit}, ${bit5}, ` +
          `${values
            .slice(14)
            .map(() => '?')
            .join(',')}, ${geometry}, ${point})`,
        values,
      );
    // Columns in order, without bt, b5, g and p, which are given as SQL expressions.
    await insert(
      [
        1,
        127,
        255,
        32767,
        65535,
        8388607,
        16777215,
        2147483647,
        4294967295,
        '9223372036854775807',
        '18446744073709551615',
        '99999999999999999999999999999999999.999999999999999999999999999999',
        1.0000001,
        '1.7976931348623157e308',
        '9999-12-31',
        '9999-12-31 23:59:59.999999',
        '2038-01-19 03:14:07.999999',
        '838:59:59.000000',
        2155,
        '0000-00-00',
        '0000-00-00 00:00:00',
        'chars ä',
        'vär 😀 中文 𝄞',
        nasty,
        'café é',
        allBytes.subarray(0, 255),
        allBytes,
        Buffer.from(allBytes).reverse(),
        'ç',
        'x,z',
        '{"a": [1, "é😀"], "b": null, "c": "\\u0000"}',
      ],
      "b'1111111111111111111111111111111111111111111111111111111111111111'",
      "b'11111'",
      "ST_GeomFromText('POLYGON((0 0,10 0,10 10,0 10,0 0),(1 1,2 1,2 2,1 1))')",
      "ST_GeomFromText('POINT(1.5 -2.25)')",
    );
    await insert(
      [
        2,
        -128,
        0,
        -32768,
        0,
        -8388608,
        0,
        -2147483648,
        0,
        '-9223372036854775808',
        '0',
        '-99999999999999999999999999999999999.999999999999999999999999999999',
        16777217,
        '-2.2250738585072014e-308',
        '1000-01-01',
        '1000-01-01 00:00:00.000000',
        '1970-01-01 00:00:01.000000',
        '-838:59:59.000000',
        1901,
        '2024-02-00',
        '2024-00-15 10:00:00',
        '',
        '',
        '',
        '',
        Buffer.alloc(0),
        Buffer.alloc(0),
        Buffer.alloc(0),
        'a',
        '',
        '[]',
      ],
      "b'0'",
      "b'0'",
      "ST_GeomFromText('POINT(0 0)', 4326)",
      "ST_GeomFromText('POINT(0 0)')",
    );
    await insert(
      [
        3,
        0,
        1,
        0,
        1,
        0,
        1,
        0,
        1,
        '0',
        '1',
        '0.000000000000000000000000000001',
        0.001,
        '0.1',
        '2024-02-29',
        '2024-02-29 12:34:56.000001',
        '0000-00-00 00:00:00.000000',
        '-00:00:00.500000',
        2024,
        '0000-00-00',
        '0000-00-00 00:00:00',
        '\t\n\\',
        '?',
        'N',
        '\\N',
        Buffer.from('\\N'),
        Buffer.from('\t\n\r\0\\'),
        Buffer.from('\\'),
        'b',
        'x,y,z',
        '"\\t\\n"',
      ],
      "b'0000101001011100'",
      "b'01010'",
      "ST_GeomFromText('LINESTRING(0 0,1 1,2 1)')",
      'NULL',
    );
    await admin.query(`INSERT INTO src (id) VALUES (4)`); // NULL in every nullable column
    const rows = await db.query<Record<string, Value>>(`SELECT ${selectList} FROM src ORDER BY id`);
    source = rows.map((row) => names.map((n) => row[n] ?? null));
    await admin.query('CREATE TABLE copy_by_select LIKE src; INSERT INTO copy_by_select SELECT * FROM src');
  });

  test('the source reads as text and bytes (the test data is what it means to be)', () => {
    assert.equal(source.length, 4);
    const [first, second, , nulls] = source;
    assert.equal(first?.[names.indexOf('biu')], '18446744073709551615');
    assert.equal(second?.[names.indexOf('bi')], '-9223372036854775808');
    assert.equal(first?.[names.indexOf('f')], '1.0000001192092896');
    assert.equal(second?.[names.indexOf('f')], '16777216');
    assert.equal(first?.[names.indexOf('tx')], nasty);
    assert.deepEqual(first?.[names.indexOf('vb')], allBytes);
    assert.equal(first?.[names.indexOf('zdt')], '0000-00-00 00:00:00');
    assert.equal(first?.[names.indexOf('tm')], '838:59:59.000000');
    assert.ok(Buffer.isBuffer(first?.[names.indexOf('g')]));
    assert.deepEqual(
      nulls?.slice(1).every((v) => v === null),
      true,
    );
  });

  test('the bytes read for LOAD DATA decode to the same values and make the same text', async () => {
    const raw = await db.queryRaw(
      `SELECT ${ROW_MARKER}, ${selectList} FROM src ORDER BY id`,
      [],
      names.length,
    );
    assert.equal(raw.length, source.length);
    assert.ok(raw.textIsUtf8());
    assert.ok(rawLoadData(raw));
    assert.deepEqual(raw.values(), source);
    assert.deepEqual(raw.row(1), source[1]);
    for (const chunkBytes of [64, 256 * 1024]) {
      const fromBytes = Buffer.concat([...rawLoadDataChunks(raw, chunkBytes)]);
      assert.ok(fromBytes.equals(Buffer.concat([...loadDataChunks(source, chunkBytes)])));
    }
  });

  test('the bytes read make the INSERT tuples the values make', async () => {
    const raw = await db.queryRaw(
      `SELECT ${ROW_MARKER}, ${selectList} FROM src ORDER BY id`,
      [],
      names.length,
    );
    const tuples = source.map((row) => `(${row.map(sqlLiteral).join(',')})`);
    const whole = rawInsertValues(raw);
    assert.deepEqual(whole?.bodies, [tuples.join(',')]);
    const one = rawInsertValues(raw, 1); // a body a row
    assert.deepEqual(one?.bodies, tuples);
    assert.deepEqual(
      one?.bodyBytes,
      tuples.map((t) => Buffer.byteLength(t)),
    );
  });

  test('INSERT tuples are not made of text that is not UTF-8', () => {
    // One row, one text field of 3 bytes: a, an invalid byte, b (length-coded as the protocol sends it).
    const rows = (bytes: number[]) =>
      new RawRows(
        Buffer.from(bytes),
        Uint32Array.from([0, bytes.length]),
        1,
        [{} as ResultField],
        [FieldKind.Text],
      );
    assert.equal(rawInsertValues(rows([3, 0x61, 0xff, 0x62])), undefined);
    assert.deepEqual(rawInsertValues(rows([3, 0x61, 0x27, 0x62]))?.bodies, ["('a\\'b')"]);
  });

  for (const method of [...METHODS, 'load-data from bytes', 'insert-values from bytes'] as const) {
    test(`with ${method}`, async () => {
      const table = `dst_${method.replaceAll(/[- ]/g, '_')}`;
      await admin.query(`CREATE TABLE ${table} LIKE src`);
      const result =
        method === 'load-data from bytes'
          ? await writeRaw(table, names, `${selectList} FROM src ORDER BY id`)
          : method === 'insert-values from bytes'
            ? await writeRawInserts(table, names, `${selectList} FROM src ORDER BY id`, maxAllowedPacket, 1)
            : await write(table, names, source, method);
      assert.deepEqual(result.rejected, []);
      assert.equal(result.written, source.length);
      assert.equal(result.method, method === 'insert' ? 'insert' : 'load-data');
      assert.equal(result.fellBack, false, 'the batch went the way it was meant to, not by a fallback');

      const readBack = await db.query<Record<string, Value>>(
        `SELECT ${selectList} FROM ${table} ORDER BY id`,
      );
      assert.deepEqual(
        readBack.map((row) => names.map((n) => row[n] ?? null)),
        source,
      );

      const checksums = (await admin.query(`CHECKSUM TABLE src, copy_by_select, ${table}`))[0] as Array<{
        Checksum: string;
      }>;
      assert.equal(checksums.length, 3);
      assert.ok(checksums.every((row) => row.Checksum === checksums[0]?.Checksum && row.Checksum !== null));

      const hexOf = (n: string) => {
        const column = quoteIdentifier(n);
        if (n === 'f') return `HEX(CONCAT(CAST(${column} AS DOUBLE)))`;
        if (/INT|DECIMAL|DOUBLE|YEAR/.test(COLUMNS.find(([c]) => c === n)?.[1] ?? ''))
          return `HEX(CONCAT(${column}))`;
        return `HEX(${column})`;
      };
      const digest = async (t: string) => {
        await admin.query('SET SESSION group_concat_max_len = 16777216');
        const [rows] = (await admin.query(
          `SELECT SHA2(GROUP_CONCAT(CONCAT_WS(',', ${names.map((n) => `COALESCE(${hexOf(n)}, 'NULL')`).join(', ')}) ` +
            `ORDER BY id SEPARATOR ';'), 256) AS sha FROM ${t}`,
        )) as [Array<{ sha: string }>, unknown];
        return rows[0]?.sha;
      };
      const expected = await digest('copy_by_select');
      assert.ok(expected);
      assert.equal(await digest(table), expected);
    });
  }

  test('loadDataSafe accepts the types proven here and nothing else', () => {
    const types = COLUMNS.map(([, type]) => (type.split(/[ (]/)[0] ?? '').toLowerCase());
    assert.ok(loadDataSafe(types));
    assert.ok(loadDataSafe(['longtext', 'multipolygon', 'MEDIUMBLOB']));
    assert.equal(loadDataSafe(['int', 'inet6']), false);
    assert.equal(loadDataSafe(['uuid']), false);
  });
});

describe('rows the destination refuses', () => {
  const columns = ['id', 'sku', 'name', 'price'];
  const rowsWithThreeBadOnes = (): Value[][] => {
    const rows: Value[][] = [];
    for (let i = 1; i <= 1000; i++) rows.push([String(i), `sku-${i}`, `name ${i}`, '1.50']);
    (rows[99] as Value[])[1] = 'much-too-long-sku';
    (rows[499] as Value[])[2] = null;
    (rows[899] as Value[])[0] = '10';
    return rows;
  };
  const createTable = (table: string) =>
    admin.query(
      `CREATE TABLE ${table} (id INT PRIMARY KEY, sku VARCHAR(8) NOT NULL, name VARCHAR(40) NOT NULL, ` +
        'price DECIMAL(10,2) NULL) ENGINE=InnoDB',
    );

  for (const method of METHODS) {
    test(`are isolated and rejected with the server's reason, the other rows written (${method})`, async () => {
      const table = `rejects_${method.replace('-', '_')}`;
      await createTable(table);
      const rows = rowsWithThreeBadOnes();
      const result = await write(table, columns, rows, method);

      assert.equal(result.written, 997);
      assert.equal(result.method, method, 'a refused row does not switch the table to INSERTs');
      assert.equal(
        result.fellBack,
        method === 'load-data',
        'LOAD DATA took nothing, INSERTs wrote the batch',
      );
      assert.equal(result.loadDataRefused, false);
      assert.deepEqual(
        result.rejected.map((r) => [r.values[0], r.code, r.errno]),
        [
          ['100', 'ER_DATA_TOO_LONG', 1406],
          ['500', 'ER_BAD_NULL_ERROR', 1048],
          ['10', 'ER_DUP_ENTRY', 1062],
        ],
      );
      assert.match(result.rejected[0]?.error ?? '', /^Data too long for column 'sku' at row 1$/);
      assert.match(result.rejected[1]?.error ?? '', /^Column 'name' cannot be null$/);
      assert.match(result.rejected[2]?.error ?? '', /^Duplicate entry '10' for key 'PRIMARY'$/);
      assert.deepEqual(result.rejected[2]?.values, ['10', 'sku-900', 'name 900', '1.50']);

      assert.equal(await count(table), 997);
      const kept = await db.query<{ id: string; sku: string; name: string }>(
        `SELECT id, sku, name FROM ${table} WHERE id IN (10, 100, 500, 900) ORDER BY id`,
      );
      assert.deepEqual(kept, [{ id: '10', sku: 'sku-10', name: 'name 10' }]);
    });

    if (method === 'load-data') {
      test('are isolated and rejected the same way from the bytes read (writeRawRows)', async () => {
        await admin.query(
          'CREATE TABLE rejects_source (n INT PRIMARY KEY, id INT, sku VARCHAR(40), name VARCHAR(40), price DECIMAL(10,2))',
        );
        const rows = rowsWithThreeBadOnes();
        await admin.query('INSERT INTO rejects_source VALUES ?', [rows.map((row, i) => [i, ...row])]);
        await createTable('rejects_from_bytes');
        const result = await writeRaw(
          'rejects_from_bytes',
          columns,
          'id, sku, name, price FROM rejects_source ORDER BY n',
        );
        assert.deepEqual(
          [result.written, result.method, result.fellBack],
          [997, 'load-data', true],
          'LOAD DATA took nothing, INSERTs wrote the batch',
        );
        assert.deepEqual(
          result.rejected.map((r) => [r.values[0], r.code]),
          [
            ['100', 'ER_DATA_TOO_LONG'],
            ['500', 'ER_BAD_NULL_ERROR'],
            ['10', 'ER_DUP_ENTRY'],
          ],
        );
        assert.deepEqual(result.rejected[2]?.values, ['10', 'sku-900', 'name 900', '1.50']);
        assert.equal(await count('rejects_from_bytes'), 997);
      });

      test('are isolated and rejected the same way from the INSERT tuples of the bytes (writeRawInsertValues)', async () => {
        await createTable('rejects_from_tuples');
        // Small bodies: the statements before the refused one went in, and the savepoint takes them back.
        const result = await writeRawInserts(
          'rejects_from_tuples',
          columns,
          'id, sku, name, price FROM rejects_source ORDER BY n',
          maxAllowedPacket,
          2048,
        );
        assert.deepEqual(
          [result.written, result.method, result.fellBack],
          [997, 'load-data', true],
          'the tuples took nothing, INSERTs of the values wrote the batch',
        );
        assert.deepEqual(
          result.rejected.map((r) => [r.values[0], r.code]),
          [
            ['100', 'ER_DATA_TOO_LONG'],
            ['500', 'ER_BAD_NULL_ERROR'],
            ['10', 'ER_DUP_ENTRY'],
          ],
        );
        assert.equal(await count('rejects_from_tuples'), 997);
        const clean = await writeRawInserts(
          'rejects_from_tuples',
          columns,
          'id + 2000, sku, name, price FROM rejects_source WHERE n < 50 ORDER BY n',
          maxAllowedPacket,
          512,
        );
        assert.deepEqual([clean.written, clean.fellBack, clean.rejected.length], [50, false, 0]);
        assert.ok(clean.statements > 1, 'several statements');
        assert.equal(await count('rejects_from_tuples'), 1047);
      });

      test('a row too large for a LOAD DATA line is rejected from the bytes read too', async () => {
        await admin.query('CREATE TABLE big_source (id INT PRIMARY KEY, v LONGTEXT)');
        await admin.query(
          `INSERT INTO big_source VALUES (1, 'small'), (2, REPEAT('x', 5000)), (3, 'also small')`,
        );
        await admin.query('CREATE TABLE big_from_bytes LIKE big_source');
        const result = await writeRaw(
          'big_from_bytes',
          ['id', 'v'],
          'id, v FROM big_source ORDER BY id',
          4096,
        );
        assert.deepEqual(
          result.rejected.map((r) => [r.values[0], r.code]),
          [['2', 'ER_NET_PACKET_TOO_LARGE']],
        );
        assert.equal(await count('big_from_bytes'), 2);
      });

      test('a row too large for an INSERT is rejected from the INSERT tuples too', async () => {
        await admin.query('CREATE TABLE big_from_tuples LIKE big_source');
        const result = await writeRawInserts(
          'big_from_tuples',
          ['id', 'v'],
          'id, v FROM big_source ORDER BY id',
          4096,
        );
        assert.deepEqual(
          result.rejected.map((r) => [r.values[0], r.code]),
          [['2', 'ER_NET_PACKET_TOO_LARGE']],
        );
        assert.equal(await count('big_from_tuples'), 2);
      });
    }

    test(`a value the server would round is rejected, not rounded (${method})`, async () => {
      const table = `rounding_${method.replace('-', '_')}`;
      await createTable(table);
      const rows: Value[][] = [
        ['1', 'a', 'one', '1.25'],
        ['2', 'b', 'two', '1.005'],
        ['3', 'c', 'three', null],
      ];
      const result = await write(table, columns, rows, method);
      assert.equal(result.written, 2);
      assert.deepEqual(
        result.rejected.map((r) => [r.values[0], r.code, r.error]),
        [['2', 'WARN_DATA_TRUNCATED', "Data truncated for column 'price' at row 1"]],
      );
      assert.deepEqual(await db.query(`SELECT id, price FROM ${table} ORDER BY id`), [
        { id: '1', price: '1.25' },
        { id: '3', price: null },
      ]);
    });
  }

  test('many refused rows in one statement are all found, in order', async () => {
    await createTable('many_bad');
    const rows: Value[][] = [];
    for (let i = 1; i <= 1000; i++)
      rows.push([String(i), i % 10 === 3 ? `too-long-${i}` : `s${i}`, `n${i}`, null]);
    const result = await write('many_bad', columns, rows, 'insert');
    assert.equal(result.written, 900);
    assert.deepEqual(
      result.rejected.map((r) => r.values[0]),
      rows.filter((_, i) => (i + 1) % 10 === 3).map((r) => r[0]),
    );
    assert.ok(result.rejected.every((r) => r.code === 'ER_DATA_TOO_LONG'));
    assert.ok(result.statements < 1000, `${result.statements} statements`);
    assert.equal(await count('many_bad'), 900);
  });

  test('a row too large for any statement is rejected, the others are written', async () => {
    await admin.query('CREATE TABLE too_large (id INT PRIMARY KEY, v TEXT)');
    const rows: Value[][] = [
      ['1', 'small'],
      ['2', 'x'.repeat(10_000)],
      ['3', 'small'],
    ];
    const result = await write('too_large', ['id', 'v'], rows, 'insert', 8192);
    assert.equal(result.written, 2);
    assert.equal(result.rejected.length, 1);
    assert.equal(result.rejected[0]?.values[0], '2');
    assert.equal(result.rejected[0]?.code, 'ER_NET_PACKET_TOO_LARGE');
    assert.match(
      result.rejected[0]?.error ?? '',
      /more than max_allowed_packet \(8192 bytes\).*raise max_allowed_packet/,
    );
  });
});

describe('errors that are not about a row', () => {
  for (const method of METHODS) {
    test(`are thrown unchanged (${method})`, async () => {
      const error = await write('no_such_table', ['id'], [['1']], method).then(
        () => assert.fail('expected an error'),
        (e: unknown) => e,
      );
      assert.equal((error as { errno?: number }).errno, 1146);
      assert.equal((error as { code?: string }).code, 'ER_NO_SUCH_TABLE');
      assert.equal(isRowLevelError(error), false);
    });
  }

  test('isRowLevelError tells the row from the statement, the connection and the schema', () => {
    const dbError = (errno: number, extra: object = {}) => Object.assign(new Error('x'), { errno, ...extra });
    for (const errno of [1406, 1264, 1366, 1292, 1265, 1048, 1062, 1452, 4025, 3819]) {
      assert.equal(isRowLevelError(dbError(errno)), true, String(errno));
    }
    for (const errno of [1213, 1205, 1146, 1054, 1364, 1290, 1792, 1153, 2013]) {
      assert.equal(isRowLevelError(dbError(errno)), false, String(errno));
    }
    assert.equal(isRowLevelError(dbError(1406, { fatal: true })), false);
    assert.equal(isRowLevelError(new Error('Data too long')), false);
    assert.equal(isRowLevelError(undefined), false);
  });
});

describe('statements', () => {
  test('a batch larger than max_allowed_packet is split into several INSERTs', async () => {
    await admin.query('CREATE TABLE split (id INT PRIMARY KEY, v VARCHAR(200) NOT NULL)');
    const rows: Value[][] = Array.from({ length: 1000 }, (_, i) => [
      String(i + 1),
      `value ${i + 1} `.padEnd(100, '.'),
    ]);
    const packet = 8192;
    const { result, inserts } = await db.transaction(async (tx) => {
      const comInsert = async () => {
        const [row] = await tx.query<{ Value: string }>("SHOW SESSION STATUS LIKE 'Com_insert'");
        return Number(row?.Value);
      };
      const before = await comInsert();
      const result = await writeRows(tx, rows, {
        table: 'split',
        columns: ['id', 'v'],
        maxAllowedPacket: packet,
        useLoadData: false,
      });
      return { result, inserts: (await comInsert()) - before };
    });
    assert.equal(result.written, 1000);
    assert.deepEqual(result.rejected, []);
    const bytes = rows.reduce((sum, [id, v]) => sum + `('${id}','${v}'),`.length, 0);
    assert.ok(
      result.statements >= Math.ceil(bytes / packet),
      `${result.statements} statements for ${bytes} bytes`,
    );
    assert.ok(result.statements <= Math.ceil(bytes / (packet / 2)), `${result.statements} statements`);
    assert.equal(inserts, result.statements);
    assert.equal(await count('split'), 1000);
  });

  for (const method of METHODS) {
    test(`id 0 stays 0 in an AUTO_INCREMENT column (${method})`, async () => {
      const table = `auto_${method.replace('-', '_')}`;
      await admin.query(`CREATE TABLE ${table} (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(10))`);
      const result = await write(
        table,
        ['id', 'v'],
        [
          ['0', 'admin'],
          ['1', 'default'],
        ],
        method,
      );
      assert.equal(result.written, 2);
      assert.equal(result.method, method);
      assert.deepEqual(await db.query(`SELECT id, v FROM ${table} ORDER BY id`), [
        { id: '0', v: 'admin' },
        { id: '1', v: 'default' },
      ]);
    });
  }

  test('an empty batch sends nothing', async () => {
    const result = await write('no_such_table', ['id'], [], 'load-data');
    assert.deepEqual(result, {
      written: 0,
      rejected: [],
      method: 'insert',
      fellBack: false,
      loadDataRefused: false,
      statements: 0,
    });
  });

  test('a server without LOAD DATA LOCAL gets INSERTs, and is not asked again', async (t) => {
    if ((await testServer()).kind === 'url') {
      t.skip('switching local_infile off would disturb other users of a shared server');
      return;
    }
    await admin.query('CREATE TABLE no_local (id INT PRIMARY KEY, v VARCHAR(10))');
    // A Database of its own: the writer remembers the refusal per Database.
    const refusing = await Database.open(await databaseConfig(schema), { side: 'destination', poolSize: 1 });
    const writeOne = (row: Value[]) =>
      refusing.transaction((tx) =>
        writeRows(tx, [row], {
          table: 'no_local',
          columns: ['id', 'v'],
          maxAllowedPacket,
          useLoadData: true,
          infiles: refusing,
        }),
      );
    await admin.query('SET GLOBAL local_infile = 0');
    try {
      const first = await writeOne(['1', 'a']);
      assert.deepEqual(
        [first.written, first.method, first.fellBack, first.loadDataRefused, first.statements],
        [1, 'insert', false, true, 2],
      );
      const second = await writeOne(['2', 'b']);
      assert.deepEqual(
        [second.written, second.method, second.loadDataRefused, second.statements],
        [1, 'insert', true, 1],
      );
    } finally {
      await admin.query('SET GLOBAL local_infile = 1');
      await refusing.close();
    }
    assert.equal(await count('no_local'), 2);
  });
});

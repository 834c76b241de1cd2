import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checksum } from '../../support/checksum.js';
import { runCli } from '../../support/cli.js';
import { adminConnection } from '../../support/database.js';
import { configOverSchemas } from '../../support/schema-pair-config.js';

const TYPES_TABLE = `(
  id INT UNSIGNED NOT NULL PRIMARY KEY,
  ti TINYINT, tiu TINYINT UNSIGNED, si SMALLINT, siu SMALLINT UNSIGNED, mi MEDIUMINT, miu MEDIUMINT UNSIGNED,
  i INT, iu INT UNSIGNED, bi BIGINT, biu BIGINT UNSIGNED,
  d DECIMAL(65,30), f FLOAT, db DOUBLE, b BIT(64),
  dt DATE, dtt DATETIME(6), ts TIMESTAMP NULL DEFAULT NULL, tm TIME, y YEAR, zd DATETIME,
  c CHAR(10), vc VARCHAR(100), tx TEXT, l1 VARCHAR(50) CHARACTER SET latin1,
  bn BINARY(4), vb VARBINARY(300), bl BLOB,
  e ENUM('small','large'), st SET('a','b','c'), j JSON, g GEOMETRY NULL
) CHARSET utf8mb4`;

/** TYPES_TABLE's columns less f, db, y and g: the types read without a per-value callback. */
const PARSED_COLUMNS =
  'id, ti, tiu, si, siu, mi, miu, i, iu, bi, biu, d, b, dt, dtt, ts, tm, zd, c, vc, tx, l1, bn, vb, bl, e, st, j';

const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i)).toString('hex');

const TYPE_ROWS = `
  (1, -128, 255, -32768, 65535, -8388608, 16777215, -2147483648, 4294967295, -9223372036854775808, 18446744073709551615,
   '-99999999999999999999999999999999999.999999999999999999999999999999', 3.40282e38, 1.7976931348623157e308, b'1111111111111111111111111111111111111111111111111111111111111111',
   '1000-01-01', '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07', '-838:59:59', 1901, '0000-00-00 00:00:00',
   'fixed', 'Ünïcødé 😀 𝄞', REPEAT('long text 🙂 ', 100), 'café naïve', x'00010203', x'${ALL_BYTES}', x'${ALL_BYTES}',
   'large', 'a,c', '{"k": [1, 2.5, "x", null, true]}', ST_GeomFromText('POLYGON((0 0,10 0,10 10,0 10,0 0))')),
  (2, 127, 0, 32767, 0, 8388607, 0, 2147483647, 0, 9223372036854775807, 0,
   '0.000000000000000000000000000001', -1.17549e-38, 2.2250738585072014e-308, b'0',
   '2024-02-29', '2024-02-29 12:00:00.000001', '1970-01-01 00:00:01', '838:59:59', 2155, '2024-00-00 00:00:00',
   '', '', '', '', x'ff00ff00', x'', x'',
   'small', '', '[]', ST_GeomFromText('POINT(-1.5 2.25)')),
  (4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, '0', 1.0000001, 0.1, b'1', '2000-01-01', '2000-01-01 00:00:00', NULL, '00:00:00', 2000, NULL,
   'a', 'b', 'c', 'd', x'00000000', x'00', x'00', 'small', 'b', '{}', NULL),
  (5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, '0', 16777217, 0.30000000000000004, b'1', '2000-01-01', '2000-01-01 00:00:00', NULL, '00:00:00', 2000, NULL,
   'a', 'b', 'c', 'd', x'00000000', x'00', x'00', 'small', 'b', '{}', NULL),
  (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
   NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`;

for (const [name, options, method] of [
  [
    'streamed (LOAD DATA or INSERT)',
    '<direct_document_copy>0</direct_document_copy>',
    /every_type\s.*(load-data|insert)\s/,
  ],
  ['direct INSERT..SELECT', '<direct_document_copy>1</direct_document_copy>', /every_type\s.*insert-select/],
  [
    'parallel parts into AUTO_INCREMENT (INSERT tuples made from the bytes)',
    '<direct_document_copy>0</direct_document_copy><bulk_size>1</bulk_size><concurrency>4</concurrency><part_rows>1</part_rows><parallel_autoinc_inserts>1</parallel_autoinc_inserts>',
    /every_type\s.*(load-data|insert)\s/,
  ],
  [
    'batch INSERT in tiny chunks',
    '<direct_document_copy>0</direct_document_copy><bulk_size>1</bulk_size>',
    /every_type\s.*(load-data|insert)\s/,
  ],
] as const) {
  test(`every type round-trips exactly: ${name}`, async () => {
    const env = await configOverSchemas({ label: 'types', options });
    const conn = await adminConnection();
    await conn.query(`SET SESSION sql_mode = 'NO_ENGINE_SUBSTITUTION'`);
    const parallel = name.startsWith('parallel');
    const table = parallel ? TYPES_TABLE.replace('PRIMARY KEY', 'AUTO_INCREMENT PRIMARY KEY') : TYPES_TABLE;
    await conn.query(`CREATE TABLE \`${env.source}\`.every_type ${table}`);
    await conn.query(`CREATE TABLE \`${env.destination}\`.every_type ${table}`);
    await conn.query(`INSERT INTO \`${env.source}\`.every_type VALUES ${TYPE_ROWS}`);
    // The same without FLOAT, DOUBLE, YEAR and GEOMETRY: the streamed copy reads it without a
    // per-value callback (driverParsedColumns), so both read paths are proven.
    for (const schema of [env.source, env.destination]) {
      await conn.query(`CREATE TABLE \`${schema}\`.parsed_types LIKE \`${schema}\`.every_type`);
      await conn.query(`ALTER TABLE \`${schema}\`.parsed_types DROP f, DROP db, DROP y, DROP g`);
    }
    await conn.query(
      `INSERT INTO \`${env.source}\`.parsed_types SELECT ${PARSED_COLUMNS} FROM \`${env.source}\`.every_type`,
    );
    // The row estimates decide how many parts a table is copied in.
    await conn.query(`ANALYZE TABLE \`${env.source}\`.every_type, \`${env.source}\`.parsed_types`);
    const result = await runCli(['data', env.config]);
    assert.equal(result.status, 0, result.stderr + result.stdout);
    assert.match(result.stdout, method);
    if (parallel) {
      // Both tables have AUTO_INCREMENT (parsed_types is made LIKE every_type): their parts
      // went in by INSERTs (each chunk's mark says how).
      const [marks] = await conn.query<import('mysql2').RowDataPacket[]>(
        `SELECT document, COUNT(*) AS parts, GROUP_CONCAT(DISTINCT method) AS methods FROM \`${env.destination}\`.migration_progress GROUP BY document ORDER BY document`,
      );
      assert.deepEqual(
        marks.map((m) => [m.document, Number(m.parts) > 1, m.methods]),
        [
          ['every_type', true, 'insert'],
          ['parsed_types', true, 'insert'],
        ],
      );
    }
    for (const [table, count] of [
      ['every_type', 32],
      ['parsed_types', 28],
    ] as const) {
      const [columns] = await conn.query<import('mysql2').RowDataPacket[]>(
        `SELECT COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`,
        [env.source, table],
      );
      const names = columns.map((c) => String(c.c));
      assert.equal(names.length, count);
      const source = await checksum(conn, env.source, table, names);
      const destination = await checksum(conn, env.destination, table, names);
      assert.equal(source.rows, 5);
      assert.deepEqual(destination, source, table);
      // Column by column too, so a failure names the column.
      for (const column of names) {
        const [a] = await conn.query<import('mysql2').RowDataPacket[]>(
          `SELECT GROUP_CONCAT(IFNULL(HEX(CONCAT(\`${column}\`)), 'N') ORDER BY id) AS v FROM \`${env.source}\`.${table}`,
        );
        const [b] = await conn.query<import('mysql2').RowDataPacket[]>(
          `SELECT GROUP_CONCAT(IFNULL(HEX(CONCAT(\`${column}\`)), 'N') ORDER BY id) AS v FROM \`${env.destination}\`.${table}`,
        );
        assert.equal(b[0]?.v, a[0]?.v, `${table}.${column}`);
      }
    }
    await conn.end();
  });
}

test('composite keys, a keyless table, renames, ignores, transforms and prefixes', async () => {
  const map = {
    source: {
      documents: { rename: { old_orders: 'orders' } },
      fields: {
        ignore: ['old_orders.legacy'],
        rename: { 'old_orders.amount': 'orders.total' },
        transform: [{ field: 'old_orders.ip', handler: 'convertIp', params: { to: 'int' } }],
      },
    },
    destination: {
      fields: {
        transform: [
          { field: 'orders.channel', handler: 'setValue', params: { value: 'web' } },
          { field: 'orders.code', handler: 'addPrefix', params: { prefix: 'M1-' } },
        ],
      },
    },
  };
  for (const direct of ['0', '1']) {
    const env = await configOverSchemas({
      label: `shapes${direct}`,
      map,
      options: `<bulk_size>7</bulk_size><direct_document_copy>${direct}</direct_document_copy><source_prefix>m1_</source_prefix><dest_prefix>m2_</dest_prefix>`,
    });
    const conn = await adminConnection();
    const s = `\`${env.source}\``;
    const d = `\`${env.destination}\``;
    await conn.query(
      `CREATE TABLE ${s}.m1_link (a INT NOT NULL, b VARCHAR(20) NOT NULL, w INT, PRIMARY KEY (a, b))`,
    );
    await conn.query(
      `CREATE TABLE ${d}.m2_link (a INT NOT NULL, b VARCHAR(20) NOT NULL, w INT, PRIMARY KEY (a, b))`,
    );
    await conn.query(`CREATE TABLE ${s}.m1_nokey (v VARCHAR(20), n INT)`);
    await conn.query(`CREATE TABLE ${d}.m2_nokey (v VARCHAR(20), n INT)`);
    await conn.query(
      `CREATE TABLE ${s}.m1_old_orders (id INT PRIMARY KEY, code VARCHAR(20), amount DECIMAL(12,4), legacy INT, ip VARCHAR(15))`,
    );
    await conn.query(
      `CREATE TABLE ${d}.m2_orders (id INT PRIMARY KEY, code VARCHAR(20), total DECIMAL(12,4), ip INT UNSIGNED, channel VARCHAR(10) NOT NULL)`,
    );
    await conn.query(`CREATE TABLE ${s}.unrelated (x INT)`); // no prefix: not a document
    const link: string[] = [];
    for (let a = 1; a <= 9; a++) for (const b of ['x', 'y', 'zz', '']) link.push(`(${a}, '${b}', ${a * 10})`);
    await conn.query(`INSERT INTO ${s}.m1_link VALUES ${link.join(',')}`);
    await conn.query(
      `INSERT INTO ${s}.m1_nokey VALUES ${Array.from({ length: 30 }, (_, i) => `('v${i % 5}', ${i})`).join(',')}`,
    );
    await conn.query(
      `INSERT INTO ${s}.m1_old_orders VALUES ${Array.from({ length: 40 }, (_, i) => `(${i + 1}, 'C${i}', ${i}.1234, 7, '10.0.0.${i}')`).join(',')}`,
    );

    const result = await runCli(['data', env.config]);
    assert.equal(result.status, 0, result.stderr + result.stdout);
    assert.match(
      result.stdout,
      direct === '1' ? /link\s+.*insert-select/ : /link\s+.*\b(load-data|insert)\s/,
    );
    assert.deepEqual(
      await checksum(conn, env.destination, 'm2_link', ['a', 'b', 'w']),
      await checksum(conn, env.source, 'm1_link', ['a', 'b', 'w']),
    );
    assert.deepEqual(
      await checksum(conn, env.destination, 'm2_nokey', ['v', 'n']),
      await checksum(conn, env.source, 'm1_nokey', ['v', 'n']),
    );
    const [orders] = await conn.query<import('mysql2').RowDataPacket[]>(
      `SELECT id, code, total, ip, channel FROM ${d}.m2_orders ORDER BY id LIMIT 2`,
    );
    assert.deepEqual(
      orders.map((o) => ({ ...o })),
      [
        { id: 1, code: 'M1-C0', total: '0.1234', ip: 167772160, channel: 'web' },
        { id: 2, code: 'M1-C1', total: '1.1234', ip: 167772161, channel: 'web' },
      ],
    );
    const [count] = await conn.query<import('mysql2').RowDataPacket[]>(
      `SELECT COUNT(*) AS n FROM ${d}.m2_orders`,
    );
    assert.equal(Number(count[0]?.n), 40);
    await conn.end();
  }
});

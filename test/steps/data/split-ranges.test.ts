import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { Database } from '../../../src/db/database.js';
import type { Value } from '../../../src/handlers/contract.js';
import type { DocumentPlan } from '../../../src/mappings/plan.js';
import { type KeyRange, partCount, splitRanges } from '../../../src/steps/data/split-ranges.js';
import { adminConnection, createTestSchema, databaseConfig } from '../../support/database.js';

const schema = await createTestSchema('split');
const admin = await adminConnection();
await admin.query(`
  CREATE TABLE \`${schema}\`.ints (id INT UNSIGNED PRIMARY KEY);
  INSERT INTO \`${schema}\`.ints SELECT seq FROM \`${schema}\`.seq_101_to_1100;
  CREATE TABLE \`${schema}\`.big (id BIGINT UNSIGNED PRIMARY KEY);
  INSERT INTO \`${schema}\`.big VALUES (18446744073709551000), (18446744073709551200), (18446744073709551615);
  CREATE TABLE \`${schema}\`.pairs (a INT, b VARCHAR(8), PRIMARY KEY (a, b));
  INSERT INTO \`${schema}\`.pairs SELECT seq DIV 10, CONCAT('k', seq MOD 10) FROM \`${schema}\`.seq_0_to_999;
  CREATE TABLE \`${schema}\`.sparse (id INT PRIMARY KEY);
  INSERT INTO \`${schema}\`.sparse SELECT seq FROM \`${schema}\`.seq_1_to_999;
  INSERT INTO \`${schema}\`.sparse VALUES (10000000);
  CREATE TABLE \`${schema}\`.empty (id INT PRIMARY KEY);`);
await admin.end();
const db = await Database.open(await databaseConfig(schema), { side: 'source', poolSize: 2 });
after(() => db.close());

/** The fields splitRanges reads; the rest of a plan does not matter to it. */
function planOf(table: string, key: string[], types: string[], estimatedRows: number): DocumentPlan {
  return {
    document: table,
    destinationDocument: table,
    sourceTable: table,
    destinationTable: table,
    owner: 'data',
    sourceColumns: key,
    sourceTypes: types,
    columns: key.map((k) => ({ destination: k, source: k })),
    destinationTypes: types,
    sourceHandlers: [],
    destinationHandlers: [],
    key,
    destinationKey: key,
    sqlExpressible: true,
    estimatedRows,
    estimatedBytes: estimatedRows * 16,
  };
}

/** Rows of `table` whose key falls in `range` (start exclusive, end inclusive, as the copy reads them). */
async function rowsIn(table: string, key: string[], range: KeyRange): Promise<number> {
  const tuple = `(${key.join(', ')})`;
  const marks = `(${key.map(() => '?').join(', ')})`;
  const conditions = [
    range.start ? `${tuple} > ${marks}` : 'TRUE',
    range.end ? `${tuple} <= ${marks}` : 'TRUE',
  ];
  const bindings: Value[] = [...(range.start ?? []), ...(range.end ?? [])];
  const [row] = await db.query<{ n: string }>(
    `SELECT COUNT(*) AS n FROM ${table} WHERE ${conditions.join(' AND ')}`,
    bindings,
  );
  return Number(row?.n);
}

test('partCount: about partRows rows a range, between 1 and the concurrency', () => {
  assert.equal(partCount(50_000, 4, 100_000), 1);
  assert.equal(partCount(250_000, 4, 100_000), 2);
  assert.equal(partCount(10_000_000, 4, 100_000), 4);
  assert.equal(partCount(0, 4, 1), 1);
});

test('a single integer key splits evenly between MIN and MAX, and the ranges hold every row once', async () => {
  const ranges = await splitRanges(db, planOf('ints', ['id'], ['int'], 1000), 4, 250);
  assert.deepEqual(ranges, [
    { start: null, end: ['350'] },
    { start: ['350'], end: ['600'] },
    { start: ['600'], end: ['850'] },
    { start: ['850'], end: null },
  ]);
  const counts = await Promise.all(ranges.map((r) => rowsIn('ints', ['id'], r)));
  assert.deepEqual(counts, [250, 250, 250, 250]);
});

test('sparse integer ids (one row far out) split at row offsets, not evenly by value', async () => {
  const ranges = await splitRanges(db, planOf('sparse', ['id'], ['int'], 1000), 4, 250);
  assert.deepEqual(
    ranges.map((r) => r.end),
    [['251'], ['501'], ['751'], null],
  );
  const counts = await Promise.all(ranges.map((r) => rowsIn('sparse', ['id'], r)));
  assert.deepEqual(counts, [251, 250, 250, 249]);
});

test('a BIGINT UNSIGNED key near its maximum splits without losing precision', async () => {
  const ranges = await splitRanges(db, planOf('big', ['id'], ['bigint'], 400), 3, 100);
  assert.deepEqual(ranges, [
    { start: null, end: ['18446744073709551205'] },
    { start: ['18446744073709551205'], end: ['18446744073709551410'] },
    { start: ['18446744073709551410'], end: null },
  ]);
  const counts = await Promise.all(ranges.map((r) => rowsIn('big', ['id'], r)));
  assert.deepEqual(counts, [2, 0, 1]);
});

test('a composite key splits at row offsets, and the ranges hold every row once', async () => {
  const ranges = await splitRanges(db, planOf('pairs', ['a', 'b'], ['int', 'varchar'], 1000), 4, 250);
  assert.equal(ranges.length, 4);
  assert.deepEqual(ranges[0]?.end, ['25', 'k0']);
  const counts = await Promise.all(ranges.map((r) => rowsIn('pairs', ['a', 'b'], r)));
  assert.deepEqual(counts, [251, 250, 250, 249]);
});

test('an empty table or a small estimate is one range', async () => {
  assert.deepEqual(await splitRanges(db, planOf('empty', ['id'], ['int'], 1000), 4, 250), [
    { start: null, end: null },
  ]);
  assert.deepEqual(await splitRanges(db, planOf('ints', ['id'], ['int'], 1000), 4, 5000), [
    { start: null, end: null },
  ]);
});

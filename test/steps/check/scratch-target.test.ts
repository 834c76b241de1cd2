import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Database } from '../../../src/db/database.js';
import { openScratchTarget } from '../../../src/steps/check/scratch-target.js';
import { adminConnection, createTestSchema, databaseConfig } from '../../support/database.js';
import { createLimitedUser } from '../../support/limited-user.js';

const open = async (config: Awaited<ReturnType<typeof databaseConfig>>) =>
  Database.open(config, { side: 'destination', poolSize: 2 });

async function tables(schema: string): Promise<string[]> {
  const conn = await adminConnection();
  try {
    const [rows] = await conn.query<import('mysql2').RowDataPacket[]>(
      'SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?',
      [schema],
    );
    return rows.map((r) => String(r.t)).sort();
  } finally {
    await conn.end();
  }
}

const LONG = `t${'x'.repeat(62)}`;

test('a scratch schema on the destination server holds copies of destination tables and is dropped', async (t) => {
  const schema = await createTestSchema('scratch_schema');
  const conn = await adminConnection();
  t.after(() => conn.end());
  await conn.query(`CREATE TABLE \`${schema}\`.orders (id INT PRIMARY KEY, v DECIMAL(12,4))`);
  await conn.query(`CREATE TABLE \`${schema}\`.\`${LONG}\` (id INT PRIMARY KEY)`);
  const config = await databaseConfig(schema);
  const destination = await open(config);
  t.after(() => destination.close());
  const scratch = await openScratchTarget(config, destination, 2);
  assert.equal(scratch.kind, 'schema');
  assert.match(scratch.name, /_smplan_[0-9a-f]{6}$/);
  assert.ok(scratch.name.length <= 64);
  assert.equal(await scratch.createLike('orders'), 'orders');
  const second = await scratch.createLike(LONG, 2);
  assert.ok(second.length <= 64 && second !== LONG);
  await scratch.db.execute('INSERT INTO orders VALUES (1, 2.5)');
  assert.deepEqual(await tables(scratch.name), [second, 'orders'].sort());
  await scratch.drop();
  assert.deepEqual(await tables(scratch.name), []);
  assert.deepEqual(await tables(schema), [LONG, 'orders'].sort(), 'the destination is untouched');
});

test('a user who may not create a schema gets scratch tables inside the destination, all dropped after', async (t) => {
  const schema = await createTestSchema('scratch_prefix');
  const conn = await adminConnection();
  t.after(() => conn.end());
  await conn.query(`CREATE TABLE \`${schema}\`.orders (id INT PRIMARY KEY)`);
  await conn.query(`CREATE TABLE \`${schema}\`.\`${LONG}\` (id INT PRIMARY KEY)`);
  const user = await createLimitedUser(t, 'scratch', [`ALL ON \`${schema}\`.*`]);
  const config = { ...(await databaseConfig(schema)), ...user };
  const destination = await open(config);
  t.after(() => destination.close());

  const scratch = await openScratchTarget(config, destination, 2);
  assert.equal(scratch.kind, 'prefix');
  assert.match(scratch.fallbackReason ?? '', /denied/i);
  assert.equal(scratch.db, destination);
  const copy = await scratch.createLike('orders');
  assert.equal(copy, `${scratch.name}orders`);
  const longCopy = await scratch.createLike(LONG);
  assert.ok(longCopy.startsWith(scratch.name) && longCopy.length <= 64);
  const progress = scratch.tableName('progress');
  await destination.execute(`CREATE TABLE \`${progress}\` (id INT)`);
  assert.deepEqual(await tables(schema), [copy, longCopy, progress, LONG, 'orders'].sort());
  await scratch.drop();
  assert.deepEqual(await tables(schema), [LONG, 'orders'].sort());
  const [schemas] = await conn.query<import('mysql2').RowDataPacket[]>(
    `SELECT COUNT(*) AS n FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE '%\\_smplan\\_%'`,
  );
  assert.equal(Number(schemas[0]?.n), 0);
});

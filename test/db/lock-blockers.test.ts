/** findBlockers against real sessions: from the metadata_lock_info plugin when installed, else from the likely holders. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Database } from '../../src/db/database.js';
import { describeBlocker, findBlockers } from '../../src/db/lock-blockers.js';
import { adminConnection, createTestSchema, databaseConfig } from '../support/database.js';

async function setUp(label: string) {
  const schema = await createTestSchema(label);
  const admin = await adminConnection();
  await admin.query(`CREATE TABLE \`${schema}\`.orders (id INT PRIMARY KEY, note TEXT)`);
  await admin.query(`INSERT INTO \`${schema}\`.orders VALUES (1, 'a'), (2, 'b')`);
  await admin.query(`CREATE TABLE \`${schema}\`.customers (id INT PRIMARY KEY)`);
  await admin.end();
  const db = await Database.open(await databaseConfig(schema), { side: 'source', poolSize: 1 });
  return { schema, db };
}

test('without a lock table: an idle open transaction and a running statement on the table are listed, longest first', async () => {
  const { schema, db } = await setUp('blockers_fallback');
  const idle = await adminConnection();
  const busy = await adminConnection();
  try {
    const [[idleRow]] = await idle.query<import('mysql2').RowDataPacket[]>('SELECT CONNECTION_ID() AS id');
    const [[busyRow]] = await busy.query<import('mysql2').RowDataPacket[]>('SELECT CONNECTION_ID() AS id');
    await idle.query('BEGIN');
    await idle.query(`SELECT COUNT(*) FROM \`${schema}\`.orders`);
    const sleeping = busy.query(`SELECT SLEEP(3), id FROM \`${schema}\`.orders LIMIT 1`);
    await new Promise((r) => setTimeout(r, 1200));
    const blockers = await findBlockers(db, schema, 'orders');
    const byId = new Map(blockers.map((b) => [b.id, b]));
    assert.equal(byId.get(Number(idleRow?.id))?.evidence, 'open transaction');
    assert.equal(byId.get(Number(idleRow?.id))?.statement, null);
    const running = byId.get(Number(busyRow?.id));
    assert.equal(running?.evidence, 'running statement');
    assert.match(
      running?.statement ?? '',
      /^SELECT SLEEP\(3\), id FROM `t_blockers_fallback\S+`\.orders LIMIT 1$/,
    );
    assert.ok((running?.seconds ?? -1) >= 1);
    assert.match(
      describeBlocker(running!),
      new RegExp(`^id ${busyRow?.id} \\(root, \\d+ s\\): SELECT SLEEP`),
    );
    await sleeping;
    await idle.query('COMMIT');
    assert.deepEqual(await findBlockers(db, schema, 'orders'), []);
  } finally {
    await idle.end();
    await busy.end();
    await db.close();
  }
});

test('with MariaDB’s metadata_lock_info plugin: exactly the sessions holding the table', async (t) => {
  const admin = await adminConnection();
  try {
    await admin.query("INSTALL SONAME 'metadata_lock_info'");
  } catch (error) {
    const message = (error as Error).message;
    if (!/already|exists/i.test(message)) {
      t.skip(`the plugin cannot be installed here: ${message}`);
      await admin.end();
      return;
    }
  }
  const { schema, db } = await setUp('blockers_plugin');
  const holder = await adminConnection();
  const other = await adminConnection();
  try {
    const [[row]] = await holder.query<import('mysql2').RowDataPacket[]>('SELECT CONNECTION_ID() AS id');
    await holder.query('BEGIN');
    await holder.query(`SELECT COUNT(*) FROM \`${schema}\`.orders`);
    await other.query('BEGIN');
    await other.query(`SELECT COUNT(*) FROM \`${schema}\`.customers`); // an open transaction on another table
    const blockers = await findBlockers(db, schema, 'orders');
    assert.deepEqual(
      blockers.map((b) => [b.id, b.evidence]),
      [[Number(row?.id), 'holds the lock']],
    );
  } finally {
    await holder.query('COMMIT');
    await other.query('COMMIT');
    await holder.end();
    await other.end();
    await db.close();
    await admin.query("UNINSTALL SONAME 'metadata_lock_info'").catch(() => {});
    await admin.end();
  }
});

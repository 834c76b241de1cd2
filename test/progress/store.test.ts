import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Database } from '../../src/db/database.js';
import { ProgressStore } from '../../src/progress/store.js';
import { adminConnection, createTestSchema, databaseConfig } from '../support/database.js';

async function open(label: string): Promise<{ db: Database; schema: string }> {
  const schema = await createTestSchema(label);
  const db = await Database.open(await databaseConfig(schema), { side: 'destination', poolSize: 2 });
  return { db, schema };
}

const chunk = { lastKey: null, seconds: 0.1, method: 'insert', done: false };

test('documents whose names differ only in case have progress of their own', async () => {
  const { db } = await open('progress_case');
  try {
    const store = new ProgressStore(db, 'migrate_progress');
    await store.ensureTable();
    await store.createParts('Mixed', [{ start: null, end: null }]);
    await store.createParts('mixed', [{ start: null, end: null }]);
    await db.transaction((tx) =>
      store.advance(tx, 'Mixed', 0, { ...chunk, read: 3, copied: 3, rejected: 0 }),
    );
    assert.deepEqual(
      (await store.parts('mixed')).map((p) => [p.document, p.rowsCopied]),
      [['mixed', 0]],
    );
    assert.deepEqual(
      (await store.parts('Mixed')).map((p) => [p.document, p.rowsRead, p.rowsCopied]),
      [['Mixed', 3, 3]],
    );
    await store.clear(['mixed']);
    assert.equal((await store.parts('Mixed')).length, 1, '--reset of mixed leaves Mixed alone');
  } finally {
    await db.close();
  }
});

test('a chunk whose ledger does not add up is refused, and its transaction with it', async () => {
  const { db } = await open('progress_ledger');
  try {
    const store = new ProgressStore(db, 'migrate_progress');
    await store.ensureTable();
    await store.createParts('orders', [{ start: null, end: null }]);
    await assert.rejects(
      db.transaction((tx) => store.advance(tx, 'orders', 0, { ...chunk, read: 10, copied: 8, rejected: 1 })),
      (error: Error & { code?: string }) =>
        error.code === 'LEDGER_MISMATCH' && /read 10 rows but wrote 8/.test(error.message),
    );
    await db.transaction((tx) =>
      store.advance(tx, 'orders', 0, { ...chunk, read: 10, copied: 8, rejected: 2 }),
    );
    const [part] = await store.parts('orders');
    assert.deepEqual([part?.rowsRead, part?.rowsCopied, part?.rowsRejected], [10, 8, 2]);
    // A restart (a keyless copy begun again) zeroes the ledger instead of adding to it.
    await db.transaction((tx) => store.restart(tx, 'orders', 0));
    const [again] = await store.parts('orders');
    assert.deepEqual(
      [again?.state, again?.rowsRead, again?.rowsCopied, again?.rowsRejected],
      ['pending', 0, 0, 0],
    );
  } finally {
    await db.close();
  }
});

test('a progress table of an earlier version is upgraded in place mid-migration: the ledger is filled, names become case-exact', async () => {
  const { db, schema } = await open('progress_upgrade');
  const conn = await adminConnection();
  try {
    // The table as versions before the ledger created it, with a copy half done.
    await conn.query(`CREATE TABLE \`${schema}\`.migrate_progress (
      document VARCHAR(255) NOT NULL, part INT UNSIGNED NOT NULL, state VARCHAR(16) NOT NULL,
      range_start TEXT NULL, range_end TEXT NULL, last_key TEXT NULL,
      rows_copied BIGINT UNSIGNED NOT NULL DEFAULT 0, rows_rejected BIGINT UNSIGNED NOT NULL DEFAULT 0,
      method VARCHAR(32) NULL, seconds DECIMAL(12,3) NOT NULL DEFAULT 0, last_error TEXT NULL,
      updated_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
      PRIMARY KEY (document, part)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`);
    await conn.query(
      `INSERT INTO \`${schema}\`.migrate_progress (document, part, state, last_key, rows_copied, rows_rejected) VALUES ('Mixed', 0, 'copying', '["40"]', 38, 2)`,
    );
    const old = new ProgressStore(db, 'migrate_progress');
    // Read before any upgrade (a read-only command): the ledger is derived, names are exact.
    assert.deepEqual(
      (await old.parts('Mixed')).map((p) => p.rowsRead),
      [40],
    );
    assert.equal((await old.parts('mixed')).length, 0);

    const store = new ProgressStore(db, 'migrate_progress');
    await store.ensureTable();
    const [column] = (await conn.query(
      `SELECT COLLATION_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'migrate_progress' AND COLUMN_NAME = 'document'`,
      [schema],
    )) as unknown as [Array<{ c: string }>];
    assert.equal(column[0]?.c, 'utf8mb4_bin');
    await store.createParts('mixed', [{ start: null, end: null }]);
    const [part] = await store.parts('Mixed');
    assert.deepEqual(
      [part?.rowsRead, part?.rowsCopied, part?.rowsRejected, part?.state],
      [40, 38, 2, 'copying'],
    );
    await db.transaction((tx) =>
      store.advance(tx, 'Mixed', 0, { ...chunk, read: 5, copied: 5, rejected: 0 }),
    );
    assert.deepEqual(
      (await store.parts('Mixed')).map((p) => p.rowsRead),
      [45],
    );
    // Upgrading again changes nothing.
    await new ProgressStore(db, 'migrate_progress').ensureTable();
    assert.deepEqual(
      (await store.parts('Mixed')).map((p) => p.rowsRead),
      [45],
    );
  } finally {
    await conn.end();
    await db.close();
  }
});

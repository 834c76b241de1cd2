/**
 * Every statement has a deadline of its kind, and a read that outlives it ends with an error the
 * retry rules know, on a connection that is then dropped from the pool (the next statement works).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Database, ReadStopped } from '../../src/db/database.js';
import { isInterrupted } from '../../src/db/watched-client.js';
import { isTransient } from '../../src/steps/data/transient.js';
import { createTestSchema, databaseConfig } from '../support/database.js';

async function open(limits: { statementMs: number; bulkMs: number; stallMs: number }) {
  const schema = await createTestSchema('watched');
  return Database.open(await databaseConfig(schema), { side: 'source', poolSize: 1, limits });
}

async function failure(work: Promise<unknown>): Promise<Error> {
  return work.then(
    () => assert.fail('expected the statement to time out'),
    (error: unknown) => error as Error,
  );
}

test('an ordinary statement past query_timeout ends with QUERY_TIMEOUT; a bulk one has bulk_read_timeout', async () => {
  const db = await open({ statementMs: 300, bulkMs: 5000, stallMs: 5000 });
  try {
    const started = performance.now();
    const error = await failure(db.query('SELECT SLEEP(3)'));
    assert.ok(performance.now() - started < 2500, 'the statement was cut off at its deadline');
    assert.equal((error as { code?: string }).code, 'QUERY_TIMEOUT');
    assert.match(
      (error as { sqlMessage?: string }).sqlMessage ?? '',
      /^the source server did not answer a statement within 0.3 s \(query_timeout\); the connection was closed. If the server is busy rather than stuck, raise <query_timeout> in config.xml$/,
    );
    assert.equal(isTransient(error), true, 'the retry rules retry it');
    // The closed connection left the pool (size 1): the next statement gets a new one.
    assert.deepEqual(await db.queryArrays('SELECT 1'), [['1']]);
    // The bulk limit is the one for statements marked bulk.
    assert.deepEqual(await db.bulk.queryArrays('SELECT SLEEP(0.6)'), [['0']]);
  } finally {
    await db.close();
  }
});

test('a statement inside a transaction has the deadline too, and the transaction is rolled back', async () => {
  const db = await open({ statementMs: 300, bulkMs: 300, stallMs: 300 });
  try {
    await db.execute('CREATE TABLE t (id INT PRIMARY KEY)');
    const error = await failure(
      db.transaction(async (tx) => {
        await tx.execute('INSERT INTO t VALUES (1)');
        await tx.query('SELECT SLEEP(3)');
      }),
    );
    // The cause, not the failed ROLLBACK on the closed connection.
    assert.equal((error as { code?: string }).code, 'QUERY_TIMEOUT', String(error));
    assert.equal(isTransient(error), true, String(error));
    assert.deepEqual(await db.queryArrays('SELECT COUNT(*) FROM t'), [['0']]);
  } finally {
    await db.close();
  }
});

test('a streamed read ends with ReadStopped soon after a stop is requested, even while it waits', async () => {
  const db = await open({ statementMs: 60_000, bulkMs: 60_000, stallMs: 60_000 });
  try {
    const stop = { requested: false };
    const rows: unknown[] = [];
    setTimeout(() => {
      stop.requested = true;
    }, 300);
    const started = performance.now();
    const error = await failure(
      (async () => {
        // One row, then the server sleeps: the reader waits for the second.
        for await (const row of db.streamArrays('SELECT 1 UNION ALL SELECT SLEEP(5)', [], { stop }))
          rows.push(row);
      })(),
    );
    assert.ok(error instanceof ReadStopped, String(error));
    assert.ok(performance.now() - started < 3000, 'it did not wait for the server');
    assert.deepEqual(await db.queryArrays('SELECT 2'), [['2']]);
  } finally {
    await db.close();
  }
});

test('a streamed read that receives nothing for stall_timeout fails; a slow reader is no stall', async () => {
  const db = await open({ statementMs: 60_000, bulkMs: 60_000, stallMs: 300 });
  try {
    // Rows flow, then the server goes quiet in the middle of the result.
    const error = await failure(
      (async () => {
        for await (const _ of db.streamArrays(
          'SELECT seq, IF(seq = 50000, SLEEP(5), 0) FROM seq_1_to_60000',
        )) {
        }
      })(),
    );
    assert.equal((error as { code?: string }).code, 'QUERY_TIMEOUT', String(error));
    assert.match(
      error.message,
      /the source server sent no data for 0.3 s in the middle of a read \(stall_timeout\)/,
    );
    assert.equal(isTransient(error), true);
    // The reader takes longer over each row than stall_timeout: the server is not the one waiting.
    const rows: unknown[] = [];
    for await (const row of db.streamArrays('SELECT seq FROM seq_1_to_3')) {
      rows.push(row);
      await new Promise((r) => setTimeout(r, 700));
    }
    assert.deepEqual(rows, [['1'], ['2'], ['3']]);
  } finally {
    await db.close();
  }
});

test('interrupt ends every statement in flight at once, as an interruption', async () => {
  const db = await open({ statementMs: 60_000, bulkMs: 60_000, stallMs: 60_000 });
  try {
    const waiting = failure(db.query('SELECT SLEEP(5)'));
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(db.interrupt(), 1);
    const error = await waiting;
    assert.equal(isInterrupted(error), true, String(error));
    assert.equal(db.interrupt(), 0, 'nothing is left in flight');
    assert.deepEqual(await db.queryArrays('SELECT 3'), [['3']]);
  } finally {
    await db.close();
  }
});

/**
 * A tester's order in the new store under an id the old shop then uses too: delta names the row
 * it replaced (delta_conflict overwrite, the default) or keeps it (keep), in its summary, the
 * conflict file and `migrate status`.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { test } from 'node:test';
import { ConflictLog } from '../../../src/steps/delta/conflict-log.js';
import { runCli } from '../../support/cli.js';
import { adminConnection } from '../../support/database.js';
import { createStoreEnv } from '../../support/store-env.js';

test('delta names destination rows it did not write; keep leaves them, overwrite replaces them', async (t) => {
  const env = await createStoreEnv('delta_conflicts', { orders: 20 });
  const copied = await runCli(['data', env.configFile]);
  assert.equal(copied.status, 0, copied.stderr);
  const conn = await adminConnection();
  t.after(() => conn.end());
  const src = `\`${env.sourceSchema}\`.sales_flat_order`;
  const dst = `\`${env.destSchema}\`.sales_order`;
  const tmp = (name: string) => `\`${env.destSchema}\`.${name}`;

  /** A tester's order in the new store, then the old shop's own order under the same id. */
  const collide = async (id: number) => {
    await conn.query(`CREATE TEMPORARY TABLE ${tmp('tester')} AS SELECT * FROM ${dst} WHERE entity_id = 1`);
    await conn.query(
      `UPDATE ${tmp('tester')} SET entity_id = ?, increment_id = ?, customer_email = 'tester@example.com'`,
      [id, `T${id}`],
    );
    await conn.query(`INSERT INTO ${dst} SELECT * FROM ${tmp('tester')}`);
    await conn.query(`DROP TEMPORARY TABLE ${tmp('tester')}`);
    await conn.query(`CREATE TEMPORARY TABLE ${tmp('shop')} AS SELECT * FROM ${src} WHERE entity_id = 2`);
    await conn.query(
      `UPDATE ${tmp('shop')} SET entity_id = ?, increment_id = ?, customer_email = 'buyer@example.com'`,
      [id, `S${id}`],
    );
    await conn.query(`INSERT INTO ${src} SELECT * FROM ${tmp('shop')}`);
    await conn.query(`DROP TEMPORARY TABLE ${tmp('shop')}`);
  };
  const emailOf = async (id: number) => {
    const [rows] = await conn.query<import('mysql2').RowDataPacket[]>(
      `SELECT customer_email FROM ${dst} WHERE entity_id = ?`,
      [id],
    );
    return rows[0]?.customer_email;
  };
  const delta = () => runCli(['delta', env.configFile, '--until-caught-up', '--quiet-period', '0']);

  await collide(200001);
  const overwrite = await delta();
  assert.equal(overwrite.status, 0, overwrite.stderr);
  assert.match(
    overwrite.stderr,
    /delta found rows in the new store it had not written, under keys the old store inserted \(delta_conflict: overwrite\):\n {2}sales_flat_order: replaced 1 destination rows delta had not written \(keys 200001\); see \S+delta-conflicts\/sales_flat_order\.jsonl/,
  );
  assert.equal(await emailOf(200001), 'buyer@example.com', 'overwrite: the old shop wins, as before');

  const config = await readFile(env.configFile, 'utf8');
  await writeFile(
    env.configFile,
    config.replace('</options>', '<delta_conflict>keep</delta_conflict></options>'),
  );
  await collide(200002);
  const keep = await delta();
  assert.equal(keep.status, 0, keep.stderr);
  assert.match(
    keep.stderr,
    /\(delta_conflict: keep\):\n {2}sales_flat_order: kept 1 destination rows delta had not written \(keys 200002\)/,
  );
  assert.doesNotMatch(keep.stderr, /200001/, 'the summary names this run’s conflicts');
  assert.equal(await emailOf(200002), 'tester@example.com', 'keep: the tester’s row stays');

  const recorded = new ConflictLog(`${env.dir}/rejected`).read('sales_flat_order');
  assert.deepEqual(
    recorded.map((e) => [e.key, e.action, e.keyColumns]),
    [
      [['200001'], 'replaced', ['entity_id']],
      [['200002'], 'kept', ['entity_id']],
    ],
  );
  const status = await runCli(['status', env.configFile]);
  assert.equal(status.status, 0, status.stderr);
  assert.match(
    status.stdout,
    /delta conflicts \(rows in the new store delta had not written\):\n {2}sales_flat_order: replaced 1, kept 1 destination rows/,
  );

  // An order the old shop inserted under a fresh id is no conflict.
  await conn.query(`CREATE TEMPORARY TABLE ${tmp('fresh')} AS SELECT * FROM ${src} WHERE entity_id = 3`);
  await conn.query(`UPDATE ${tmp('fresh')} SET entity_id = 300001, increment_id = 'F300001'`);
  await conn.query(`INSERT INTO ${src} SELECT * FROM ${tmp('fresh')}`);
  const plain = await delta();
  assert.equal(plain.status, 0, plain.stderr);
  assert.doesNotMatch(plain.stderr, /had not written/);
});

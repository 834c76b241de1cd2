/**
 * Issue 12, case 6: a keyless table's interrupted copy starts over (its rows cannot be told
 * apart), and its counts must start over with it: 100 rows stopped at 40 reported 140.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RowDataPacket } from 'mysql2';
import { runCli } from '../../support/cli.js';
import { adminConnection } from '../../support/database.js';
import { configOverSchemas } from '../../support/schema-pair-config.js';

test('a keyless table stopped at 40 of 100 rows and resumed: the counters say 100 and the destination holds 100', async () => {
  const { source, destination, config } = await configOverSchemas({
    label: 'keyless',
    options: '<bulk_size>20</bulk_size>',
  });
  const conn = await adminConnection();
  const s = `\`${source}\``;
  const d = `\`${destination}\``;
  await conn.query(`CREATE TABLE ${s}.keyless (v VARCHAR(20), n INT)`);
  await conn.query(`CREATE TABLE ${d}.keyless (v VARCHAR(20), n INT)`);
  await conn.query(`INSERT INTO ${s}.keyless SELECT CONCAT('v', seq % 7), seq FROM ${s}.seq_1_to_100`);
  // The run dies on the 41st row, after two chunks of 20 committed: a trigger of the
  // destination touches a table that does not exist (an error of the statement, not the row).
  await conn.query(
    `CREATE TRIGGER ${d}.stop_at_41 BEFORE INSERT ON ${d}.keyless FOR EACH ROW
       IF NEW.n = 41 THEN INSERT INTO ${d}.no_such_table VALUES (1); END IF`,
  );
  const first = await runCli(['data', config]);
  assert.equal(first.status, 1, first.stderr + first.stdout);
  const count = async () => {
    const [rows] = await conn.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM ${d}.keyless`);
    return Number(rows[0]?.n);
  };
  assert.equal(await count(), 40, 'two chunks committed before the failure');

  await conn.query(`DROP TRIGGER ${d}.stop_at_41`);
  const resumed = await runCli(['data', config]);
  assert.equal(resumed.status, 0, resumed.stderr + resumed.stdout);
  assert.equal(await count(), 100);
  const [progress] = await conn.query<RowDataPacket[]>(
    `SELECT rows_read, rows_copied, rows_rejected, state FROM ${d}.migration_progress WHERE document = 'keyless'`,
  );
  assert.deepEqual(
    progress.map((p) => [Number(p.rows_read), Number(p.rows_copied), Number(p.rows_rejected), p.state]),
    [[100, 100, 0, 'copied']],
  );
  assert.match(resumed.stdout, /keyless\s+100\s+0\s/);
  assert.match(resumed.stdout, /volume check: all 1 documents match/);
  await conn.end();
});

/** cleanup and the destination's progress table: named and kept, dropped only with --drop-progress after asking. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../support/cli.js';
import { adminConnection } from '../support/database.js';
import { createStoreEnv } from '../support/store-env.js';

test('cleanup says the progress table stays and how to drop it; --drop-progress asks, then drops it', async (t) => {
  const env = await createStoreEnv('cli_cleanup_progress', { orders: 30 });
  const copy = await runCli(['data', env.configFile, '--only', 'sales_flat_order']);
  assert.equal(copy.status, 0, copy.stderr);

  const cleanup = await runCli(['cleanup', env.configFile]);
  assert.equal(cleanup.status, 0, cleanup.stderr);
  assert.match(
    cleanup.stdout,
    /^cleanup: the progress table migration_progress \(\d+ rows\) stays in .*: status, check and a resumed data run read it\. Once the migration is signed off, `migrate cleanup \S+config\.xml --drop-progress` removes it\.$/m,
  );

  const conn = await adminConnection();
  t.after(() => conn.end());
  const present = async () =>
    (
      await conn.query<import('mysql2').RowDataPacket[]>(
        'SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?',
        [env.destSchema, 'migration_progress'],
      )
    )[0].length > 0;

  const dry = await runCli(['cleanup', env.configFile, '--drop-progress', '--dry-run']);
  assert.equal(dry.status, 0, dry.stderr);
  assert.match(dry.stdout, /would drop the progress table migration_progress/);
  const unasked = await runCli(['cleanup', env.configFile, '--drop-progress']);
  assert.equal(unasked.status, 2, 'no terminal to ask on');
  assert.match(unasked.stderr, /CONFIRMATION_NEEDED: --drop-progress drops migration_progress \(\d+ rows\)/);
  assert.equal(await present(), true);

  const dropped = await runCli(['cleanup', env.configFile, '--drop-progress', '--yes']);
  assert.equal(dropped.status, 0, dropped.stderr);
  assert.match(dropped.stdout, /cleanup: dropped the progress table migration_progress/);
  assert.equal(await present(), false);
  const [orders] = await conn.query<import('mysql2').RowDataPacket[]>(
    `SELECT COUNT(*) AS n FROM \`${env.destSchema}\`.sales_order`,
  );
  assert.equal(Number(orders[0]?.n), env.counts.sales_flat_order, 'only the progress table went');
});

/** What `migrate data` says on a rerun: nothing to do after a finished copy, where a resume picks up, one log header per run. */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { maskSecrets } from '../../src/cli/run-header.js';
import { runCli } from '../support/cli.js';
import { adminConnection } from '../support/database.js';
import { createStoreEnv } from '../support/store-env.js';

test('a rerun says nothing to do, a resume says where it starts, each run heads the log', async (t) => {
  const env = await createStoreEnv('cli_reruns', { orders: 120 });
  const first = await runCli(['data', env.configFile]);
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stdout, /^document\s+rows\s+rejected/m);
  assert.doesNotMatch(first.stderr, /resuming/);

  const again = await runCli(['data', env.configFile]);
  assert.equal(again.status, 0, again.stderr);
  assert.match(
    again.stdout,
    /^nothing to do: every document was copied on \d{4}-\d\d-\d\dT[\d:.]+Z \(9 documents, \d+ rows\); `migrate status .*config\.xml` shows that run/m,
  );
  assert.doesNotMatch(
    again.stdout,
    /^document\s+rows\s+rejected/m,
    'the old table is not reprinted as if copied again',
  );

  const conn = await adminConnection();
  t.after(() => conn.end());
  await conn.query(
    `UPDATE \`${env.destSchema}\`.migration_progress SET state = 'copying' WHERE document = 'sales_flat_order'`,
  );
  const resumed = await runCli(['data', env.configFile]);
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.match(
    resumed.stderr,
    /^resuming from the last run \(last progress [^)]+\): 8 of 9 documents already copied, \d+ rows committed; continuing sales_flat_order from their last committed chunk$/m,
    'said without -v',
  );

  const log = await readFile(`${env.dir}/migration.log`, 'utf8');
  const headers = log.match(
    /^\S+ VERBOSE === migrate data \S+config\.xml \| store-migrate \S+ \| node v\S+ \| pid \d+ \| started \S+$/gm,
  );
  assert.equal(headers?.length, 3, log.slice(0, 500));
});

test('the log header masks an option value that looks secret', () => {
  assert.deepEqual(
    maskSecrets(['data', 'c.xml', '--db-password', 'hunter2', '--api-token=x', '--only', 'a']),
    ['data', 'c.xml', '--db-password', '***', '--api-token=***', '--only', 'a'],
  );
});

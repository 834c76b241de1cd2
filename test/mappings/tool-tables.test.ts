/**
 * The delta-log prefix hides only the change logs the tool created (their comment and shape),
 * and every table hidden is listed: a shop's own table that starts with the prefix is a
 * document like any other, and a change log of a table with an odd name (a newline) is still
 * recognised as the tool's on the next run.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { test } from 'node:test';
import { runCli } from '../support/cli.js';
import { adminConnection } from '../support/database.js';
import { resolveConfigFile } from '../support/resolve-config.js';
import { createStoreEnv, type StoreEnv } from '../support/store-env.js';

const resolveEnv = (env: StoreEnv) => resolveConfigFile(env.configFile);

test("a shop's table named with the delta-log prefix is copied; the tool's change logs are left out and listed", async (t) => {
  const env = await createStoreEnv('prefix_own', { orders: 5 });
  const conn = await adminConnection();
  t.after(() => conn.end());
  for (const schema of [env.sourceSchema, env.destSchema]) {
    await conn.query(`CREATE TABLE \`${schema}\`.m2_cl_manual (id INT PRIMARY KEY, v VARCHAR(10))`);
  }
  await conn.query(`INSERT INTO \`${env.sourceSchema}\`.m2_cl_manual VALUES (1, 'one'), (2, 'two')`);

  const before = await resolveEnv(env);
  assert.ok(
    before.plans.some((p) => p.document === 'm2_cl_manual'),
    'the shop table is a document',
  );
  assert.deepEqual(before.hidden, []);

  const copy = await runCli(['data', env.configFile]);
  assert.equal(copy.status, 0, copy.stderr + copy.stdout);
  const [rows] = await conn.query(`SELECT id, v FROM \`${env.destSchema}\`.m2_cl_manual ORDER BY id`);
  assert.deepEqual(
    (rows as Array<{ id: number; v: string }>).map((r) => [r.id, r.v]),
    [
      [1, 'one'],
      [2, 'two'],
    ],
  );

  const again = await runCli(['data', env.configFile, '--dry-run']);
  assert.equal(again.status, 0, again.stderr + again.stdout);
  // The copy installed change tracking: the next run lists the change logs it leaves out.
  assert.match(
    again.stdout,
    /left out as the tool's own: .*source m2_cl_sales_flat_order \(change log of delta tracking\)/,
  );
  assert.match(again.stdout, /m2_cl_manual\s+m2_cl_manual/);
  const after = await resolveEnv(env);
  const hiddenSource = after.hidden.filter((h) => h.side === 'source').map((h) => h.table);
  assert.deepEqual(hiddenSource.sort(), [
    'm2_cl_catalog_product_entity',
    'm2_cl_customer_address_entity',
    'm2_cl_customer_entity',
    'm2_cl_sales_flat_invoice',
    'm2_cl_sales_flat_order',
    'm2_cl_sales_flat_order_item',
  ]);

  // The tool's comment on a table of another shape does not make it the tool's.
  await conn.query(
    `CREATE TABLE \`${env.sourceSchema}\`.m2_cl_lookalike (id INT PRIMARY KEY, note TEXT) COMMENT 'store-migrate change log'`,
  );
  const lookalike = await resolveEnv(env);
  assert.ok(
    lookalike.problems.some((p) => p.code === 'SOURCE_DOCUMENT_UNMAPPED' && p.document === 'm2_cl_lookalike'),
  );
});

test("the change log of a table whose name has a newline is the tool's own on the next run", async (t) => {
  const env = await createStoreEnv('prefix_newline', { orders: 5 });
  const conn = await adminConnection();
  t.after(() => conn.end());
  for (const schema of [env.sourceSchema, env.destSchema]) {
    await conn.query(`CREATE TABLE \`${schema}\`.\`odd\nname\` (id INT PRIMARY KEY, v VARCHAR(10))`);
  }
  await conn.query(`INSERT INTO \`${env.sourceSchema}\`.\`odd\nname\` VALUES (1, 'one')`);
  const deltalog = JSON.parse(await readFile(env.deltalogFile, 'utf8'));
  deltalog.documents['odd\nname'] = {};
  await writeFile(env.deltalogFile, JSON.stringify(deltalog));

  const first = await runCli(['data', env.configFile]);
  assert.equal(first.status, 0, first.stderr + first.stdout);
  const second = await runCli(['data', env.configFile]);
  assert.equal(second.status, 0, second.stderr + second.stdout);
  assert.match(second.stdout, /source m2_cl_odd\\nname \(change log of delta tracking\)/);
  const [rows] = await conn.query(`SELECT COUNT(*) AS n FROM \`${env.destSchema}\`.\`odd\nname\``);
  assert.equal(Number((rows as Array<{ n: number }>)[0]?.n), 1);
});

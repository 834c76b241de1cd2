import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { reportValidator } from '../../report/report-schema.js';
import { runCli } from '../../support/cli.js';
import { createSchemaPair } from '../../support/schema-pair.js';
import { check } from './helpers.js';

/** customer <- orders (nullable FK) <- order_item (two-column FK to orders' unique key). */
const SCHEMA = `
  CREATE TABLE customer (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL);
  CREATE TABLE orders (
    id INT PRIMARY KEY, customer_id INT NULL, store CHAR(2) NOT NULL, number INT NOT NULL,
    UNIQUE KEY store_number (store, number),
    CONSTRAINT fk_orders_customer FOREIGN KEY (customer_id) REFERENCES customer (id)
  );
  CREATE TABLE order_item (
    id INT PRIMARY KEY, store CHAR(2) NULL, number INT NULL, sku VARCHAR(20) NOT NULL,
    CONSTRAINT fk_item_order FOREIGN KEY (store, number) REFERENCES orders (store, number)
  )`;

/** One orphan order (customer 99), one order without a customer (allowed), and a partly NULL item key (allowed). */
const ROWS = `
  INSERT INTO customer VALUES (1, 'Ann'), (2, 'Bob');
  INSERT INTO orders VALUES (10, 1, 'de', 1), (11, 99, 'de', 2), (12, NULL, 'fr', 1);
  INSERT INTO order_item VALUES (100, 'de', 1, 'a'), (101, 'de', 7, 'b'), (102, NULL, 7, 'c'), (103, 'fr', 1, 'd')`;

async function orphanedPair(label: string, options = '') {
  return createSchemaPair(label, { source: `${SCHEMA}; ${ROWS}`, destination: SCHEMA, options });
}

test('check finds orphan rows on the destination per foreign key, with examples, and exits 4 naming the child', async () => {
  const pair = await orphanedPair('orph_check');
  // The destination as a copy with foreign_key_checks=0 leaves it: the same rows, orphans included.
  await pair.sql('destination', ROWS);

  const report = await check(pair.configFile, { mode: 'count' });
  assert.deepEqual(reportValidator()(report), []);
  assert.equal(report.totals.mismatch, 0, 'every row count matches');
  assert.equal(report.status, 'mismatch', 'but the orphans make the check fail');
  const integrity = report.referentialIntegrity;
  assert.equal(integrity.constraints, 2);
  assert.equal(integrity.violated, 2);
  assert.equal(integrity.orphanRows, 2);
  const byName = new Map(integrity.checked.map((c) => [c.constraint, c]));
  const orders = byName.get('fk_orders_customer');
  assert.equal(orders?.document, 'orders');
  assert.equal(orders?.parentTable, 'customer');
  assert.equal(orders?.orphans, 1, 'the NULL customer_id is not an orphan');
  assert.deepEqual(orders?.key, ['id']);
  assert.deepEqual(orders?.examples, [{ key: ['11'], references: ['99'] }]);
  assert.match(orders?.repair ?? '', /rows of orders point at customer rows/);
  const items = byName.get('fk_item_order');
  assert.equal(items?.orphans, 1, 'a partly NULL reference is not checked (MATCH SIMPLE)');
  assert.deepEqual(items?.examples, [{ key: ['101'], references: ['de', '7'] }]);

  const cli = await runCli(['check', pair.configFile, '--json', join(pair.dir, 'check.json')]);
  assert.equal(cli.status, 4, cli.stderr);
  const out = cli.stdout + cli.stderr;
  assert.match(out, /referential integrity: 2 orphan rows in 2 of 2 foreign keys/);
  assert.match(out, /orders \(customer_id\) -> customer \(id\) \[fk_orders_customer\]: 1 orphan rows/);
  assert.match(out, /e\.g\. 11 -> 99/);
  assert.match(out, /--reset --only orders/);
  const written = JSON.parse(await readFile(join(pair.dir, 'check.json'), 'utf8'));
  assert.equal(written.referentialIntegrity.orphanRows, 2);
});

test('a destination whose foreign keys hold passes the referential check', async () => {
  const pair = await orphanedPair('orph_clean');
  await pair.sql('source', 'DELETE FROM orders WHERE id = 11; DELETE FROM order_item WHERE id = 101');
  await pair.sql(
    'destination',
    `${ROWS}; DELETE FROM orders WHERE id = 11; DELETE FROM order_item WHERE id = 101`,
  );
  const report = await check(pair.configFile, { mode: 'deep' });
  assert.equal(report.status, 'ok');
  assert.equal(report.referentialIntegrity.constraints, 2);
  assert.equal(report.referentialIntegrity.orphanRows, 0);
  const cli = await runCli(['check', pair.configFile]);
  assert.equal(cli.status, 0, cli.stderr);
  assert.match(cli.stdout + cli.stderr, /referential integrity: 2 foreign keys verified, no orphan rows/);
});

test('the integrity stage warns about source orphans by default and copies them as they are', async () => {
  const pair = await orphanedPair('orph_src_warn');
  const dry = await runCli(['data', pair.configFile, '--dry-run']);
  assert.equal(dry.status, 0, dry.stderr);
  const out = dry.stdout + dry.stderr;
  assert.match(
    out,
    /warning SOURCE_ORPHAN_ROWS: 1 source rows of orders break foreign key fk_orders_customer/,
  );
  assert.match(out, /e\.g\. id 11 -> 99/);
  assert.match(
    out,
    /SOURCE_ORPHAN_ROWS: 1 source rows of order_item break foreign key fk_item_order: .*e\.g\. id 101 -> \(de, 7\)/,
  );

  const run = await runCli(['data', pair.configFile]);
  assert.equal(run.status, 0, run.stderr);
  const checked = await runCli(['check', pair.configFile]);
  assert.equal(checked.status, 4, 'the copied orphans break the destination too, and check says so');
});

test('<source_orphans>error</source_orphans> stops before anything is copied', async () => {
  const pair = await orphanedPair('orph_src_err', '<source_orphans>error</source_orphans>');
  const run = await runCli(['data', pair.configFile]);
  assert.equal(run.status, 3, run.stderr);
  assert.match(run.stdout + run.stderr, /error {3}SOURCE_ORPHAN_ROWS: 1 source rows of orders/);
  const report = await check(pair.configFile, { mode: 'count' });
  assert.equal(report.totals.destinationRows, 0, 'nothing was copied');
});

test('<source_orphans>off</source_orphans> does not look at the source rows', async () => {
  const pair = await orphanedPair('orph_src_off', '<source_orphans>off</source_orphans>');
  const dry = await runCli(['data', pair.configFile, '--dry-run']);
  assert.equal(dry.status, 0, dry.stderr);
  assert.match(dry.stdout, /integrity check: no problems/);
});

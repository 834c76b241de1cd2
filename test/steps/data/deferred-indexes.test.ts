/**
 * Issue 16's deferred indexes: the copy drops a destination table's plain secondary indexes and
 * builds them again afterwards, exactly as they were; the indexes rows and constraints depend on
 * stay; a run that dies in between leaves a record, and the next run builds them.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import type { RowDataPacket } from 'mysql2';
import { Database } from '../../../src/db/database.js';
import { indexClauses } from '../../../src/db/secondary-indexes.js';
import type { DocumentPlan } from '../../../src/mappings/plan.js';
import { DeferredIndexStore } from '../../../src/progress/deferred-index-store.js';
import { ProgressStore } from '../../../src/progress/store.js';
import { requireCopied } from '../../../src/steps/cutover/readiness.js';
import { runCli } from '../../support/cli.js';
import { adminConnection, databaseConfig } from '../../support/database.js';
import { configAs, createLimitedUser } from '../../support/limited-user.js';
import { createSchemaPair, type SchemaPair } from '../../support/schema-pair.js';

const ORDERS = `CREATE TABLE orders (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT,
  code VARCHAR(20) NOT NULL,
  customer_id INT UNSIGNED NULL,
  status VARCHAR(32) NULL,
  status_ref VARCHAR(32) NULL,
  email VARCHAR(255) NULL,
  created_at DATETIME NULL,
  note TEXT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_code (code),
  KEY ix_customer (customer_id),
  KEY ix_status (status),
  KEY ix_status_ref (status_ref),
  KEY \`ix\`\`odd name\` (email(10)) COMMENT 'prefix, odd name',
  KEY ix_multi (status, created_at DESC),
  KEY ix_created (created_at),
  FULLTEXT KEY ft_note (note)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`;

/** The destination adds the constraints: orders leans on customers, shipments lean on orders.status_ref. */
const DESTINATION = `
  CREATE TABLE customers (id INT UNSIGNED NOT NULL PRIMARY KEY) ENGINE=InnoDB;
  ${ORDERS};
  ALTER TABLE orders ADD CONSTRAINT fk_customer FOREIGN KEY (customer_id) REFERENCES customers (id);
  CREATE TABLE shipments (id INT UNSIGNED NOT NULL PRIMARY KEY, order_status_ref VARCHAR(32) NULL,
    CONSTRAINT fk_status_ref FOREIGN KEY (order_status_ref) REFERENCES orders (status_ref)) ENGINE=InnoDB`;

/** 3,000 orders; two share the code 'dup', which the destination's unique key refuses. */
const SOURCE = `
  CREATE TABLE customers (id INT UNSIGNED NOT NULL PRIMARY KEY) ENGINE=InnoDB;
  ${ORDERS.replace('UNIQUE KEY uq_code (code)', 'KEY uq_code (code)')};
  CREATE TABLE shipments (id INT UNSIGNED NOT NULL PRIMARY KEY, order_status_ref VARCHAR(32) NULL) ENGINE=InnoDB;
  INSERT INTO customers SELECT seq FROM seq_1_to_50;
  INSERT INTO orders (id, code, customer_id, status, status_ref, email, created_at, note)
    SELECT seq, IF(seq IN (7, 8), 'dup', CONCAT('o', seq)), 1 + seq % 50, ELT(1 + seq % 3, 'new', 'paid', 'sent'),
           CONCAT('r', seq % 10), CONCAT('buyer', seq, '@example.com'), '2026-01-01' + INTERVAL seq MINUTE,
           IF(seq % 4 = 0, NULL, CONCAT('note ', seq))
      FROM seq_1_to_3000;
  ANALYZE TABLE orders`;

const DEFERRED = ['ix_status', 'ix`odd name', 'ix_multi', 'ix_created'];

/** SHOW CREATE TABLE's lines, sorted: an index built again comes after the ones that stayed. */
async function showCreate(schema: string, table: string): Promise<string> {
  const conn = await adminConnection();
  try {
    const [rows] = await conn.query<RowDataPacket[]>(`SHOW CREATE TABLE \`${schema}\`.\`${table}\``);
    const text = String(rows[0]?.['Create Table']).replace(/ AUTO_INCREMENT=\d+/, '');
    return text
      .split('\n')
      .map((line) => line.replace(/,$/, ''))
      .sort()
      .join('\n');
  } finally {
    await conn.end();
  }
}

async function recorded(pair: SchemaPair): Promise<string[]> {
  const conn = await adminConnection();
  try {
    const [rows] = await conn.query<RowDataPacket[]>(
      `SELECT index_name FROM \`${pair.destSchema}\`.migration_progress_indexes ORDER BY index_name`,
    );
    return rows.map((r) => String(r.index_name));
  } finally {
    await conn.end();
  }
}

async function pair(label: string, options: string): Promise<SchemaPair> {
  return createSchemaPair(label, { source: SOURCE, destination: DESTINATION, options });
}

test('SHOW CREATE TABLE index lines are read back by name, quoting and all', () => {
  const text = [
    'CREATE TABLE `t` (',
    '  `a` int(11) DEFAULT NULL,',
    '  PRIMARY KEY (`a`),',
    '  UNIQUE KEY `u` (`a`),',
    "  KEY `x``y` (`a`(10)) COMMENT 'c',",
    '  KEY `m` (`a`,`b` DESC),',
    '  FULLTEXT KEY `f` (`c`),',
    '  CONSTRAINT `fk` FOREIGN KEY (`a`) REFERENCES `p` (`a`)',
    ') ENGINE=InnoDB',
  ].join('\n');
  assert.deepEqual(indexClauses(text), [
    { name: 'x`y', clause: "KEY `x``y` (`a`(10)) COMMENT 'c'" },
    { name: 'm', clause: 'KEY `m` (`a`,`b` DESC)' },
  ]);
});

test('the copy defers the plain secondary indexes and builds them again exactly; unique and foreign-key indexes stay and still work', async () => {
  const env = await pair(
    'defer_idx',
    '<defer_indexes_min_rows>1000</defer_indexes_min_rows><bulk_size>500</bulk_size>',
  );
  const before = await showCreate(env.destSchema, 'orders');
  const result = await runCli(['data', env.configFile, '-v']);
  // The duplicate code is refused by the unique key, which stayed: exit 1 with one rejected row.
  assert.equal(result.status, 1, result.stderr);
  const output = result.stdout + result.stderr;
  const deferredLine =
    /orders: 4 secondary index\(es\) of orders deferred until its copy is done \((.*)\)/.exec(output);
  assert.ok(deferredLine, output);
  assert.deepEqual(deferredLine[1]?.split(', ').sort(), [...DEFERRED].sort());
  assert.match(output, /orders: 4 index\(es\) of orders built in/);
  assert.equal(await showCreate(env.destSchema, 'orders'), before, 'every index is back as it was');
  assert.deepEqual(await recorded(env), [], 'nothing is left to rebuild');
  const rejected = await readFile(join(env.dir, 'rejected', 'orders.jsonl'), 'utf8');
  assert.equal(rejected.trim().split('\n').length, 1);
  assert.match(rejected, /"dup"/);
  // Small documents keep their indexes (customers, shipments: below the threshold).
  assert.doesNotMatch(output, /index\(es\) of (customers|shipments)/);
});

test('a run killed between the drop and the rebuild leaves a record; status names it; the next run builds the indexes', async () => {
  const env = await pair(
    'defer_idx_kill',
    '<defer_indexes_min_rows>1000</defer_indexes_min_rows><bulk_size>20</bulk_size><concurrency>1</concurrency>',
  );
  const before = await showCreate(env.destSchema, 'orders');
  let child: import('node:child_process').ChildProcess | undefined;
  const running = runCli(['data', env.configFile], { onSpawn: (c) => (child = c) });
  for (let i = 0; i < 800; i++) {
    if ((await recorded(env).catch(() => [])).length > 0 && (await copiedRows(env)) >= 200) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  child?.kill('SIGKILL');
  const killed = await running;
  assert.equal(killed.signal, 'SIGKILL', `the run ended before it was killed: ${killed.stdout}`);
  assert.deepEqual(await recorded(env), [...DEFERRED].sort());
  assert.notEqual(await showCreate(env.destSchema, 'orders'), before, 'the indexes are dropped meanwhile');

  const status = await runCli(['status', env.configFile]);
  assert.match(status.stdout, /orders: 4 index\(es\) deferred by the copy, not built yet/);

  const cleanup = await runCli(['cleanup', env.configFile, '--drop-progress', '--yes']);
  assert.equal(cleanup.status, 1, cleanup.stdout + cleanup.stderr);
  assert.match(cleanup.stderr, /DEFERRED_INDEXES_PENDING/);
  assert.deepEqual(await recorded(env), [...DEFERRED].sort(), 'the record is kept');

  const check = await runCli(['check', env.configFile]);
  assert.equal(check.status, 4, check.stdout + check.stderr);
  assert.match(check.stdout, /orders: 4 index\(es\) the copy dropped for speed are not built yet/);
  assert.match(
    check.stdout,
    /ADD KEY `ix_status` \(`status`\)/,
    'the repair gives the statement by hand too',
  );

  const resumed = await runCli(['data', env.configFile]);
  assert.equal(resumed.status, 1, resumed.stdout + resumed.stderr); // the one duplicate, rejected
  assert.equal(await showCreate(env.destSchema, 'orders'), before);
  assert.deepEqual(await recorded(env), []);

  // Every part copied but an index still deferred (a run that died in the rebuild): the cut-over
  // refuses to take this store live, and a rerun with nothing left to copy builds it.
  await env.sql(
    'destination',
    `INSERT INTO migration_progress_indexes (table_name, index_name, definition, position)
       VALUES ('orders', 'ix_status', 'KEY \`ix_status\` (\`status\`)', 0);
     ALTER TABLE orders DROP INDEX ix_status`,
  );
  const db = await Database.open(await databaseConfig(env.destSchema), { side: 'destination', poolSize: 1 });
  try {
    const plans = [{ owner: 'data', document: 'orders', destinationTable: 'orders' }] as DocumentPlan[];
    await assert.rejects(
      requireCopied(
        new ProgressStore(db, 'migration_progress'),
        new DeferredIndexStore(db, 'migration_progress'),
        plans,
        'config.xml',
      ),
      /the bulk copy is not complete for: orders \(its deferred indexes\)/,
    );
  } finally {
    await db.close();
  }
  const rerun = await runCli(['data', env.configFile]);
  assert.match(rerun.stdout + rerun.stderr, /orders: 1 index\(es\) of orders built in/);
  assert.equal(await showCreate(env.destSchema, 'orders'), before);
  assert.deepEqual(await recorded(env), []);
});

async function copiedRows(env: SchemaPair): Promise<number> {
  const conn = await adminConnection();
  try {
    const [rows] = await conn.query<RowDataPacket[]>(
      `SELECT COALESCE(SUM(rows_copied), 0) AS n FROM \`${env.destSchema}\`.migration_progress`,
    );
    return Number(rows[0]?.n);
  } catch {
    return 0;
  } finally {
    await conn.end();
  }
}

test('a destination user without ALTER: the copy keeps the indexes, says why once, and records nothing', async (t) => {
  const env = await pair('defer_idx_noalter', '<defer_indexes_min_rows>1000</defer_indexes_min_rows>');
  const before = await showCreate(env.destSchema, 'orders');
  // What README's Privileges table asks of the destination, and no ALTER.
  const limitedUser = await createLimitedUser(t, 'defer', [
    `SELECT, INSERT, UPDATE, DELETE, CREATE, DROP ON \`${env.destSchema}\`.*`,
  ]);
  const limited = await configAs(env.configFile, env.dir, limitedUser, ['destination']);
  const result = await runCli(['data', limited, '--skip-preflight']);
  assert.equal(result.status, 1, result.stdout + result.stderr); // the one duplicate, rejected
  const said = (result.stdout + result.stderr).match(/destination indexes are kept during the copy/g) ?? [];
  assert.equal(said.length, 1, result.stdout + result.stderr);
  assert.match(result.stdout + result.stderr, /GRANT ALTER ON/);
  assert.equal(await showCreate(env.destSchema, 'orders'), before);
  assert.deepEqual(await recorded(env), []);
});

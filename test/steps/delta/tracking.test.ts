/**
 * Installing change tracking on a live source (issue 11, items 1, 2 and 5): the shop never waits
 * on it longer than the lock timeout, its prepared statements keep working, its writes never fail
 * because of it, and the tool's triggers are told from the shop's by what they are.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { after, test } from 'node:test';
import type mysql from 'mysql2/promise';
import { runCli } from '../../support/cli.js';
import { adminConnection } from '../../support/database.js';
import { createStoreEnv, type StoreEnv } from '../../support/store-env.js';

type Rows = mysql.RowDataPacket[];

async function ignoreSourceTables(env: StoreEnv, ...tables: string[]): Promise<void> {
  const map = JSON.parse(await readFile(env.mapFile, 'utf8'));
  map.source.documents.ignore.push(...tables);
  await writeFile(env.mapFile, JSON.stringify(map));
}

/**
 * A store env whose source has an `audit` table, left out of the map, and `auditTrigger`, which
 * adds a shop trigger on sales_flat_order that fills it.
 */
async function envWithAudit(label: string, orders: number) {
  const env = await createStoreEnv(label, { orders });
  await ignoreSourceTables(env, 'audit');
  const conn = await adminConnection();
  const s = `\`${env.sourceSchema}\``;
  await conn.query(`CREATE TABLE ${s}.audit (id INT AUTO_INCREMENT PRIMARY KEY, order_id INT)`);
  const auditTrigger = (name: string, event: 'INSERT' | 'UPDATE' | 'DELETE') =>
    conn.query(
      `CREATE TRIGGER ${s}.${name} AFTER ${event} ON ${s}.sales_flat_order FOR EACH ROW INSERT INTO ${s}.audit (order_id) VALUES (${event === 'DELETE' ? 'OLD' : 'NEW'}.entity_id)`,
    );
  return { env, conn, s, auditTrigger };
}

/** Runs delta on sales_flat_order until it has caught up; it must succeed. */
async function deltaCaughtUp(env: StoreEnv): Promise<void> {
  const delta = await runCli([
    'delta',
    env.configFile,
    '--only',
    'sales_flat_order',
    '--until-caught-up',
    '--quiet-period',
    '200',
  ]);
  assert.equal(delta.status, 0, delta.stderr);
}

/** `summary` (an aggregate over the orders) is the same on sales_flat_order and on sales_order. */
async function assertOrdersAlike(conn: mysql.Connection, env: StoreEnv, summary: string): Promise<void> {
  const [sums] = await conn.query<Rows>(
    `SELECT (SELECT ${summary} FROM \`${env.sourceSchema}\`.sales_flat_order) AS source,
            (SELECT ${summary} FROM \`${env.destSchema}\`.sales_order) AS destination`,
  );
  assert.equal(sums[0]?.destination, sums[0]?.source);
}

async function triggersOn(conn: mysql.Connection, schema: string, table: string): Promise<string[]> {
  const [rows] = await conn.query<Rows>(
    'SELECT TRIGGER_NAME AS name FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ? AND EVENT_OBJECT_TABLE = ? ORDER BY TRIGGER_NAME',
    [schema, table],
  );
  return rows.map((r) => String(r.name));
}

/** A shop session that keeps `BEGIN; SELECT ... FROM sales_flat_order` open: it holds the table's metadata lock. */
async function holdTable(schema: string): Promise<{ id: number; release: () => Promise<void> }> {
  const conn = await adminConnection();
  const [[row]] = await conn.query<Rows>('SELECT CONNECTION_ID() AS id');
  await conn.query('BEGIN');
  await conn.query(`SELECT COUNT(*) FROM \`${schema}\`.sales_flat_order`);
  return {
    id: Number(row?.id),
    release: async () => {
      await conn.query('COMMIT');
      await conn.end();
    },
  };
}

/**
 * The shop: one-row UPDATEs on sales_flat_order, one after another, each one timed; `deleteDown`
 * also deletes one order every tenth round, from that id down to 101.
 */
function updateLoop(conn: mysql.Connection, schema: string, prepared: boolean, deleteDown = 0) {
  let stopped = false;
  const latencies: number[] = [];
  const errors: string[] = [];
  const update = `UPDATE \`${schema}\`.sales_flat_order SET grand_total = grand_total + 1 WHERE entity_id = ?`;
  const remove = `DELETE FROM \`${schema}\`.sales_flat_order WHERE entity_id = ?`;
  const run = (sql: string, id: number) => (prepared ? conn.execute(sql, [id]) : conn.query(sql, [id]));
  const done = (async () => {
    for (let i = 0; !stopped; i++) {
      const started = Date.now();
      try {
        await run(update, 1 + (i % 20));
        const victim = deleteDown - i / 10;
        if (i % 10 === 0 && victim > 100) await run(remove, victim);
      } catch (error) {
        errors.push((error as Error).message);
      }
      latencies.push(Date.now() - started);
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await done;
      return { latencies, errors };
    },
  };
}

const LOCK_OPTIONS = '<lock_wait_timeout>1</lock_wait_timeout>';

test('while a shop session holds the table, installing tracking never holds the shop up longer than lock_wait_timeout, names the session, and completes once it ends', async () => {
  const env = await createStoreEnv('track_lock', { orders: 200, options: LOCK_OPTIONS });
  const conn = await adminConnection();
  const shop = await adminConnection();
  const blocker = await holdTable(env.sourceSchema);
  const loop = updateLoop(shop, env.sourceSchema, false);
  const running = runCli(['data', env.configFile, '--only', 'sales_flat_order']);
  await new Promise((r) => setTimeout(r, 7000));
  await blocker.release();
  const copied = await running;
  const { latencies, errors } = await loop.stop();
  try {
    assert.equal(copied.status, 0, copied.stderr);
    assert.deepEqual(errors, []);
    assert.ok(latencies.length > 50, `${latencies.length} shop updates`);
    // lock_wait_timeout 1 s, plus 1 s of margin: without the short timeout they queued behind the DDL for 7 s.
    assert.ok(Math.max(...latencies) <= 2000, `slowest shop update: ${Math.max(...latencies)} ms`);
    assert.match(copied.stderr, new RegExp(`sales_flat_order is in use, held by id ${blocker.id} \\(`));
    assert.match(copied.stderr, new RegExp(`KILL ${blocker.id}`));
    assert.deepEqual(await triggersOn(conn, env.sourceSchema, 'sales_flat_order'), [
      'm2_cl_sales_flat_order_ad',
      'm2_cl_sales_flat_order_ai',
      'm2_cl_sales_flat_order_au',
    ]);
  } finally {
    await shop.end();
    await conn.end();
  }
});

test('a shop transaction that read the table and then writes it while tracking is being installed is never made a deadlock victim', async () => {
  const env = await createStoreEnv('track_deadlock', { orders: 50, options: LOCK_OPTIONS });
  const conn = await adminConnection();
  const shop = await adminConnection();
  after(async () => {
    await shop.end();
    await conn.end();
  });
  // The shape of a Magento order save: read the order, then write it, in one transaction.
  await shop.query('BEGIN');
  await shop.query(`SELECT grand_total FROM \`${env.sourceSchema}\`.sales_flat_order WHERE entity_id = 101`);
  const running = runCli(['data', env.configFile, '--only', 'sales_flat_order']);
  // The change log is created just before the triggers: then the install is at the table's lock.
  for (let i = 0; i < 600; i++) {
    const [found] = await conn.query<Rows>(
      `SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'm2_cl_sales_flat_order'`,
      [env.sourceSchema],
    );
    if (found.length > 0) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  await new Promise((r) => setTimeout(r, 300));
  // A waiting CREATE TRIGGER closes a metadata-lock cycle here, and the server's deadlock
  // detector picks the shop's statement: "Deadlock found when trying to get lock".
  await shop.query(
    `UPDATE \`${env.sourceSchema}\`.sales_flat_order SET grand_total = grand_total + 1 WHERE entity_id = 101`,
  );
  await shop.query('COMMIT');
  const copied = await running;
  assert.equal(copied.status, 0, copied.stderr);
  assert.equal((await triggersOn(conn, env.sourceSchema, 'sales_flat_order')).length, 3);
});

test('when the session never lets go within lock_retry_time: TRACKING_LOCK_TIMEOUT, no trigger installed, the document not marked copied; the next run completes', async () => {
  const env = await createStoreEnv('track_timeout', {
    orders: 50,
    options: `${LOCK_OPTIONS}<lock_retry_time>3</lock_retry_time>`,
  });
  const conn = await adminConnection();
  const blocker = await holdTable(env.sourceSchema);
  const failed = await runCli(['data', env.configFile, '--only', 'sales_flat_order']);
  after(() => conn.end());
  try {
    assert.equal(failed.status, 1, failed.stderr);
    assert.match(failed.stderr, /error TRACKING_LOCK_TIMEOUT/);
    assert.match(failed.stderr, new RegExp(`next: .*KILL ${blocker.id}.*lock_retry_time`));
    assert.deepEqual(await triggersOn(conn, env.sourceSchema, 'sales_flat_order'), []);
    const [parts] = await conn.query<Rows>(
      `SELECT COUNT(*) AS n FROM \`${env.destSchema}\`.migration_progress WHERE document = 'sales_flat_order'`,
    );
    assert.equal(
      Number(parts[0]?.n),
      0,
      'no part of the document was planned, so it is not taken as tracked',
    );
  } finally {
    await blocker.release();
  }
  const again = await runCli(['data', env.configFile, '--only', 'sales_flat_order']);
  assert.equal(again.status, 0, again.stderr);
  assert.equal((await triggersOn(conn, env.sourceSchema, 'sales_flat_order')).length, 3);
});

test('tracking goes first among the shop’s own triggers: prepared UPDATEs and DELETEs running through the install never fail, and every change arrives', async () => {
  const { env, conn, auditTrigger } = await envWithAudit('track_precedes', 300);
  await auditTrigger('shop_audit', 'UPDATE');
  // Ours for DELETE is created last: placed after this one, nothing re-prepares the shop's DELETE.
  await auditTrigger('shop_audit_delete', 'DELETE');
  // Before anything is installed, preflight and plan name the table and what a running procedure may see.
  const pre = await runCli(['preflight', env.configFile]);
  assert.equal(pre.status, 0, pre.stderr);
  assert.match(
    pre.stdout,
    /warning: sales_flat_order has triggers of its own: .*stored-procedure call already running/,
  );
  const plan = await runCli(['plan', env.configFile, '--no-sample', '--only', 'sales_flat_order']);
  assert.equal(plan.status, 0, plan.stderr);
  assert.match(plan.stderr, /sales_flat_order has triggers of its own: shop_audit_delete \(AFTER DELETE\)/);
  const shop = await adminConnection();
  const loop = updateLoop(shop, env.sourceSchema, true, 300); // each statement prepared once, executed over and over
  await new Promise((r) => setTimeout(r, 300));
  const copied = await runCli(['data', env.configFile, '--only', 'sales_flat_order']);
  const { latencies, errors } = await loop.stop();
  try {
    assert.equal(copied.status, 0, copied.stderr);
    assert.deepEqual(errors.slice(0, 3), [], `${errors.length} prepared UPDATEs failed`);
    assert.ok(latencies.length > 50, `${latencies.length} prepared updates`);
    assert.match(
      copied.stderr,
      /sales_flat_order has triggers of its own: shop_audit_delete \(AFTER DELETE\), shop_audit \(AFTER UPDATE\)/,
    );
    await deltaCaughtUp(env);
    await assertOrdersAlike(conn, env, "CONCAT(COUNT(*), ' orders, total ', SUM(grand_total))");
    const [order] = await conn.query<Rows>(
      `SELECT TRIGGER_NAME AS name FROM information_schema.TRIGGERS
        WHERE TRIGGER_SCHEMA = ? AND EVENT_OBJECT_TABLE = 'sales_flat_order' AND EVENT_MANIPULATION = 'UPDATE' ORDER BY ACTION_ORDER`,
      [env.sourceSchema],
    );
    assert.deepEqual(
      order.map((r) => r.name),
      ['m2_cl_sales_flat_order_au', 'shop_audit'],
    );
  } finally {
    await shop.end();
    await conn.end();
  }
});

test('a stored-procedure call running through the install: the copy waits for it to end, and every write it made arrives', async () => {
  const { env, conn, s, auditTrigger } = await envWithAudit('track_procedure', 100);
  await auditTrigger('shop_audit', 'UPDATE');
  await conn.query(
    `CREATE PROCEDURE ${s}.bump() BEGIN DECLARE i INT DEFAULT 0;
       WHILE i < 160 DO
         UPDATE ${s}.sales_flat_order SET grand_total = grand_total + 1 WHERE entity_id = 1 + (i % 20);
         DO SLEEP(0.05); SET i = i + 1;
       END WHILE; END`,
  );
  const shop = await adminConnection();
  const call = shop.query(`CALL ${s}.bump()`).then(
    () => 'done',
    (error: Error) => error.message,
  );
  try {
    const copied = await runCli(['data', env.configFile, '--only', 'sales_flat_order']);
    assert.equal(await call, 'done', 'the procedure call did not fail');
    assert.equal(copied.status, 0, copied.stderr);
    assert.match(
      copied.stderr,
      /sales_flat_order: waiting for 1 statement\(s\) that began before its change tracking/,
    );
    await deltaCaughtUp(env);
    await assertOrdersAlike(conn, env, 'SUM(grand_total)');
  } finally {
    await shop.end();
    await conn.end();
  }
});

test('a change log dropped by hand: the shop’s writes still succeed, and delta names the document; status and cleanup --dry-run name the trigger owner', async () => {
  const env = await createStoreEnv('track_nolog', { orders: 20 });
  const copied = await runCli(['data', env.configFile]);
  assert.equal(copied.status, 0, copied.stderr);
  assert.match(copied.stderr, /run as .*\(their DEFINER\): do not drop/);
  const conn = await adminConnection();
  const s = `\`${env.sourceSchema}\``;
  try {
    await conn.query(`DROP TABLE ${s}.m2_cl_sales_flat_invoice`);
    await conn.query(`UPDATE ${s}.sales_flat_invoice SET grand_total = grand_total + 1`);
    await conn.query(
      `CREATE TEMPORARY TABLE ${s}.one_invoice AS SELECT * FROM ${s}.sales_flat_invoice ORDER BY entity_id LIMIT 1`,
    );
    await conn.query(`UPDATE ${s}.one_invoice SET entity_id = 999999, increment_id = NULL`);
    await conn.query(`INSERT INTO ${s}.sales_flat_invoice SELECT * FROM ${s}.one_invoice`);
    await conn.query(`DELETE FROM ${s}.sales_flat_invoice WHERE entity_id = 999999`);

    const delta = await runCli(['delta', env.configFile, '--until-caught-up']);
    assert.equal(delta.status, 1);
    assert.match(
      delta.stderr,
      /CHANGE_LOG_MISSING \(step delta, document sales_flat_invoice\): .*sales_flat_invoice \(change log m2_cl_sales_flat_invoice gone\)/,
    );
    assert.match(delta.stderr, /next: .*--reset --only sales_flat_invoice/);

    const status = await runCli(['status', env.configFile]);
    assert.equal(status.status, 0, status.stderr);
    assert.match(status.stdout, /run as root@\S+ \(their DEFINER\).*ERROR 1449/s);
    const dry = await runCli(['cleanup', env.configFile, '--dry-run']);
    assert.match(dry.stdout, /run as root@\S+ \(their DEFINER\): do not drop/);
  } finally {
    await conn.end();
  }
});

test('a trigger of the shop’s already named like ours is not taken for ours: the install stops, naming it', async () => {
  const { env, conn, auditTrigger } = await envWithAudit('track_foreign', 20);
  await auditTrigger('m2_cl_sales_flat_order_ai', 'INSERT');
  const copied = await runCli(['data', env.configFile, '--only', 'sales_flat_order']);
  try {
    assert.equal(copied.status, 1, copied.stderr);
    assert.match(
      copied.stderr,
      /TRACKING_NAME_TAKEN \(step data, document sales_flat_order\): the source already has a trigger named m2_cl_sales_flat_order_ai \(AFTER INSERT on sales_flat_order\)/,
    );
    // The shop's trigger is untouched, and none of ours was added beside it.
    assert.deepEqual(await triggersOn(conn, env.sourceSchema, 'sales_flat_order'), [
      'm2_cl_sales_flat_order_ai',
    ]);
  } finally {
    await conn.end();
  }
});

test('a tracking trigger dropped while delta runs stops delta within seconds, naming the document and the trigger', async () => {
  const env = await createStoreEnv('track_dropped', { orders: 20 });
  const copied = await runCli(['data', env.configFile]);
  assert.equal(copied.status, 0, copied.stderr);
  let child: ChildProcess | undefined;
  const running = runCli(['delta', env.configFile, '--poll-interval', '100'], {
    onSpawn: (c) => (child = c),
  });
  await new Promise((r) => setTimeout(r, 3000));
  const conn = await adminConnection();
  await conn.query(`DROP TRIGGER \`${env.sourceSchema}\`.m2_cl_sales_flat_order_au`);
  await conn.end();
  const dropped = Date.now();
  const timer = setTimeout(() => child?.kill('SIGKILL'), 20_000);
  const stopped = await running;
  clearTimeout(timer);
  assert.equal(stopped.status, 1, stopped.stderr);
  assert.ok(Date.now() - dropped < 10_000, `delta stopped ${Date.now() - dropped} ms after the drop`);
  assert.match(
    stopped.stderr,
    /CHANGE_LOG_MISSING \(step delta, document sales_flat_order\): .*sales_flat_order \(trigger m2_cl_sales_flat_order_au gone\)/,
  );
});

test('cleanup leaves a shop trigger that only looks like ours, and the table it writes into', async () => {
  const env = await createStoreEnv('track_lookalike', { orders: 20 });
  const conn = await adminConnection();
  const s = `\`${env.sourceSchema}\``;
  // Named and written like ours (prefix, suffix, a backticked prefixed table), on an untracked table.
  await conn.query(`CREATE TABLE ${s}.m2_cl_core_store (id INT AUTO_INCREMENT PRIMARY KEY, store_id INT)`);
  await conn.query(
    `CREATE TRIGGER ${s}.m2_cl_core_store_au AFTER UPDATE ON ${s}.core_store FOR EACH ROW INSERT INTO ${s}.\`m2_cl_core_store\` (store_id) VALUES (NEW.store_id)`,
  );
  // Not the tool's (no change-log comment), so the shop's own table: the map must say what to do with it.
  await ignoreSourceTables(env, 'm2_cl_core_store');
  const copied = await runCli(['data', env.configFile]);
  assert.equal(copied.status, 0, copied.stderr);
  const removed = await runCli(['cleanup', env.configFile]);
  try {
    assert.equal(removed.status, 0, removed.stderr);
    assert.match(removed.stdout, /removed 18 triggers and 6 tables/);
    assert.doesNotMatch(removed.stdout, /m2_cl_core_store_au/);
    assert.deepEqual(await triggersOn(conn, env.sourceSchema, 'core_store'), ['m2_cl_core_store_au']);
    await conn.query(`UPDATE ${s}.core_store SET name = CONCAT(name, '') WHERE store_id = 0`);
    const again = await runCli(['cleanup', env.configFile]);
    assert.match(again.stdout, /nothing of store-migrate's \(prefix m2_cl_\) is installed/);
  } finally {
    await conn.end();
  }
});

/**
 * The simulated storefront against a real database, mode by mode: each mode does what it says
 * on the server (counted there, not trusted from the storefront's own report), and the
 * storefront records database errors instead of dying on them.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type mysql from 'mysql2/promise';
import { AUDIT_TABLE, AUDIT_TRIGGERS, PROCEDURE } from '../../src/demo/shop-fixtures.js';
import { adminConnection } from '../support/database.js';
import { createV1Store, scalar, sleep, startTestStorefront } from '../support/storefront.js';

const SELLING_KINDS = [
  'placeOrder',
  'changeOrder',
  'moveItem',
  'deleteItem',
  'deleteOrder',
  'changeCustomer',
];

async function statementCounters(conn: mysql.Connection): Promise<{ prepare: number; execute: number }> {
  const [rows] = await conn.query<mysql.RowDataPacket[]>(
    "SHOW GLOBAL STATUS WHERE Variable_name IN ('Com_stmt_prepare', 'Com_stmt_execute')",
  );
  const value = (name: string) => Number(rows.find((r) => r.Variable_name === name)?.Value);
  return { prepare: value('Com_stmt_prepare'), execute: value('Com_stmt_execute') };
}

test('plain and prepared modes: every kind of operation is timed; prepared mode prepares each statement once per connection and reuses it', async () => {
  const schema = await createV1Store('shop_modes', 40);
  const conn = await adminConnection();
  try {
    const beforePlain = await statementCounters(conn);
    const plain = await startTestStorefront(schema, 300);
    await sleep(1200);
    const plainStats = await plain.stop();
    const afterPlain = await statementCounters(conn);
    assert.equal(afterPlain.execute - beforePlain.execute, 0, 'plain mode sends text queries only');
    assert.deepEqual(plainStats.errors.count, 0, plainStats.errors.first.join('\n'));
    for (const kind of SELLING_KINDS.filter((k) => k !== 'deleteOrder')) {
      const latency = plainStats.latency[kind];
      assert.ok(latency && latency.count > 0, `${kind} timed: ${JSON.stringify(plainStats.latency)}`);
      assert.ok(latency.p50Ms > 0 && latency.p50Ms <= latency.p99Ms && latency.p99Ms <= latency.maxMs);
    }

    const prepared = await startTestStorefront(schema, 300, { prepared: true, connections: 2 }, 2);
    await sleep(1200);
    const sessions = await scalar(
      conn,
      'SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()',
      [schema],
    );
    assert.equal(sessions, 2, 'two selling connections');
    const preparedStats = await prepared.stop();
    const afterPrepared = await statementCounters(conn);
    assert.equal(preparedStats.errors.count, 0, preparedStats.errors.first.join('\n'));
    assert.deepEqual(preparedStats.modes.prepared, true);
    const executed = afterPrepared.execute - afterPlain.execute;
    const timed = Object.values(preparedStats.latency).reduce((sum, l) => sum + l.count, 0);
    // An order placement is three statements, every other operation one.
    assert.ok(executed >= timed, `${executed} statements executed for ${timed} operations`);
    // Seven distinct statements, prepared once on each of the two selling connections.
    const preparedCount = afterPrepared.prepare - afterPlain.prepare;
    assert.ok(preparedCount > 0 && preparedCount <= 2 * 7, `${preparedCount} statements prepared`);
  } finally {
    await conn.end();
  }
});

test('own triggers and the stored procedure: the audit triggers fire for every order write, the procedure writes in a loop', async () => {
  const schema = await createV1Store('shop_proc', 40);
  const writesPerCall = 4;
  const storefront = await startTestStorefront(schema, 200, {
    ownTriggers: true,
    procedure: { callsPerSecond: 30, writesPerCall },
  });
  await sleep(1200);
  const stats = await storefront.stop();
  const conn = await adminConnection();
  try {
    assert.equal(stats.errors.count, 0, stats.errors.first.join('\n'));
    const [triggers] = await conn.query<mysql.RowDataPacket[]>(
      `SELECT TRIGGER_NAME AS name, ACTION_TIMING AS timing, EVENT_MANIPULATION AS event
         FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ? AND EVENT_OBJECT_TABLE = 'sales_flat_order'
        ORDER BY TRIGGER_NAME`,
      [schema],
    );
    assert.deepEqual(
      triggers.map((t) => `${t.name} ${t.timing} ${t.event}`),
      [
        `${AUDIT_TRIGGERS[2]} AFTER DELETE`,
        `${AUDIT_TRIGGERS[0]} AFTER INSERT`,
        `${AUDIT_TRIGGERS[1]} AFTER UPDATE`,
      ],
    );
    const audited = (action: string) =>
      scalar(conn, `SELECT COUNT(*) FROM \`${schema}\`.${AUDIT_TABLE} WHERE action = ?`, [action]);
    assert.ok(stats.ordersPlaced > 0 && stats.procedureCalls > 0, JSON.stringify(stats));
    assert.equal(await audited('insert'), stats.ordersPlaced);
    assert.equal(await audited('delete'), stats.ordersDeleted);
    // Every UPDATE of an order fires the audit trigger: the shop's own and the procedure's loop.
    assert.equal(await audited('update'), stats.ordersChanged + stats.procedureCalls * writesPerCall);
    assert.equal(stats.latency.callProcedure?.count, stats.procedureCalls);
    assert.equal(
      await scalar(
        conn,
        "SELECT COUNT(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ? AND ROUTINE_NAME = ? AND ROUTINE_TYPE = 'PROCEDURE'",
        [schema, PROCEDURE],
      ),
      1,
    );
  } finally {
    await conn.end();
  }
});

test("a long report holds the order table's metadata lock: a CREATE TRIGGER on it waits; stopping ends the report", async () => {
  const schema = await createV1Store('shop_report', 40);
  const storefront = await startTestStorefront(schema, 50, { report: { seconds: 30, pauseSeconds: 0.2 } });
  const conn = await adminConnection();
  try {
    let running = 0;
    for (let i = 0; i < 50 && running === 0; i++) {
      running = await scalar(
        conn,
        "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = ? AND INFO LIKE '%SLEEP(%' AND ID <> CONNECTION_ID()",
        [schema],
      );
      if (running === 0) await sleep(100);
    }
    assert.equal(running, 1, 'the report is running');
    await conn.query('SET SESSION lock_wait_timeout = 1');
    await assert.rejects(
      conn.query(
        `CREATE TRIGGER \`${schema}\`.probe BEFORE INSERT ON \`${schema}\`.sales_flat_order FOR EACH ROW SET @x = 1`,
      ),
      (error: { errno?: number }) => error.errno === 1205,
    );
    const stats = await storefront.stop();
    // The report that stop() ended is timed but is not an error the shop saw.
    assert.equal(stats.errors.count, 0, stats.errors.first.join('\n'));
    assert.equal(stats.latency.report?.count, 1);
    assert.equal(stats.reports, 0, 'the one report was ended by the stop, not finished');
    assert.equal(
      await scalar(
        conn,
        "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE '%SLEEP(%' AND ID <> CONNECTION_ID()",
      ),
      0,
    );
  } finally {
    await storefront.stop().catch(() => {});
    await conn.end();
  }
});

test('errors are recorded, not thrown: a dropped table and a killed connection; the storefront keeps selling', async () => {
  const schema = await createV1Store('shop_errors', 40);
  const storefront = await startTestStorefront(schema, 300, { prepared: true });
  const conn = await adminConnection();
  try {
    await sleep(300);
    await conn.query(`DROP TABLE \`${schema}\`.sales_flat_order_item`);
    await sleep(500);
    const [sessions] = await conn.query<mysql.RowDataPacket[]>(
      'SELECT ID AS id FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()',
      [schema],
    );
    assert.equal(sessions.length, 1, 'the selling connection');
    await conn.query(`KILL CONNECTION ${Number(sessions[0]?.id)}`);
    const ordersBefore = await scalar(conn, `SELECT COUNT(*) FROM \`${schema}\`.sales_flat_order`);
    await sleep(800);
    const ordersAfter = await scalar(conn, `SELECT COUNT(*) FROM \`${schema}\`.sales_flat_order`);
    const stats = await storefront.stop();
    assert.ok(ordersAfter !== ordersBefore, 'it sold on after its connection was killed');
    assert.ok((stats.errors.byCode['ER_NO_SUCH_TABLE 1146'] ?? 0) > 0, JSON.stringify(stats.errors));
    assert.ok(
      Object.keys(stats.errors.byCode).some((code) => !code.includes('1146')),
      'the kill is recorded',
    );
    assert.ok(
      stats.errors.byKind.moveItem || stats.errors.byKind.deleteItem || stats.errors.byKind.placeOrder,
    );
    assert.match(
      stats.errors.first[0] ?? '',
      /^\w+: ER_NO_SUCH_TABLE 1146: .*sales_flat_order_item' doesn't exist/,
    );
    const total = Object.values(stats.errors.byKind).reduce((a, b) => a + b, 0);
    assert.equal(stats.errors.count, total);
  } finally {
    await storefront.stop().catch(() => {});
    await conn.end();
  }
});

test('maintenance flag: while the file exists the storefront writes nothing; once it is gone it sells again', async () => {
  const schema = await createV1Store('shop_maintenance', 20);
  const dir = await mkdtemp(join(tmpdir(), 'store-migrate-maintenance-'));
  const flag = join(dir, 'maintenance.flag');
  const conn = await adminConnection();
  const orders = () =>
    scalar(conn, `SELECT COUNT(*) + COALESCE(SUM(grand_total), 0) FROM \`${schema}\`.sales_flat_order`);
  const shop = await startTestStorefront(schema, 200, { maintenanceFlag: flag, connections: 2 });
  try {
    await sleep(500);
    await writeFile(flag, '');
    await sleep(300); // operations in hand finish
    const inMaintenance = await orders();
    await sleep(1000);
    assert.equal(await orders(), inMaintenance, 'no write while the flag exists');
    await rm(flag);
    await sleep(1000);
    assert.notEqual(await orders(), inMaintenance, 'the shop sells again');
    const stats = await shop.stop();
    assert.ok(stats.maintenanceSeconds >= 1 && stats.maintenanceSeconds < 3, `${stats.maintenanceSeconds} s`);
    assert.equal(stats.errors.count, 0, stats.errors.first.join('\n'));
  } finally {
    await shop.stop().catch(() => {});
    await conn.end();
    await rm(dir, { recursive: true, force: true });
  }
});

/**
 * A simulated storefront, for `npm run demo`, the tests and `npm run bench:shop`: a process of its
 * own (as a live shop is) that keeps placing orders, changing them (some rows over and over),
 * moving order items to new ids (a key change), deleting items and orders, and editing customers
 * in the v1 database until it gets SIGTERM or SIGINT. With the modes of storefront-modes.ts it
 * also uses server-side prepared statements, CALLs a stored procedure, runs long reports, and has
 * audit triggers of its own on the order table, as real shops do.
 *
 * It never dies of a database error: it times every operation and records every error (a shop
 * whose statements fail is what the tool must never cause, so the failures are the measurement).
 * It prints `open` once it is connected and about to sell, and at the end, after finishing the
 * operations in hand, one JSON line: StorefrontStats.
 *
 * Usage: MIGRATE_STOREFRONT_URL=mysql://user:pw@host:port node storefront.js <schema> <ops/s> <seed> [modes JSON]
 * The URL comes from the environment so no password shows in the process list.
 * Start it with startStorefront() (storefront-process.ts) rather than by hand.
 */
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import mysql from 'mysql2/promise';
import { type ErrorSummary, type LatencySummary, OperationLog } from './operation-log.js';
import { installShopFixtures, ORDER_TABLE, PROCEDURE } from './shop-fixtures.js';
import { decodeModes, type StorefrontModes } from './storefront-modes.js';

/** What the storefront did, by kind; `operations` also counts picks that found nothing to do. */
export interface StorefrontStats {
  operations: number;
  ordersPlaced: number;
  ordersChanged: number;
  ordersDeleted: number;
  itemsMoved: number;
  itemsDeleted: number;
  customersChanged: number;
  procedureCalls: number;
  reports: number;
  /** Seconds spent in maintenance (the maintenance flag file existed): no operation was started meanwhile. */
  maintenanceSeconds: number;
  modes: StorefrontModes;
  /** Per operation kind (placeOrder, changeOrder, ..., callProcedure, report): failed ones included. */
  latency: Record<string, LatencySummary>;
  /** Over every operation but reports: what the shop's customers waited. */
  overall: LatencySummary;
  errors: ErrorSummary;
}

const url = process.env.MIGRATE_STOREFRONT_URL;
const [schema, rateText, seedText, modesText] = process.argv.slice(2);
if (!url || !schema) {
  throw new Error('usage: MIGRATE_STOREFRONT_URL=mysql://... storefront.js <schema> <ops/s> <seed> [modes]');
}
const rate = Number(rateText ?? 200);
const modes = decodeModes(modesText);
let seed = Number(seedText ?? 1) >>> 0;
const random = () => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = <T>(list: readonly T[]): T | undefined => list[Math.floor(random() * list.length)];

type Db = mysql.Connection;
type Value = string | number | null;
const open = (): Promise<Db> =>
  mysql.createConnection({ uri: url, database: schema, supportBigNumbers: true, bigNumberStrings: true });
/** One statement, prepared on the server (and reused: mysql2 keeps it per connection) in `prepared` mode. */
const run = async (db: Db, sql: string, params: Value[]) =>
  (modes.prepared ? await db.execute(sql, params) : await db.query(sql, params))[0];

let stopping = false;
let wake: () => void = () => {};
const stopped = new Promise<void>((resolve) => {
  wake = resolve;
});
/** Waits `ms`, or less if the storefront is told to stop meanwhile. */
const pause = async (ms: number) => {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([stopped, new Promise((r) => (timer = setTimeout(r, ms)))]);
  clearTimeout(timer);
};

/** The connection a report runs on right now, so stopping can end the report instead of waiting it out. */
let reportRunning: Db | undefined;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  // SIGINT too: a Ctrl+C in the demo's terminal reaches this process as well.
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    wake();
    const reporting = reportRunning;
    if (reporting) {
      // End the running report now rather than after its full length.
      void open()
        .then(async (killer) => {
          await killer.query(`KILL QUERY ${reporting.threadId}`).catch(() => {});
          await killer.end();
        })
        .catch(() => {});
    }
  });
}

/** How often a storefront in maintenance looks whether its flag file is gone. */
const MAINTENANCE_POLL_MS = 50;
/** When the current maintenance began, while it lasts. */
let maintenanceSince: number | undefined;
const log = new OperationLog();
const stats: StorefrontStats = {
  operations: 0,
  ordersPlaced: 0,
  ordersChanged: 0,
  ordersDeleted: 0,
  itemsMoved: 0,
  itemsDeleted: 0,
  customersChanged: 0,
  procedureCalls: 0,
  reports: 0,
  maintenanceSeconds: 0,
  modes,
  latency: {},
  overall: log.overall(),
  errors: log.errorSummary(),
};

const setup = await open();
await installShopFixtures(setup, schema, modes);
const affected = (result: unknown) => (result as { affectedRows: number }).affectedRows;
const ids = async (sql: string) =>
  ((await setup.query(sql))[0] as Array<{ id: string }>).map((r) => Number(r.id));
let orders = await ids(`SELECT entity_id AS id FROM ${ORDER_TABLE} ORDER BY entity_id DESC LIMIT 500`);
let items = await ids('SELECT item_id AS id FROM sales_flat_order_item ORDER BY item_id DESC LIMIT 500');
const customers = await ids('SELECT entity_id AS id FROM customer_entity ORDER BY entity_id DESC LIMIT 200');
// Items move down, within a range of their own per seed, from MOVED_CEILING: moving a row to an id
// above the others would raise the table's AUTO_INCREMENT to it, and the next placed items would
// take the ids later moves want. Storefronts of different seeds selling at once on one store move
// within different ranges; a later run of the same seed continues below the earlier one's moves.
const MOVED_CEILING = 2_000_000_000;
const MOVED_RANGE = 1_000_000;
const rangeTop = MOVED_CEILING - (Number(seedText ?? 1) % 1000) * MOVED_RANGE;
const [lowestMoved] = await ids(
  `SELECT COALESCE(MIN(item_id), ${rangeTop}) AS id FROM sales_flat_order_item
    WHERE item_id > ${rangeTop - MOVED_RANGE} AND item_id <= ${rangeTop}`,
);
const movedBase = lowestMoved ?? rangeTop;
await setup.end();
const runTag = `${process.pid}-${Date.now().toString(36)}`;
const hot = orders.slice(0, 5); // rows touched over and over
let n = 0;

/** One thing the shop does; resolves false when it found nothing to do (then it is not timed). */
interface Operation {
  kind: string;
  run(db: Db): Promise<boolean>;
}

const selling: Operation[] = [
  {
    kind: 'placeOrder',
    async run(db) {
      n++;
      const result = await run(
        db,
        `INSERT INTO ${ORDER_TABLE} (increment_id, state, status, customer_id, customer_email, store_id, grand_total,
           subtotal, tax_amount, shipping_amount, base_currency_code, remote_ip, created_at, updated_at, customer_note)
         VALUES (?, 'new', 'pending', ?, ?, 1, ?, ?, 0, 5, 'EUR', '10.1.2.3', NOW(), NOW(), ?)`,
        [
          `W${runTag}-${n}`,
          pick(customers) ?? null,
          `shopper${n}@example.com`,
          `${n}.5000`,
          `${n}.0000`,
          n % 3 ? null : 'bitte schnell 🚚',
        ],
      );
      const orderId = (result as { insertId: number }).insertId;
      orders.push(orderId);
      stats.ordersPlaced++;
      for (let i = 0; i < 2; i++) {
        const item = await run(
          db,
          `INSERT INTO sales_flat_order_item (order_id, product_id, sku, name, qty_ordered, price, row_total, product_options, created_at)
           VALUES (?, 1, ?, 'Thing', 1, 9.9900, 9.9900, 'a:1:{s:3:"qty";i:1;}', NOW())`,
          [orderId, `SKU-${n}-${i}`],
        );
        items.push((item as { insertId: number }).insertId);
      }
      return true;
    },
  },
  {
    kind: 'changeOrder',
    async run(db) {
      const id = random() < 0.5 ? pick(hot) : pick(orders);
      if (!id) return false;
      const result = await run(
        db,
        `UPDATE ${ORDER_TABLE} SET grand_total = grand_total + 1, status = ? WHERE entity_id = ?`,
        [pick(['processing', 'complete', 'holded']) ?? 'processing', id],
      );
      stats.ordersChanged += affected(result);
      return true;
    },
  },
  {
    kind: 'moveItem',
    async run(db) {
      const id = pick(items);
      if (!id) return false;
      // A key change: the item moves to a new id (the old key's removal and the new key's arrival).
      const moved = movedBase - ++n;
      const result = await run(db, 'UPDATE sales_flat_order_item SET item_id = ? WHERE item_id = ?', [
        moved,
        id,
      ]);
      if (affected(result) === 1) {
        items = items.map((x) => (x === id ? moved : x));
        stats.itemsMoved++;
      }
      return true;
    },
  },
  {
    kind: 'deleteItem',
    async run(db) {
      const id = pick(items);
      if (!id) return false;
      const result = await run(db, 'DELETE FROM sales_flat_order_item WHERE item_id = ?', [id]);
      items = items.filter((x) => x !== id);
      stats.itemsDeleted += affected(result);
      return true;
    },
  },
  {
    kind: 'deleteOrder',
    async run(db) {
      const id = pick(orders.filter((o) => !hot.includes(o)));
      if (!id || random() < 0.7) return false;
      const result = await run(db, `DELETE FROM ${ORDER_TABLE} WHERE entity_id = ?`, [id]);
      orders = orders.filter((x) => x !== id);
      stats.ordersDeleted += affected(result);
      return true;
    },
  },
  {
    kind: 'changeCustomer',
    async run(db) {
      const id = pick(customers);
      if (!id) return false;
      const result = await run(
        db,
        'UPDATE customer_entity SET taxvat = ?, updated_at = NOW() WHERE entity_id = ?',
        [`VAT${n++}`, id],
      );
      stats.customersChanged += affected(result);
      return true;
    },
  },
];

const callProcedure: Operation = {
  kind: 'callProcedure',
  async run(db) {
    const id = pick(hot);
    if (!id || !modes.procedure) return false;
    await run(db, `CALL ${PROCEDURE}(?, ?)`, [id, modes.procedure.writesPerCall]);
    stats.procedureCalls++;
    return true;
  },
};

const report: Operation = {
  kind: 'report',
  async run(db) {
    // The derived table is read in full first; the SLEEP then keeps the statement, and with it the
    // shared metadata lock on the order table, open for the report's duration, as a slow report does.
    reportRunning = db;
    try {
      await db.query(
        `SELECT t.orders, t.revenue, SLEEP(?) AS waited
           FROM (SELECT COUNT(*) AS orders, SUM(grand_total) AS revenue FROM ${ORDER_TABLE}) AS t`,
        [modes.report?.seconds ?? 0],
      );
    } finally {
      reportRunning = undefined;
    }
    stats.reports++;
    return true;
  },
};

/** A connection that died (server restart, KILL) is replaced; the failed attempts are errors too. */
async function reconnect(old: Db): Promise<Db> {
  old.destroy();
  for (;;) {
    try {
      return await open();
    } catch (error) {
      log.error('connect', error);
      if (stopping) throw error;
      await pause(200);
    }
  }
}

/**
 * Runs `next()`'s operations one after another on `db` until told to stop, `rest()` apart. Each is
 * timed; an error is recorded and the shop goes on, as a real one does (the customer retries).
 */
async function work(db: Db, next: () => Operation | undefined, rest: () => Promise<void>): Promise<void> {
  while (!stopping) {
    await maintenance();
    if (stopping) break;
    const operation = next();
    if (operation) {
      const started = performance.now();
      let ran = true;
      try {
        ran = await operation.run(db);
      } catch (error) {
        // A report ended by our own stop is not an error the shop saw.
        if (!(stopping && operation === report)) log.error(operation.kind, error);
        if ((error as { fatal?: boolean }).fatal) db = await reconnect(db).catch(() => db);
      }
      if (ran) log.time(operation.kind, performance.now() - started);
    }
    await rest();
  }
  await db.end().catch(() => db.destroy());
}

/** While the maintenance flag file exists, waits: the shop shows its maintenance page and writes nothing. */
async function maintenance(): Promise<void> {
  const flag = modes.maintenanceFlag;
  if (!flag || !existsSync(flag)) return;
  maintenanceSince ??= performance.now();
  while (!stopping && existsSync(flag)) await pause(MAINTENANCE_POLL_MS);
  // Every worker waits; the first one out counts the time, once.
  if (maintenanceSince !== undefined)
    stats.maintenanceSeconds += (performance.now() - maintenanceSince) / 1000;
  maintenanceSince = undefined;
}

/** Sleeps until operation `count` is due at `perSecond`; after a long stall it starts afresh, without a burst. */
function pacer(perSecond: number, count: () => number): () => Promise<void> {
  let started = performance.now();
  let base = 0;
  return async () => {
    const due = started + ((count() - base) * 1000) / perSecond;
    const now = performance.now();
    if (now - due > 1000) {
      started = now;
      base = count();
    } else if (due > now) {
      await pause(due - now);
    }
  };
}

const workers: Array<Promise<void>> = [];
// Several selling connections, as a shop's web workers are: one stalled statement does not stop the others.
const sellingDbs = await Promise.all(Array.from({ length: modes.connections ?? 1 }, () => open()));
const procedureDb = modes.procedure ? await open() : undefined;
const reportDb = modes.report ? await open() : undefined;
process.stdout.write('open\n');

for (const db of sellingDbs) {
  let picks = 0;
  workers.push(
    work(
      db,
      () => {
        picks++;
        stats.operations++;
        return pick(selling);
      },
      pacer(rate / sellingDbs.length, () => picks),
    ),
  );
}
if (procedureDb && modes.procedure) {
  const { callsPerSecond } = modes.procedure;
  let calls = 0;
  const next = pacer(callsPerSecond, () => calls);
  workers.push(
    work(
      procedureDb,
      () => {
        calls++;
        return callProcedure;
      },
      next,
    ),
  );
}
if (reportDb && modes.report) {
  const pauseMs = modes.report.pauseSeconds * 1000;
  workers.push(
    work(
      reportDb,
      () => report,
      () => pause(pauseMs),
    ),
  );
}
await Promise.all(workers);
stats.latency = log.latency();
stats.overall = log.overall([report.kind]);
stats.errors = log.errorSummary();
process.stdout.write(`${JSON.stringify(stats)}\n`);

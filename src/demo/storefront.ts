/**
 * A simulated storefront, for `npm run demo` and the delta tests: a process of its own (as a
 * live shop is) that keeps placing orders, changing them (some rows over and over), moving order
 * items to new ids (a key change), deleting items and orders, and editing customers in the v1
 * database until it gets SIGTERM or SIGINT. It prints `open` once it is connected and about to
 * sell, and at the end, after finishing the operation in hand, one JSON line: the operation
 * counts (StorefrontStats).
 *
 * Usage: MIGRATE_STOREFRONT_URL=mysql://user:pw@host:port node storefront.js <schema> <ops per second> <seed>
 * The URL comes from the environment so no password shows in the process list.
 * Start it with startStorefront() (storefront-process.ts) rather than by hand.
 */
import mysql from 'mysql2/promise';

/** What the storefront did, by kind; `operations` also counts picks that found nothing to do. */
export interface StorefrontStats {
  operations: number;
  ordersPlaced: number;
  ordersChanged: number;
  ordersDeleted: number;
  itemsMoved: number;
  itemsDeleted: number;
  customersChanged: number;
}

const url = process.env.MIGRATE_STOREFRONT_URL;
const [schema, rateText, seedText] = process.argv.slice(2);
if (!url || !schema) {
  throw new Error('usage: MIGRATE_STOREFRONT_URL=mysql://... storefront.js <schema> <ops/s> <seed>');
}
const rate = Number(rateText ?? 200);
let seed = Number(seedText ?? 1) >>> 0;
const random = () => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = <T>(list: readonly T[]): T | undefined => list[Math.floor(random() * list.length)];

const conn = await mysql.createConnection({
  uri: url,
  database: schema,
  supportBigNumbers: true,
  bigNumberStrings: true,
});
let stopping = false;
// SIGINT too: a Ctrl+C in the demo's terminal reaches this process as well.
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    stopping = true;
  });
}

const stats: StorefrontStats = {
  operations: 0,
  ordersPlaced: 0,
  ordersChanged: 0,
  ordersDeleted: 0,
  itemsMoved: 0,
  itemsDeleted: 0,
  customersChanged: 0,
};
const affected = (result: unknown) => (result as { affectedRows: number }).affectedRows;
const ids = async (sql: string) =>
  ((await conn.query(sql))[0] as Array<{ id: string }>).map((r) => Number(r.id));
let orders = await ids('SELECT entity_id AS id FROM sales_flat_order ORDER BY entity_id DESC LIMIT 500');
let items = await ids('SELECT item_id AS id FROM sales_flat_order_item ORDER BY item_id DESC LIMIT 500');
const customers = await ids('SELECT entity_id AS id FROM customer_entity ORDER BY entity_id DESC LIMIT 200');
const hot = orders.slice(0, 5); // rows touched over and over
let n = 0;
process.stdout.write('open\n');

const operationsList: Array<() => Promise<void>> = [
  async () => {
    n++;
    const [result] = await conn.query(
      `INSERT INTO sales_flat_order (increment_id, state, status, customer_id, customer_email, store_id, grand_total,
         subtotal, tax_amount, shipping_amount, base_currency_code, remote_ip, created_at, updated_at, customer_note)
       VALUES (?, 'new', 'pending', ?, ?, 1, ?, ?, 0, 5, 'EUR', '10.1.2.3', NOW(), NOW(), ?)`,
      [
        `W${process.pid}-${n}`,
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
      const [item] = await conn.query(
        `INSERT INTO sales_flat_order_item (order_id, product_id, sku, name, qty_ordered, price, row_total, product_options, created_at)
         VALUES (?, 1, ?, 'Thing', 1, 9.9900, 9.9900, 'a:1:{s:3:"qty";i:1;}', NOW())`,
        [orderId, `SKU-${n}-${i}`],
      );
      items.push((item as { insertId: number }).insertId);
    }
  },
  async () => {
    const id = random() < 0.5 ? pick(hot) : pick(orders);
    if (!id) return;
    const [result] = await conn.query(
      'UPDATE sales_flat_order SET grand_total = grand_total + 1, status = ? WHERE entity_id = ?',
      [pick(['processing', 'complete', 'holded']), id],
    );
    stats.ordersChanged += affected(result);
  },
  async () => {
    const id = pick(items);
    if (!id) return;
    // A key change: the item moves to a new id (the old key's removal and the new key's arrival).
    const moved = 10_000_000 + ++n;
    const [result] = await conn.query('UPDATE sales_flat_order_item SET item_id = ? WHERE item_id = ?', [
      moved,
      id,
    ]);
    if (affected(result) === 1) {
      items = items.map((x) => (x === id ? moved : x));
      stats.itemsMoved++;
    }
  },
  async () => {
    const id = pick(items);
    if (!id) return;
    const [result] = await conn.query('DELETE FROM sales_flat_order_item WHERE item_id = ?', [id]);
    items = items.filter((x) => x !== id);
    stats.itemsDeleted += affected(result);
  },
  async () => {
    const id = pick(orders.filter((o) => !hot.includes(o)));
    if (!id || random() < 0.7) return;
    const [result] = await conn.query('DELETE FROM sales_flat_order WHERE entity_id = ?', [id]);
    orders = orders.filter((x) => x !== id);
    stats.ordersDeleted += affected(result);
  },
  async () => {
    const id = pick(customers);
    if (!id) return;
    const [result] = await conn.query(
      'UPDATE customer_entity SET taxvat = ?, updated_at = NOW() WHERE entity_id = ?',
      [`VAT${n++}`, id],
    );
    stats.customersChanged += affected(result);
  },
];

const started = Date.now();
while (!stopping) {
  const op = pick(operationsList);
  try {
    if (op) await op();
  } catch (error) {
    // A real shop also hits a duplicate now and then; it is not the storefront's job to avoid them all.
    if ((error as { errno?: number }).errno !== 1062) throw error;
  }
  stats.operations++;
  const due = started + (stats.operations * 1000) / rate;
  if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
}
await conn.end();
process.stdout.write(`${JSON.stringify(stats)}\n`);

/**
 * A simulated storefront for delta tests: a separate process that keeps inserting, updating
 * (including key changes and rows touched many times) and deleting orders, order items and
 * customers on the source until it gets SIGTERM, then prints how many operations it made.
 * Usage: node --import tsx test/support/store-writer.ts <mysql url> <schema> <ops per second> <seed>
 */
import mysql from 'mysql2/promise';

const [url, schema, rateText, seedText] = process.argv.slice(2);
if (!url || !schema) throw new Error('usage: store-writer.ts <mysql url> <schema> <ops/s> <seed>');
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
process.on('SIGTERM', () => {
  stopping = true;
});

const ids = async (sql: string) =>
  ((await conn.query(sql))[0] as Array<{ id: string }>).map((r) => Number(r.id));
let orders = await ids('SELECT entity_id AS id FROM sales_flat_order ORDER BY entity_id DESC LIMIT 500');
let items = await ids('SELECT item_id AS id FROM sales_flat_order_item ORDER BY item_id DESC LIMIT 500');
const customers = await ids('SELECT entity_id AS id FROM customer_entity ORDER BY entity_id DESC LIMIT 200');
const hot = orders.slice(0, 5); // rows touched over and over
let operations = 0;
let n = 0;

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
    if (id)
      await conn.query(
        'UPDATE sales_flat_order SET grand_total = grand_total + 1, status = ? WHERE entity_id = ?',
        [pick(['processing', 'complete', 'holded']), id],
      );
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
    if ((result as { affectedRows: number }).affectedRows === 1)
      items = items.map((x) => (x === id ? moved : x));
  },
  async () => {
    const id = pick(items);
    if (!id) return;
    await conn.query('DELETE FROM sales_flat_order_item WHERE item_id = ?', [id]);
    items = items.filter((x) => x !== id);
  },
  async () => {
    const id = pick(orders.filter((o) => !hot.includes(o)));
    if (!id || random() < 0.7) return;
    await conn.query('DELETE FROM sales_flat_order WHERE entity_id = ?', [id]);
    orders = orders.filter((x) => x !== id);
  },
  async () => {
    const id = pick(customers);
    if (id)
      await conn.query('UPDATE customer_entity SET taxvat = ?, updated_at = NOW() WHERE entity_id = ?', [
        `VAT${n++}`,
        id,
      ]);
  },
];

const started = Date.now();
while (!stopping) {
  const op = pick(operationsList);
  try {
    if (op) await op();
  } catch (error) {
    // A real shop also hits a duplicate now and then; it is not the writer's job to avoid them all.
    if ((error as { errno?: number }).errno !== 1062) throw error;
  }
  operations++;
  const due = started + (operations * 1000) / rate;
  if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
}
await conn.end();
process.stdout.write(`${operations}\n`);

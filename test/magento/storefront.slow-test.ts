import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RowDataPacket } from 'mysql2/promise';
import {
  MagentoStorefront,
  runMagentoStorefront,
  STOREFRONT_OPERATIONS,
} from '../../src/magento/storefront.js';
import { adminConnection } from '../support/database.js';
import { createMagento1Schema, foreignKeyOrphans, generateStoreInto } from '../support/magento.js';

async function count(schema: string, table: string, where = '1'): Promise<number> {
  const conn = await adminConnection();
  try {
    const [rows] = await conn.query<RowDataPacket[]>(
      `SELECT COUNT(*) AS n FROM \`${schema}\`.\`${table}\` WHERE ${where}`,
    );
    return Number(rows[0]?.n);
  } finally {
    await conn.end();
  }
}

describe('the Magento 1.9 storefront', () => {
  it('places, invoices, edits and adds what a live 1.9 shop does, leaving no orphan', async () => {
    const { schema } = await createMagento1Schema('front');
    await generateStoreInto(schema, { orders: 30, seed: 5 });
    const before = {
      orders: await count(schema, 'sales_flat_order'),
      invoices: await count(schema, 'sales_flat_invoice'),
      quotes: await count(schema, 'sales_flat_quote'),
      reviews: await count(schema, 'review'),
      subscribers: await count(schema, 'newsletter_subscriber'),
    };
    const conn = await adminConnection();
    try {
      const storefront = await MagentoStorefront.open(conn, schema, 9);
      for (let i = 0; i < 3; i++)
        for (const operation of STOREFRONT_OPERATIONS) await storefront.run(operation);
      for (const operation of STOREFRONT_OPERATIONS) assert.equal(storefront.stats[operation], 3, operation);
    } finally {
      await conn.end();
    }
    assert.equal(await count(schema, 'sales_flat_order'), before.orders + 3);
    assert.equal(await count(schema, 'sales_flat_invoice'), before.invoices + 3);
    assert.equal(await count(schema, 'sales_flat_quote'), before.quotes + 3);
    assert.equal(await count(schema, 'review'), before.reviews + 3);
    assert.equal(await count(schema, 'newsletter_subscriber'), before.subscribers + 3);
    // The invoiced orders are processing and paid; their items invoiced.
    assert.ok(
      (await count(schema, 'sales_flat_order', "state = 'processing' AND total_paid = grand_total")) >= 3,
    );
    assert.deepEqual(await foreignKeyOrphans(schema), []);
    // Increment ids continue per store, and eav_entity_store keeps the last one.
    assert.equal(
      await count(
        schema,
        'eav_entity_store',
        `entity_type_id = (SELECT entity_type_id FROM \`${schema}\`.eav_entity_type WHERE entity_type_code = 'order')
         AND increment_last_id <> (SELECT MAX(increment_id) FROM \`${schema}\`.sales_flat_order o WHERE o.store_id = eav_entity_store.store_id)`,
      ),
      0,
    );
  });

  it('runs until stopped without failing an operation', async () => {
    const { schema } = await createMagento1Schema('front_run');
    await generateStoreInto(schema, { orders: 20, seed: 6 });
    const conn = await adminConnection();
    const stop = new AbortController();
    try {
      const running = runMagentoStorefront(conn, schema, { rate: 50, seed: 2, signal: stop.signal });
      while ((await count(schema, 'sales_flat_order')) < 22) await new Promise((r) => setTimeout(r, 50));
      stop.abort();
      const result = await running;
      assert.equal(result.errors, 0, result.lastError);
      assert.ok(result.stats.placeOrder >= 2);
    } finally {
      await conn.end();
    }
  });
});

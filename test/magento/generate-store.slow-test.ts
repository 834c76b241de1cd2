import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RowDataPacket } from 'mysql2/promise';
import { adminConnection } from '../support/database.js';
import { createMagento1Schema, foreignKeyOrphans, generateStoreInto } from '../support/magento.js';

async function rows(sql: string, params: unknown[] = []): Promise<RowDataPacket[]> {
  const conn = await adminConnection();
  try {
    const [result] = await conn.query<RowDataPacket[]>(sql, params);
    return result;
  } finally {
    await conn.end();
  }
}

describe('the Magento 1.9 store generator', () => {
  it('writes a store whose rows satisfy every foreign key of the 1.9 schema', async () => {
    const { schema } = await createMagento1Schema('gen_fk');
    const store = await generateStoreInto(schema, { orders: 120, seed: 7 });
    assert.deepEqual(await foreignKeyOrphans(schema), []);

    const types = await rows(
      `SELECT type_id, COUNT(*) AS n FROM \`${schema}\`.catalog_product_entity GROUP BY type_id`,
    );
    assert.deepEqual(types.map((r) => r.type_id).sort(), [
      'bundle',
      'configurable',
      'downloadable',
      'grouped',
      'simple',
      'virtual',
    ]);
    const states = await rows(`SELECT DISTINCT state FROM \`${schema}\`.sales_flat_order ORDER BY state`);
    assert.deepEqual(
      states.map((r) => r.state),
      ['canceled', 'closed', 'complete', 'holded', 'new', 'payment_review', 'pending_payment', 'processing'],
    );
    assert.equal(store.counts.sales_flat_order, 120);
    assert.ok((store.counts.sales_flat_invoice ?? 0) > 0);
    assert.ok((store.counts.sales_flat_shipment ?? 0) > 0);
    assert.ok((store.counts.sales_flat_creditmemo ?? 0) > 0);

    // Values on the admin store and overrides on the second website's store view, by attribute code.
    const overrides = await rows(
      `SELECT COUNT(*) AS n FROM \`${schema}\`.catalog_product_entity_varchar v
       JOIN \`${schema}\`.eav_attribute a ON a.attribute_id = v.attribute_id AND a.attribute_code = 'name'
       WHERE v.store_id = ?`,
      [store.layout.overrideStoreId],
    );
    assert.ok(Number(overrides[0]?.n) > 0);
    // The shop's own attributes come after the installer's ids and carry values.
    const own = await rows(
      `SELECT a.attribute_code, COUNT(v.value_id) AS n FROM \`${schema}\`.eav_attribute a
       LEFT JOIN \`${schema}\`.catalog_product_entity_int v ON v.attribute_id = a.attribute_id
       WHERE a.attribute_code IN ('size', 'color') AND a.entity_type_id = 4 GROUP BY a.attribute_code ORDER BY a.attribute_code`,
    );
    assert.deepEqual(
      own.map((r) => r.attribute_code),
      ['color', 'size'],
    );
    for (const r of own) assert.ok(Number(r.n) > 0, `${r.attribute_code} has values`);

    // Order items keep PHP-serialized options with byte lengths; increments continue per store.
    const item = await rows(
      `SELECT product_options FROM \`${schema}\`.sales_flat_order_item WHERE product_type = 'configurable' LIMIT 1`,
    );
    assert.match(String(item[0]?.product_options), /^a:\d+:\{s:15:"info_buyRequest";a:/);
    const increments = await rows(
      `SELECT s.store_id, s.increment_last_id, (SELECT MAX(o.increment_id) FROM \`${schema}\`.sales_flat_order o WHERE o.store_id = s.store_id) AS max_id
       FROM \`${schema}\`.eav_entity_store s JOIN \`${schema}\`.eav_entity_type t ON t.entity_type_id = s.entity_type_id AND t.entity_type_code = 'order'`,
    );
    assert.ok(increments.length >= 2);
    for (const r of increments) assert.equal(r.increment_last_id, r.max_id);

    // The wider store: every area has rows.
    for (const table of [
      'sales_flat_quote',
      'sales_flat_quote_item_option',
      'review',
      'rating_option_vote',
      'newsletter_subscriber',
      'salesrule',
      'salesrule_coupon',
      'cms_page',
      'cms_block',
      'log_visitor',
      'wishlist_item_option',
      'log_url',
      'downloadable_link_purchased_item',
      'catalog_product_bundle_selection',
      'catalog_product_super_attribute',
      'catalog_product_entity_media_gallery_value',
      'catalog_product_entity_tier_price',
      'catalog_product_entity_group_price',
      'catalog_product_option',
      'catalog_product_option_title',
      'catalog_product_option_price',
      'catalog_product_option_type_title',
      'catalog_product_option_type_price',
    ]) {
      assert.ok((store.counts[table] ?? 0) > 0, `${table} has rows`);
    }
    const rewrites = await rows(
      `SELECT is_system, product_id IS NOT NULL AS product, category_id IS NOT NULL AS category, COUNT(*) AS n
       FROM \`${schema}\`.core_url_rewrite GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    );
    const kinds = rewrites.map((r) => `${r.is_system}/${r.product}/${r.category}`);
    for (const kind of ['0/0/0', '1/0/1', '1/1/0', '1/1/1'])
      assert.ok(kinds.includes(kind), `rewrite kind ${kind}`);
    const rule = await rows(
      `SELECT conditions_serialized FROM \`${schema}\`.salesrule ORDER BY rule_id LIMIT 1`,
    );
    assert.match(
      String(rule[0]?.conditions_serialized),
      /s:4:"type";s:32:"salesrule\/rule_condition_combine"/,
    );
    const guests = await rows(
      `SELECT COUNT(*) AS n FROM \`${schema}\`.newsletter_subscriber WHERE customer_id = 0`,
    );
    assert.ok(Number(guests[0]?.n) > 0);
  });

  it('writes into our schema fixture when the shared installs are absent', async () => {
    const { schema, origin } = await createMagento1Schema('gen_fixture', 'fixture');
    assert.equal(origin, 'fixture');
    const store = await generateStoreInto(schema, { orders: 30, seed: 3 });
    assert.equal(store.counts.sales_flat_order, 30);
    assert.deepEqual(await foreignKeyOrphans(schema), []);
  });

  it('writes into a 1.9 install with a table prefix', async () => {
    const { schema } = await createMagento1Schema('gen_prefix', 'auto', 'mg_');
    const tables = await rows(
      "SELECT COUNT(*) AS n, SUM(TABLE_NAME NOT LIKE 'mg\\_%') AS unprefixed FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?",
      [schema],
    );
    assert.ok(Number(tables[0]?.n) > 100);
    assert.equal(Number(tables[0]?.unprefixed), 0);
    const store = await generateStoreInto(schema, { orders: 20, seed: 4, prefix: 'mg_' });
    assert.equal(store.counts.sales_flat_order, 20);
    const orders = await rows(`SELECT COUNT(*) AS n FROM \`${schema}\`.mg_sales_flat_order`);
    assert.equal(Number(orders[0]?.n), 20);
    assert.deepEqual(await foreignKeyOrphans(schema), []);
  });

  it('writes the same rows for the same seed', async () => {
    const checksums = async (label: string, seed: number) => {
      const { schema } = await createMagento1Schema(label);
      const store = await generateStoreInto(schema, { orders: 40, seed });
      const tables = [
        'catalog_product_entity_varchar',
        'customer_entity',
        'sales_flat_order',
        'sales_flat_order_item',
      ];
      const sums = await rows(`CHECKSUM TABLE ${tables.map((t) => `\`${schema}\`.\`${t}\``).join(', ')}`);
      return { counts: store.counts, sums: sums.map((r) => r.Checksum) };
    };
    const first = await checksums('gen_seed_a', 11);
    const again = await checksums('gen_seed_b', 11);
    const other = await checksums('gen_seed_c', 12);
    assert.deepEqual(again, first);
    assert.notDeepEqual(other.sums, first.sums);
  });
});

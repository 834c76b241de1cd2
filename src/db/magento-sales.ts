/**
 * Selects over a Magento 1.9 source for what 2.4 keeps differently: the order states customers
 * see on the storefront (2.4's `visible_on_front`, a config flag in 1.9), and the increment ids
 * per store and document type, from which 2.4's sequence tables continue.
 */
import type { Value } from '../handlers/contract.js';
import type { Database, Queryable } from './database.js';
import { quoteIdentifier } from './identifiers.js';

/**
 * sales_order_status_state with 2.4's visible_on_front: 1.9 shows a customer the orders of
 * every state except pending_payment (Mage_Sales config.xml `visible_on_front`), as 2.4 does.
 */
export function orderStatusStateSelect(prefix: string): string {
  return `SELECT status, state, is_default, IF(state = 'pending_payment', 0, 1) AS visible_on_front FROM ${quoteIdentifier(`${prefix}sales_order_status_state`)}`;
}

/** The 1.9 documents that carry increment ids, by 2.4's sequence entity type. */
export const SEQUENCE_SOURCES = {
  order: 'sales_flat_order',
  invoice: 'sales_flat_invoice',
  creditmemo: 'sales_flat_creditmemo',
  shipment: 'sales_flat_shipment',
} as const;
export type SequenceType = keyof typeof SEQUENCE_SOURCES;

/**
 * Per source store, the highest numeric increment id of one document type (1.9's
 * `100000042` is 100000042; a prefixed id counts by its digits after the prefix).
 */
export async function highestIncrementIds(
  source: Queryable,
  prefix: string,
  type: SequenceType,
  /** Only these documents, by entity id (delta: the ones that changed, read by key); default all. */
  entityIds?: readonly Value[],
): Promise<Map<string, bigint>> {
  if (entityIds?.length === 0) return new Map();
  const only = entityIds ? ` AND entity_id IN (${entityIds.map(() => '?').join(', ')})` : '';
  const rows = await source.query<{ store_id: string | number | null; highest: string | null }>(
    `SELECT store_id, MAX(CAST(REGEXP_SUBSTR(increment_id, '[0-9]+$') AS UNSIGNED)) AS highest
       FROM ${quoteIdentifier(`${prefix}${SEQUENCE_SOURCES[type]}`)} WHERE store_id IS NOT NULL${only} GROUP BY store_id`,
    entityIds ? [...entityIds] : [],
  );
  return new Map(rows.map((r) => [String(r.store_id), BigInt(r.highest ?? 0)]));
}

/** The destination's store ids (admin included: 2.4 keeps sequences for store 0 too). */
export async function destinationStoreIds(destination: Queryable, prefix: string): Promise<string[]> {
  const rows = await destination.query<{ store_id: string | number }>(
    `SELECT store_id FROM ${quoteIdentifier(`${prefix}store`)} ORDER BY store_id`,
  );
  return rows.map((r) => String(r.store_id));
}

/**
 * Makes sure one store's sequence of one type exists as 2.4's installer makes it (the table,
 * its sales_sequence_meta row and an active sales_sequence_profile row), and that its next
 * value comes after `atLeast`. Inside `tx`, except the CREATE TABLE, which MariaDB commits
 * implicitly: it comes first, and IF NOT EXISTS makes a repeat harmless. Returns the table.
 */
export async function ensureSequence(
  destination: Database,
  prefix: string,
  type: SequenceType,
  storeId: string,
  atLeast: bigint,
): Promise<string> {
  const sequenceTable = `sequence_${type}_${storeId}`;
  const table = quoteIdentifier(`${prefix}${sequenceTable}`);
  await destination.execute(
    `CREATE TABLE IF NOT EXISTS ${table} (sequence_value int(10) unsigned NOT NULL AUTO_INCREMENT, PRIMARY KEY (sequence_value)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci`,
  );
  await destination.transaction(async (tx) => {
    const meta = quoteIdentifier(`${prefix}sales_sequence_meta`);
    const profile = quoteIdentifier(`${prefix}sales_sequence_profile`);
    const [existing] = await tx.query<{ meta_id: string | number }>(
      `SELECT meta_id FROM ${meta} WHERE entity_type = ? AND store_id = ?`,
      [type, storeId],
    );
    let metaId = existing?.meta_id;
    if (metaId === undefined) {
      const inserted = await tx.execute(
        `INSERT INTO ${meta} (entity_type, store_id, sequence_table) VALUES (?, ?, ?)`,
        [type, storeId, sequenceTable],
      );
      metaId = inserted.insertId;
      await tx.execute(
        `INSERT INTO ${profile} (meta_id, prefix, suffix, start_value, step, max_value, warning_value, is_active) VALUES (?, NULL, NULL, 1, 1, 4294967295, 4294966295, 1)`,
        [metaId],
      );
    }
    if (atLeast > 0n) {
      const [highest] = await tx.query<{ v: string | null }>(`SELECT MAX(sequence_value) AS v FROM ${table}`);
      if (BigInt(highest?.v ?? 0) < atLeast) {
        await tx.execute(`INSERT INTO ${table} (sequence_value) VALUES (?)`, [atLeast.toString()]);
      }
    }
  });
  return sequenceTable;
}

/** The value the sequence gives next (its AUTO_INCREMENT), for verification. */
export async function nextSequenceValue(
  destination: Queryable,
  prefix: string,
  sequenceTable: string,
): Promise<bigint> {
  const [row] = await destination.query<{ v: string | null }>(
    `SELECT MAX(sequence_value) AS v FROM ${quoteIdentifier(`${prefix}${sequenceTable}`)}`,
  );
  return BigInt(row?.v ?? 0) + 1n;
}

/**
 * sales_order_grid as 2.4's grid indexer builds it (Magento_Sales di.xml, sales_order_grid
 * columns), from the 1.9 rows that became sales_order, _address and _payment: the admin's
 * order list shows migrated orders without a reindex. store_id and customer_group are still
 * 1.9's here; the step maps them like the order's own.
 */
export function orderGridSelect(prefix: string): string {
  const t = (name: string) => quoteIdentifier(`${prefix}${name}`);
  const address = (a: string) => `CONCAT_WS(',', ${a}.street, ${a}.city, ${a}.region, ${a}.postcode)`;
  const name = (first: string, last: string) =>
    `TRIM(CONCAT_WS(' ', IF(${first} <> '', ${first}, NULL), IF(${last} <> '', ${last}, NULL)))`;
  return `SELECT o.entity_id, o.status, o.store_id, o.store_name, o.customer_id, o.base_grand_total,
      o.base_total_paid, o.grand_total, o.total_paid, o.increment_id, o.base_currency_code,
      o.order_currency_code, ${name('s.firstname', 's.lastname')} AS shipping_name,
      ${name('b.firstname', 'b.lastname')} AS billing_name, o.created_at, o.updated_at,
      ${address('b')} AS billing_address, ${address('s')} AS shipping_address,
      o.shipping_description AS shipping_information, o.customer_email,
      o.customer_group_id AS customer_group, o.base_subtotal AS subtotal,
      o.base_shipping_amount AS shipping_and_handling,
      ${name('o.customer_firstname', 'o.customer_lastname')} AS customer_name,
      p.method AS payment_method, o.total_refunded
    FROM ${t('sales_flat_order')} o
    LEFT JOIN ${t('sales_flat_order_address')} b ON b.entity_id = o.billing_address_id
    LEFT JOIN ${t('sales_flat_order_address')} s ON s.entity_id = o.shipping_address_id
    LEFT JOIN ${t('sales_flat_order_payment')} p ON p.parent_id = o.entity_id`;
}

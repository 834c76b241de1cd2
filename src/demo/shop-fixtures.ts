/**
 * Objects a real shop already has in its database before any migration starts, created by the
 * simulated storefront for the modes that need them: an audit table filled by AFTER INSERT /
 * UPDATE / DELETE triggers on the order table (the same timing and events as the tool's tracking
 * triggers, which is what breaks prepared statements when ours land after them, issue 11), and a
 * stored procedure that writes to the order table in a loop. Creating them again changes nothing.
 * This is the shop's SQL, not the tool's: it lives with the simulator.
 */
import type mysql from 'mysql2/promise';
import type { StorefrontModes } from './storefront-modes.js';

/** The shop's own audit table; a migration's map has to ignore it (it has no place in the new store). */
export const AUDIT_TABLE = 'audit_orders';
/** The shop's audit triggers on the order table: AFTER INSERT, UPDATE, DELETE. */
export const AUDIT_TRIGGERS = [
  'shop_audit_orders_ai',
  'shop_audit_orders_au',
  'shop_audit_orders_ad',
] as const;
export const PROCEDURE = 'storefront_touch_order';
export const ORDER_TABLE = 'sales_flat_order';

export async function installShopFixtures(
  conn: mysql.Connection,
  schema: string,
  modes: StorefrontModes,
): Promise<void> {
  const s = `\`${schema}\``;
  if (modes.ownTriggers) {
    await conn.query(
      `CREATE TABLE IF NOT EXISTS ${s}.${AUDIT_TABLE} (
         id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
         order_id INT UNSIGNED NOT NULL,
         action VARCHAR(8) NOT NULL,
         grand_total DECIMAL(12,4) NULL,
         logged_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
       ) ENGINE=InnoDB`,
    );
    const [ai, au, ad] = AUDIT_TRIGGERS;
    const audit = (row: 'NEW' | 'OLD', action: string) =>
      `INSERT INTO ${s}.${AUDIT_TABLE} (order_id, action, grand_total) VALUES (${row}.entity_id, '${action}', ${row}.grand_total)`;
    for (const [name, event, body] of [
      [ai, 'INSERT', audit('NEW', 'insert')],
      [au, 'UPDATE', audit('NEW', 'update')],
      [ad, 'DELETE', audit('OLD', 'delete')],
    ] as const) {
      await conn.query(
        `CREATE TRIGGER IF NOT EXISTS ${s}.${name} AFTER ${event} ON ${s}.${ORDER_TABLE} FOR EACH ROW ${body}`,
      );
    }
  }
  if (modes.procedure) {
    await conn.query(
      `CREATE PROCEDURE IF NOT EXISTS ${s}.${PROCEDURE}(IN p_order BIGINT, IN p_writes INT)
       BEGIN
         DECLARE i INT DEFAULT 0;
         WHILE i < p_writes DO
           UPDATE ${s}.${ORDER_TABLE} SET grand_total = grand_total + 1, updated_at = NOW() WHERE entity_id = p_order;
           SET i = i + 1;
         END WHILE;
       END`,
    );
  }
}

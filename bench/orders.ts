/**
 * The benchmark's table: `orders`, shaped like Magento 1's sales_flat_order (an auto-increment
 * bigint key, money as DECIMAL(12,4), short and long varchars, datetimes, a nullable TEXT,
 * a unique and three plain secondary indexes), and the statement that fills it inside the
 * server from MariaDB's sequence engine with deterministic expressions, so every run copies
 * the same bytes and generation takes seconds.
 */

export const ORDERS_DDL = `(
  entity_id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  state VARCHAR(32) NULL,
  status VARCHAR(32) NULL,
  store_id SMALLINT UNSIGNED NULL,
  customer_id INT UNSIGNED NULL,
  customer_group_id SMALLINT NULL,
  increment_id VARCHAR(50) NOT NULL,
  customer_email VARCHAR(255) NULL,
  customer_firstname VARCHAR(255) NULL,
  customer_lastname VARCHAR(255) NULL,
  order_currency_code VARCHAR(3) NULL,
  grand_total DECIMAL(12,4) NULL,
  base_grand_total DECIMAL(12,4) NULL,
  subtotal DECIMAL(12,4) NULL,
  tax_amount DECIMAL(12,4) NULL,
  shipping_amount DECIMAL(12,4) NULL,
  discount_amount DECIMAL(12,4) NULL,
  total_qty_ordered DECIMAL(12,4) NULL,
  is_virtual TINYINT UNSIGNED NULL,
  remote_ip VARCHAR(32) NULL,
  shipping_method VARCHAR(255) NULL,
  protect_code VARCHAR(255) NULL,
  created_at DATETIME NULL,
  updated_at DATETIME NULL,
  customer_note TEXT NULL,
  PRIMARY KEY (entity_id),
  UNIQUE KEY uq_increment_id (increment_id),
  KEY ix_customer_id (customer_id),
  KEY ix_status (status),
  KEY ix_created_at (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`;

/** Column count of ORDERS_DDL, for the report. */
export const ORDERS_COLUMNS = 25;

/**
 * `INSERT ... SELECT` of `rows` deterministic orders into `schema`.orders (the sequence table
 * is read in the same schema: the sequence engine answers in any). Text
 * includes non-ASCII names, and every eleventh note a tab and a newline, so the streaming path
 * escapes what real data makes it escape.
 */
export function generateOrdersSql(schema: string, rows: number): string {
  return `INSERT INTO \`${schema}\`.orders SELECT
    seq,
    ELT(1 + seq % 5, 'new', 'processing', 'complete', 'canceled', 'closed'),
    ELT(1 + seq % 6, 'pending', 'processing', 'complete', 'canceled', 'closed', 'holded'),
    seq % 4,
    IF(seq % 7 = 0, NULL, (seq * 7919) % 200000 + 1),
    IF(seq % 7 = 0, 0, 1 + seq % 3),
    CONCAT('1', LPAD(seq, 9, '0')),
    CONCAT('customer', (seq * 7919) % 200000, '@example.com'),
    ELT(1 + seq % 8, 'Anna', 'Björn', 'Chloé', 'Dmitri', 'Émile', 'Fatima', 'Günter', 'Hiroshi'),
    CONCAT(ELT(1 + seq % 5, 'Smith', 'Müller', 'García', 'O''Brien', 'Nowak'), '-', seq % 997),
    ELT(1 + seq % 3, 'EUR', 'USD', 'GBP'),
    (seq * 7919) % 10000000 / 10000,
    (seq * 7919) % 10000000 / 10000 * 1.1,
    (seq * 7919) % 10000000 / 10000 * 0.84,
    (seq * 7919) % 10000000 / 10000 * 0.16,
    (seq % 3) * 4.95,
    IF(seq % 10 = 0, -((seq * 31) % 5000) / 100, 0),
    1 + seq % 10,
    IF(seq % 20 = 0, 1, 0),
    CONCAT('10.', seq % 256, '.', (seq DIV 256) % 256, '.', (seq DIV 65536) % 256),
    ELT(1 + seq % 3, 'flatrate_flatrate', 'freeshipping_freeshipping', 'tablerate_bestway'),
    SUBSTRING(MD5(seq), 1, 6),
    TIMESTAMP('2012-01-01') + INTERVAL (seq * 97) SECOND,
    TIMESTAMP('2012-01-01') + INTERVAL (seq * 97 + seq % 86400) SECOND,
    CASE
      WHEN seq % 3 = 0 THEN NULL
      WHEN seq % 11 = 0 THEN CONCAT('Leave at the door.\\tRing twice.\\nOrder ', seq)
      ELSE REPEAT(CONCAT('note ', seq, ' '), 1 + seq % 5)
    END
  FROM \`${schema}\`.seq_1_to_${rows}`;
}

/**
 * Order-independent table checksums computed by the database: the count plus a sum of per-row
 * hashes over HEX() of each column with an explicit NULL marker, so every byte of every value
 * counts and no value passes through JavaScript.
 */
import type { Connection, RowDataPacket } from 'mysql2/promise';

const q = (name: string) => '`' + name.replaceAll('`', '``') + '`';

export interface Checksum {
  rows: number;
  sum: string;
}

export async function checksum(
  conn: Connection,
  schema: string,
  table: string,
  columns: readonly string[],
): Promise<Checksum> {
  // CONCAT turns a number into its text first: HEX(12.3456) alone would hash only the integer 12.
  const parts = columns.map((c) => `IFNULL(HEX(CONCAT(${q(c)})), '\\\\N')`).join(", '#', ");
  const [rows] = await conn.query<RowDataPacket[]>(
    `SELECT COUNT(*) AS n, CAST(COALESCE(SUM(CAST(CONV(SUBSTRING(MD5(CONCAT(${parts})), 1, 15), 16, 10) AS UNSIGNED)), 0) AS CHAR) AS s
       FROM ${q(schema)}.${q(table)}`,
  );
  return { rows: Number(rows[0]?.n), sum: String(rows[0]?.s) };
}

/** Rows whose key appears more than once: proof that nothing was copied twice. */
export async function duplicateKeys(conn: Connection, schema: string, table: string, key: readonly string[]) {
  const cols = key.map(q).join(', ');
  const [rows] = await conn.query<RowDataPacket[]>(
    `SELECT COUNT(*) AS n FROM (SELECT ${cols} FROM ${q(schema)}.${q(table)} GROUP BY ${cols} HAVING COUNT(*) > 1) d`,
  );
  return Number(rows[0]?.n);
}

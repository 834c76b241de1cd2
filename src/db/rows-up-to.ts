/**
 * How many rows a table holds, counted only up to a bound: enough to say "more than N" without
 * a full count of a huge table (DESTINATION_NOT_EMPTY names the order of magnitude).
 */
import type { Queryable } from './database.js';
import { qualifiedName } from './identifiers.js';

/** The table's row count when at most `bound`, else `bound + 1`. */
export async function countRowsUpTo(
  db: Queryable,
  schema: string,
  table: string,
  bound: number,
): Promise<number> {
  const [row] = await db.query<{ n: string }>(
    `SELECT COUNT(*) AS n FROM (SELECT 1 FROM ${qualifiedName(schema, table)} LIMIT ${bound + 1}) AS t`,
  );
  return Number(row?.n ?? 0);
}

/**
 * Orphan rows of one foreign key: child rows whose referencing columns are all non-NULL (a NULL
 * in any of them means "refers to nothing", which the constraint allows) and match no parent
 * row. Set-based: one COUNT over a LEFT JOIN, and only when it finds some, one read of a few
 * examples. Both run under bulk_read_timeout, since they scan the whole child table.
 */
import type { Value } from '../handlers/contract.js';
import type { Database } from './database.js';
import type { ForeignKey } from './foreign-keys.js';
import { qualifiedName, quoteIdentifier } from './identifiers.js';

export interface OrphanExample {
  /** The child row's primary key values; empty when the child table has none. */
  key: Value[];
  /** The values it refers to, which no parent row holds. */
  references: Value[];
}

export interface OrphanRows {
  count: number;
  /** The first orphans in the child's key order, at most the limit asked for. */
  examples: OrphanExample[];
}

export async function findOrphanRows(
  db: Database,
  key: ForeignKey,
  exampleLimit: number,
): Promise<OrphanRows> {
  const child = (column: string) => `c.${quoteIdentifier(column)}`;
  const parent = (column: string) => `p.${quoteIdentifier(column)}`;
  const join = key.columns.map((column, i) => `${parent(key.parentColumns[i] ?? '')} = ${child(column)}`);
  const from =
    `FROM ${qualifiedName(key.schema, key.table)} c` +
    ` LEFT JOIN ${qualifiedName(key.parentSchema, key.parentTable)} p ON ${join.join(' AND ')}` +
    ` WHERE ${key.columns.map((c) => `${child(c)} IS NOT NULL`).join(' AND ')}` +
    ` AND ${parent(key.parentColumns[0] ?? '')} IS NULL`;
  const [counted] = await db.bulk.query<{ n: string | number }>(`SELECT COUNT(*) AS n ${from}`);
  const count = Number(counted?.n ?? 0);
  if (count === 0 || exampleLimit <= 0) return { count, examples: [] };
  const selected = [...key.tableKey, ...key.columns].map(child).join(', ');
  const order = key.tableKey.length ? ` ORDER BY ${key.tableKey.map(child).join(', ')}` : '';
  const rows = await db.bulk.queryArrays(
    `SELECT ${selected} ${from}${order} LIMIT ${Math.floor(exampleLimit)}`,
  );
  const split = key.tableKey.length;
  return {
    count,
    examples: rows.map((row) => ({ key: row.slice(0, split), references: row.slice(split) })),
  };
}

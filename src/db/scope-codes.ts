/**
 * The (id, code) pairs of a scope table (websites, store views), so settings scoped to a store
 * view land on the store with the same code on the other side. A shop has a handful of them.
 */
import type { Queryable } from './database.js';
import { qualifiedName, quoteIdentifier } from './identifiers.js';

export async function readScopeCodes(
  db: Pick<Queryable, 'queryArrays'>,
  schema: string,
  table: string,
  idColumn: string,
  codeColumn: string,
): Promise<Array<{ id: string; code: string }>> {
  const rows = await db.queryArrays(
    `SELECT ${quoteIdentifier(idColumn)}, ${quoteIdentifier(codeColumn)} FROM ${qualifiedName(schema, table)} ORDER BY ${quoteIdentifier(idColumn)}`,
  );
  return rows.map(([id, code]) => ({ id: text(id), code: text(code) }));
}

function text(value: unknown): string {
  return Buffer.isBuffer(value) ? value.toString('utf8') : String(value ?? '');
}

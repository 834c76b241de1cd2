/**
 * Deletes the rows of a table whose key is among `keys`, a bounded number of keys a statement,
 * inside the caller's transaction. Delta deletes the destination rows of the keys a batch
 * changed before it writes their current rows (src/steps/delta/apply-batch.ts).
 */
import type { Value } from '../handlers/contract.js';
import type { Queryable } from './database.js';
import { qualifiedName, quoteIdentifier } from './identifiers.js';

const KEYS_PER_STATEMENT = 1000;

export async function deleteRowsByKey(
  tx: Pick<Queryable, 'execute'>,
  target: { schema: string; table: string; key: readonly string[] },
  keys: readonly (readonly Value[])[],
): Promise<number> {
  const table = qualifiedName(target.schema, target.table);
  const columns = target.key.map(quoteIdentifier);
  const tuple = columns.length === 1 ? '?' : `(${columns.map(() => '?').join(', ')})`;
  const match = columns.length === 1 ? columns[0] : `(${columns.join(', ')})`;
  let deleted = 0;
  for (let i = 0; i < keys.length; i += KEYS_PER_STATEMENT) {
    const slice = keys.slice(i, i + KEYS_PER_STATEMENT);
    const result = await tx.execute(
      `DELETE FROM ${table} WHERE ${match} IN (${slice.map(() => tuple).join(', ')})`,
      slice.flat(),
    );
    deleted += result.affectedRows;
  }
  return deleted;
}

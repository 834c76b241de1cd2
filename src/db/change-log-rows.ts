/**
 * The rows of a delta change log on the source (the only table the tool writes there, besides
 * its triggers): a batch read in id order, and the deletion of exactly the ids a batch read
 * (invariant 7; see src/steps/delta/apply-batch.ts for why never "id <= watermark").
 */
import type { Value } from '../handlers/contract.js';
import type { Queryable } from './database.js';
import { qualifiedName, quoteIdentifier } from './identifiers.js';

/** One change: its id, the changed row's key (in the change log's key column order), I/U/D. */
export interface ChangeLogEntry {
  id: string;
  key: Value[];
  op: string;
}

const RANGES_PER_STATEMENT = 1000;

export interface ChangeLogTable {
  schema: string;
  table: string;
  /** The change log's key columns, in key order. */
  keyColumns: readonly string[];
}

/** Up to `limit` changes in id order. */
export async function readChangeLogBatch(
  db: Queryable,
  log: ChangeLogTable,
  limit: number,
): Promise<ChangeLogEntry[]> {
  const keyLength = log.keyColumns.length;
  const rows = await db.queryArrays(
    `SELECT id, ${log.keyColumns.map(quoteIdentifier).join(', ')}, op FROM ${qualifiedName(log.schema, log.table)} ORDER BY id LIMIT ${limit}`,
  );
  return rows.map((row) => ({
    id: String(row[0]),
    key: row.slice(1, 1 + keyLength),
    op: String(row[1 + keyLength]),
  }));
}

/** Deletes exactly the given change ids, as ranges of consecutive ids. */
export async function deleteChangeLogIds(
  db: Pick<Queryable, 'execute'>,
  log: Pick<ChangeLogTable, 'schema' | 'table'>,
  ids: readonly string[],
): Promise<void> {
  const sorted = ids.map((id) => BigInt(id)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const ranges: Array<[bigint, bigint]> = [];
  for (const id of sorted) {
    const last = ranges.at(-1);
    if (last && id === last[1] + 1n) last[1] = id;
    else ranges.push([id, id]);
  }
  const table = qualifiedName(log.schema, log.table);
  for (let i = 0; i < ranges.length; i += RANGES_PER_STATEMENT) {
    const slice = ranges.slice(i, i + RANGES_PER_STATEMENT);
    await db.execute(
      `DELETE FROM ${table} WHERE ${slice.map(() => '(id BETWEEN ? AND ?)').join(' OR ')}`,
      slice.flatMap(([a, b]) => [a.toString(), b.toString()]),
    );
  }
}

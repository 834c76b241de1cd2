/**
 * Merge rows into a table that already holds rows of its own, by a key: a row whose key the
 * table has is UPDATEd where a column differs, a row whose key it lacks is INSERTed, and
 * rows of the table that are not given are left alone. Written as a SELECT of the batch's keys
 * then plain UPDATE / INSERT statements with quoted identifiers and bound values: never
 * REPLACE, INSERT IGNORE or ON DUPLICATE KEY UPDATE, which a secondary unique key would turn
 * into a change of some other row (invariant 3). A dry run classifies without writing.
 *
 * Run it inside a destination transaction: it locks the rows it reads (FOR UPDATE) so the
 * comparison still holds when it writes, and it commits nothing itself. A row the destination
 * refuses comes back in `rejected` with the server's reason (a savepoint undoes just that
 * row); any other error is thrown unchanged for the caller to roll back.
 */
import type { Value } from '../handlers/contract.js';
import type { Queryable } from './database.js';
import { quoteIdentifier } from './identifiers.js';
import { type DatabaseProblem, databaseProblem, dataWarning, isRowLevelError } from './row-errors.js';
import { type RejectedRow, writeRows } from './row-writer.js';
import { keyText, sameValue } from './upsert-compare.js';

export interface UpsertByKeyOptions {
  /** The table, in the connection's current database. */
  table: string;
  /** The columns each row's values are in, in order. */
  columns: readonly string[];
  /** The columns rows are matched by: all among `columns`, and a primary or unique key of the table. */
  key: readonly string[];
  /**
   * information_schema DATA_TYPE of each of `columns`, in order: values are then compared the
   * way the column stores them ('5.00' equals '5.0000' in a DECIMAL). Without it, exactly.
   */
  types?: readonly string[];
  /** The destination session's @@max_allowed_packet, for sizing the INSERTs. */
  maxAllowedPacket: number;
  /** Classify only: read, write nothing, lock nothing. */
  dryRun?: boolean;
}

export type UpsertAction = 'insert' | 'update' | 'unchanged';

/** What happened (or, in a dry run, would happen) to one given row. */
export interface UpsertRowOutcome {
  action: UpsertAction;
  /** The row's key values, in `key` order. */
  key: Value[];
  /** For an update: the columns that differ, with the destination's values before. */
  changed: Array<{ column: string; before: Value; after: Value }>;
}

export interface UpsertRejectedRow extends RejectedRow {
  action: 'insert' | 'update';
}

export interface UpsertResult {
  inserted: number;
  updated: number;
  unchanged: number;
  /** One per given row, in the order given (a rejected row keeps its planned action here). */
  rows: UpsertRowOutcome[];
  /** Rows the destination refused; nothing of them was written. */
  rejected: UpsertRejectedRow[];
}

/** Keys looked up per SELECT: bounds the statement size. */
const KEYS_PER_SELECT = 500;

const ROW_SAVEPOINT = quoteIdentifier('store_migrate_upsert_row');

/** Merges `rows` (value arrays in `options.columns` order) into `options.table` by `options.key`. */
export async function upsertByKey(
  tx: Pick<Queryable, 'query' | 'queryArrays' | 'execute'>,
  rows: readonly (readonly Value[])[],
  options: UpsertByKeyOptions,
): Promise<UpsertResult> {
  const keyIndexes = keyIndexesOf(options);
  const keyTypes = keyIndexes.map((i) => options.types?.[i]);
  const keyOf = (row: readonly Value[]) => keyIndexes.map((i) => row[i] ?? null);

  const seen = new Map<string, number>();
  rows.forEach((row, index) => {
    if (row.length !== options.columns.length) {
      throw new TypeError(
        `upsertByKey: row ${index} has ${row.length} values for ${options.columns.length} columns`,
      );
    }
    const text = keyText(keyOf(row), keyTypes);
    const earlier = seen.get(text);
    if (earlier !== undefined)
      throw new TypeError(`upsertByKey: rows ${earlier} and ${index} have the same key`);
    seen.set(text, index);
  });

  const existing = await readExisting(tx, rows.map(keyOf), options, keyTypes);
  const result: UpsertResult = { inserted: 0, updated: 0, unchanged: 0, rows: [], rejected: [] };
  const inserts: Array<readonly Value[]> = [];
  const updates: Array<{ row: readonly Value[]; current: readonly Value[]; outcome: UpsertRowOutcome }> = [];
  for (const row of rows) {
    const current = existing.get(keyText(keyOf(row), keyTypes));
    if (!current) {
      result.rows.push({ action: 'insert', key: keyOf(row), changed: [] });
      inserts.push(row);
      continue;
    }
    const changed: UpsertRowOutcome['changed'] = [];
    options.columns.forEach((column, i) => {
      const after = row[i] ?? null;
      const before = current[i] ?? null;
      if (!keyIndexes.includes(i) && !sameValue(before, after, options.types?.[i])) {
        changed.push({ column, before, after });
      }
    });
    const outcome: UpsertRowOutcome = {
      action: changed.length ? 'update' : 'unchanged',
      key: keyOf(row),
      changed,
    };
    result.rows.push(outcome);
    if (changed.length) updates.push({ row, current, outcome });
  }
  result.inserted = inserts.length;
  result.updated = updates.length;
  result.unchanged = rows.length - inserts.length - updates.length;
  if (options.dryRun) return result;

  for (const { current, outcome } of updates) {
    const problem = await updateRow(
      tx,
      options,
      keyIndexes.map((i) => current[i] ?? null),
      outcome,
    );
    if (problem) {
      result.updated--;
      result.rejected.push({
        action: 'update',
        values: options.columns.map((column, i) => {
          const change = outcome.changed.find((c) => c.column === column);
          return change ? change.after : (current[i] ?? null);
        }),
        error: problem.message,
        code: problem.code,
        errno: problem.errno,
      });
    }
  }
  if (inserts.length > 0) {
    const written = await writeRows(tx, inserts, {
      table: options.table,
      columns: options.columns,
      maxAllowedPacket: options.maxAllowedPacket,
      useLoadData: false,
    });
    result.inserted -= written.rejected.length;
    for (const rejected of written.rejected) result.rejected.push({ ...rejected, action: 'insert' });
  }
  return result;
}

function keyIndexesOf(options: UpsertByKeyOptions): number[] {
  if (options.key.length === 0) throw new TypeError('upsertByKey: an empty key');
  return options.key.map((column) => {
    const index = options.columns.indexOf(column);
    if (index < 0) throw new TypeError(`upsertByKey: key column ${column} is not among the columns`);
    return index;
  });
}

/** The table's current rows for these keys, by key text, values in `options.columns` order. */
async function readExisting(
  tx: Pick<Queryable, 'queryArrays'>,
  keys: readonly Value[][],
  options: UpsertByKeyOptions,
  keyTypes: readonly (string | undefined)[],
): Promise<Map<string, Value[]>> {
  const found = new Map<string, Value[]>();
  const columns = options.columns.map(quoteIdentifier).join(', ');
  const keyColumns = options.key.map(quoteIdentifier);
  const keyIndexes = options.key.map((k) => options.columns.indexOf(k));
  for (let start = 0; start < keys.length; start += KEYS_PER_SELECT) {
    const batch = keys.slice(start, start + KEYS_PER_SELECT);
    const tuple = keyColumns.length === 1 ? '?' : `(${keyColumns.map(() => '?').join(', ')})`;
    const left = keyColumns.length === 1 ? (keyColumns[0] as string) : `(${keyColumns.join(', ')})`;
    const sql =
      `SELECT ${columns} FROM ${quoteIdentifier(options.table)} ` +
      `WHERE ${left} IN (${batch.map(() => tuple).join(', ')})${options.dryRun ? '' : ' FOR UPDATE'}`;
    for (const row of await tx.queryArrays(sql, batch.flat())) {
      found.set(
        keyText(
          keyIndexes.map((i) => row[i] ?? null),
          keyTypes,
        ),
        row,
      );
    }
  }
  return found;
}

/** UPDATEs the differing columns of one row, undoing it if the server refuses a value. */
async function updateRow(
  tx: Pick<Queryable, 'query' | 'execute'>,
  options: UpsertByKeyOptions,
  currentKey: readonly Value[],
  outcome: UpsertRowOutcome,
): Promise<DatabaseProblem | undefined> {
  const sql =
    `UPDATE ${quoteIdentifier(options.table)} SET ${outcome.changed.map((c) => `${quoteIdentifier(c.column)} = ?`).join(', ')} ` +
    `WHERE ${options.key.map((k) => `${quoteIdentifier(k)} <=> ?`).join(' AND ')}`;
  await tx.execute(`SAVEPOINT ${ROW_SAVEPOINT}`);
  let warnings: number;
  try {
    warnings = (await tx.execute(sql, [...outcome.changed.map((c) => c.after), ...currentKey])).warningStatus;
  } catch (error) {
    if (!isRowLevelError(error)) throw error;
    await tx.execute(`ROLLBACK TO SAVEPOINT ${ROW_SAVEPOINT}`);
    return databaseProblem(error);
  }
  const warning = warnings > 0 ? await dataWarning(tx, warnings) : undefined;
  await tx.execute(`${warning ? 'ROLLBACK TO' : 'RELEASE'} SAVEPOINT ${ROW_SAVEPOINT}`);
  return warning;
}

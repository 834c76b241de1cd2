/**
 * The id map table: `<progress_table>_idmap` in the destination, one row per (map, source id)
 * with the destination id it became and whether the tool created that destination row. It is
 * what makes a resumed run, a delta run and a retry use the same ids, and what lets `--reset`
 * remove only the rows the tool wrote into a seeded table. Every lookup is one query per chunk.
 */

import type { Value } from '../handlers/contract.js';
import type { Database, Queryable } from './database.js';
import { columnList, qualifiedName, quoteIdentifier } from './identifiers.js';
import { tableExists } from './table-exists.js';

/** One source id's entry in a map. */
export interface IdMapEntry {
  sourceId: string;
  destinationId: string;
  /** True when the tool inserted the destination row (it is removed by `--reset`). */
  created: boolean;
}

/** The id map table's name for a progress table name (kept within MySQL's 64 characters). */
export function idMapTableName(progressTable: string): string {
  return `${progressTable.slice(0, 58)}_idmap`;
}

export class IdMapStore {
  private readonly table: string;
  private present = false;

  constructor(
    private readonly db: Database,
    readonly tableName: string,
  ) {
    this.table = quoteIdentifier(tableName);
  }

  async ensureTable(): Promise<void> {
    if (this.present) return;
    await this.db.execute(`CREATE TABLE IF NOT EXISTS ${this.table} (
      map_name VARCHAR(200) NOT NULL,
      source_id VARCHAR(255) NOT NULL,
      dest_id VARCHAR(255) NOT NULL,
      created TINYINT(1) NOT NULL DEFAULT 0,
      PRIMARY KEY (map_name, source_id),
      KEY by_destination (map_name, dest_id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin COMMENT='store-migrate id maps'`);
    this.present = true;
  }

  /** The entries of `map` for `sourceIds`, in one query (inside `tx` when given). */
  async lookup(map: string, sourceIds: readonly string[], tx: Queryable = this.db): Promise<IdMapEntry[]> {
    if (sourceIds.length === 0) return [];
    const unique = [...new Set(sourceIds)];
    const rows = await tx.query<{ source_id: string; dest_id: string; created: string | number }>(
      `SELECT source_id, dest_id, created FROM ${this.table} WHERE map_name = ? AND source_id IN (${unique.map(() => '?').join(', ')})`,
      [map, ...unique],
    );
    return rows.map((r) => ({
      sourceId: r.source_id,
      destinationId: r.dest_id,
      created: Number(r.created) === 1,
    }));
  }

  /** Records entries inside the caller's transaction (the one that wrote the rows they describe). */
  async record(tx: Queryable, map: string, entries: readonly IdMapEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await tx.execute(
      `INSERT INTO ${this.table} (map_name, source_id, dest_id, created) VALUES ${entries.map(() => '(?, ?, ?, ?)').join(', ')}`,
      entries.flatMap((e) => [map, e.sourceId, e.destinationId, e.created ? 1 : 0]),
    );
  }

  /** Whether a run has created the table yet; a read-only caller (`migrate check`) asks before reading. */
  async exists(): Promise<boolean> {
    if (this.present) return true;
    this.present = await tableExists(this.db, this.db.schema, this.tableName);
    return this.present;
  }

  /**
   * How many source ids `map` holds, and how many of their destination rows the tool created;
   * none before a run created the table.
   */
  async counts(map: string): Promise<{ entries: number; created: number }> {
    if (!(await this.exists())) return { entries: 0, created: 0 };
    const [row] = await this.db.query<{ entries: string; created: string | null }>(
      `SELECT COUNT(*) AS entries, SUM(created) AS created FROM ${this.table} WHERE map_name = ?`,
      [map],
    );
    return { entries: Number(row?.entries ?? 0), created: Number(row?.created ?? 0) };
  }

  /**
   * `--reset` of a merged document: deletes the destination rows the tool created (never a
   * seeded row) and forgets the map, in one transaction. Returns the rows deleted.
   */
  async removeCreated(map: string, destinationTable: string, idColumn: string): Promise<number> {
    await this.ensureTable();
    return this.db.transaction(async (tx) => {
      const result = await tx.execute(
        `DELETE FROM ${qualifiedName(this.db.schema, destinationTable)} WHERE ${quoteIdentifier(idColumn)} IN (SELECT dest_id FROM ${this.table} WHERE map_name = ? AND created = 1)`,
        [map],
      );
      await tx.execute(`DELETE FROM ${this.table} WHERE map_name = ?`, [map]);
      return result.affectedRows;
    });
  }
}

/**
 * Destination rows of `table` whose natural key is one of `keys`: their id and key values, in
 * one query. Rows are matched with the table's own collation, as its unique key would.
 */
export async function rowsByNaturalKey(
  tx: Queryable,
  schema: string,
  table: string,
  idColumn: string,
  keyColumns: readonly string[],
  keys: readonly (readonly Value[])[],
): Promise<Value[][]> {
  if (keys.length === 0) return [];
  const tuple = `(${keyColumns.map(() => '?').join(', ')})`;
  return tx.queryArrays(
    `SELECT ${columnList([idColumn, ...keyColumns])} FROM ${qualifiedName(schema, table)} WHERE (${columnList(keyColumns)}) IN (${keys.map(() => tuple).join(', ')})`,
    keys.flat(),
  );
}

/**
 * Where the copy writes down the destination indexes it dropped, before it drops them: a run
 * that dies between the drop and the rebuild (Ctrl+C, a crash at hour three) leaves the record,
 * and the next `migrate data` builds them again when the document's copy is finished, so no
 * destination table is left without an index it had. `status` and `check` read it too.
 *
 * The table sits beside the progress table in the destination, keyed by destination table and
 * index name, and is never dropped while it holds a row.
 */

import type { Database } from '../db/database.js';
import { quoteIdentifier } from '../db/identifiers.js';
import { type IndexDefinition, indexNames } from '../db/secondary-indexes.js';
import { tableExists } from '../db/table-exists.js';

export interface DeferredIndex extends IndexDefinition {
  table: string;
}

/** The table's name for a progress table name (kept within MySQL's 64 characters). */
export function deferredIndexTableName(progressTable: string): string {
  return `${progressTable.slice(0, 56)}_indexes`;
}

const BINARY_NAME = 'VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL';

export class DeferredIndexStore {
  private readonly name: string;
  private readonly table: string;
  /**
   * Known once asked, absent included: with one run at a time (invariant 10) only this store's
   * own ensureTable creates the table meanwhile, so the copy asks information_schema once a run,
   * not once per document.
   */
  private present: boolean | undefined;

  constructor(
    private readonly db: Database,
    progressTable: string,
  ) {
    this.name = deferredIndexTableName(progressTable);
    this.table = quoteIdentifier(this.name);
  }

  async ensureTable(): Promise<void> {
    if (this.present === true) return;
    await this.db.execute(`CREATE TABLE IF NOT EXISTS ${this.table} (
      table_name ${BINARY_NAME},
      index_name ${BINARY_NAME},
      definition TEXT NOT NULL,
      position INT UNSIGNED NOT NULL,
      deferred_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      PRIMARY KEY (table_name, index_name)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`);
    this.present = true;
  }

  /**
   * Written before the indexes are dropped, in the table's order, so they are built back in it;
   * a definition already recorded is kept as it was.
   */
  async record(table: string, indexes: readonly IndexDefinition[]): Promise<void> {
    if (indexes.length === 0) return;
    await this.ensureTable();
    const values = indexes.map(() => '(?, ?, ?, ?)').join(', ');
    await this.db.execute(
      `INSERT IGNORE INTO ${this.table} (table_name, index_name, definition, position) VALUES ${values}`,
      indexes.flatMap((i, position) => [table, i.name, i.clause, position]),
    );
  }

  /** The indexes waiting to be built again: of one destination table, or of all. */
  async pending(table?: string): Promise<DeferredIndex[]> {
    if (!(await this.exists())) return [];
    const rows = await this.db.query<{ table_name: string; index_name: string; definition: string }>(
      `SELECT table_name, index_name, definition FROM ${this.table}${table === undefined ? '' : ' WHERE table_name = ?'}
        ORDER BY table_name, deferred_at, position`,
      table === undefined ? [] : [table],
    );
    return rows.map((r) => ({ table: r.table_name, name: r.index_name, clause: r.definition }));
  }

  /**
   * The recorded indexes their tables still lack, of one destination table or of all: one built
   * by hand meanwhile counts as built.
   */
  async missing(table?: string): Promise<DeferredIndex[]> {
    const pending = await this.pending(table);
    const missing: DeferredIndex[] = [];
    for (const table of new Set(pending.map((i) => i.table))) {
      const present = await indexNames(this.db, this.db.schema, table);
      missing.push(...pending.filter((i) => i.table === table && !present.has(i.name)));
    }
    return missing;
  }

  /** After the rebuild (the table has every index it had again), or of `names` that still exist. */
  async forget(table: string, names?: readonly string[]): Promise<void> {
    if (names?.length === 0 || !(await this.exists())) return;
    const only = names ? ` AND index_name IN (${names.map(() => '?').join(', ')})` : '';
    await this.db.execute(`DELETE FROM ${this.table} WHERE table_name = ?${only}`, [table, ...(names ?? [])]);
  }

  /** Whether a copy ever deferred an index in this destination (the table is made on the first). */
  async exists(): Promise<boolean> {
    this.present ??= await tableExists(this.db, this.db.schema, this.name);
    return this.present;
  }
}

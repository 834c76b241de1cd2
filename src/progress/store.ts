/**
 * The progress store: one table in the destination that records, per document and key range
 * ("part"), how far the copy got. A chunk's rows and its progress mark are written in the same
 * destination transaction (invariant 2), so after a crash the table says exactly which rows
 * are in the destination and the rerun resumes from there.
 *
 * It is also each document's ledger: rows read = rows written + rows rejected, kept by every
 * progress mark (a mark that does not add up is refused, and its chunk with it), so the volume
 * check can hold the destination's own count against what the copy says it wrote. Document
 * names are keyed case-exactly (`Mixed` and `mixed` are two documents). A table an earlier
 * version created is upgraded in place by ensureTable, also in the middle of a migration.
 */

import type { Database, Queryable } from '../db/database.js';
import { quoteIdentifier } from '../db/identifiers.js';
import { tableExists } from '../db/table-exists.js';
import { errorText, MigrateError } from '../errors.js';
import type { Value } from '../handlers/contract.js';
import { decodeKey, encodeKey } from './key-codec.js';

export type PartState = 'pending' | 'copying' | 'copied';

export interface PartProgress {
  document: string;
  part: number;
  state: PartState;
  /** Exclusive lower bound of the part's keys; null for the first part. */
  rangeStart: Value[] | null;
  /** Inclusive upper bound; null for the last part. */
  rangeEnd: Value[] | null;
  /** The last key committed; null before the first chunk. */
  lastKey: Value[] | null;
  /** Rows the copy read from the source: always rowsCopied + rowsRejected (the ledger). */
  rowsRead: number;
  rowsCopied: number;
  rowsRejected: number;
  method: string | null;
  seconds: number;
  lastError: string | null;
}

interface ProgressRow {
  document: string;
  part: string;
  state: PartState;
  range_start: string | null;
  range_end: string | null;
  last_key: string | null;
  /** Absent in a table of an earlier version that ensureTable has not upgraded yet. */
  rows_read?: string;
  rows_copied: string;
  rows_rejected: string;
  method: string | null;
  seconds: string;
  last_error: string | null;
}

/**
 * Compares the document column case-exactly whatever its collation: a table of an earlier
 * version (utf8mb4_general_ci) read by a command that does not upgrade it still tells `Mixed`
 * from `mixed`.
 */
const DOCUMENT_IS = 'document = ? COLLATE utf8mb4_bin';

/** The document column: binary collation, so names that differ only in case stay apart. */
const DOCUMENT_COLUMN = 'document VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL';

export class ProgressStore {
  private readonly table: string;
  /** Once the table is known to exist it is not asked about again (it is never dropped by the tool). */
  private present = false;

  constructor(
    private readonly db: Database,
    private readonly tableName: string,
  ) {
    this.table = quoteIdentifier(tableName);
  }

  async ensureTable(): Promise<void> {
    if (this.present) return;
    await this.db.execute(`CREATE TABLE IF NOT EXISTS ${this.table} (
      ${DOCUMENT_COLUMN},
      part INT UNSIGNED NOT NULL,
      state VARCHAR(16) NOT NULL,
      range_start TEXT NULL,
      range_end TEXT NULL,
      last_key TEXT NULL,
      rows_read BIGINT UNSIGNED NOT NULL DEFAULT 0,
      rows_copied BIGINT UNSIGNED NOT NULL DEFAULT 0,
      rows_rejected BIGINT UNSIGNED NOT NULL DEFAULT 0,
      method VARCHAR(32) NULL,
      seconds DECIMAL(12,3) NOT NULL DEFAULT 0,
      last_error TEXT NULL,
      updated_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
      PRIMARY KEY (document, part)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`);
    await this.upgrade();
    this.present = true;
  }

  /**
   * Brings a table an earlier version created up to this one: the ledger's rows_read column
   * (filled from the counts it had, which were the whole ledger then) and the case-exact
   * document column. A user may upgrade the tool in the middle of a migration.
   */
  private async upgrade(): Promise<void> {
    const columns = await this.db.query<{ name: string; collation: string | null }>(
      `SELECT COLUMN_NAME AS name, COLLATION_NAME AS collation FROM information_schema.COLUMNS
        WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?`,
      [this.db.schema, this.tableName],
    );
    const addRead = !columns.some((c) => c.name === 'rows_read');
    const document = columns.find((c) => c.name === 'document');
    const exact = document?.collation === 'utf8mb4_bin';
    const changes = [
      ...(addRead ? ['ADD COLUMN rows_read BIGINT UNSIGNED NOT NULL DEFAULT 0 AFTER last_key'] : []),
      ...(exact ? [] : [`MODIFY ${DOCUMENT_COLUMN}`]),
    ];
    if (changes.length === 0) return;
    try {
      await this.db.execute(`ALTER TABLE ${this.table} ${changes.join(', ')}`);
    } catch (error) {
      throw new MigrateError(
        `the progress table ${this.tableName} was created by an earlier version and could not be upgraded: ${errorText(error)}`,
        {
          code: 'PROGRESS_TABLE_UPGRADE',
          hint: `grant the destination user ALTER on ${this.db.schema}.${this.tableName} (once), then run the command again: the progress so far is kept`,
          context: { step: 'data' },
          cause: error,
        },
      );
    }
    if (addRead) await this.db.execute(`UPDATE ${this.table} SET rows_read = rows_copied + rows_rejected`);
  }

  async exists(): Promise<boolean> {
    if (this.present) return true;
    this.present = await tableExists(this.db, this.db.schema, this.tableName);
    return this.present;
  }

  /** Every part of `document`, in part order; empty when the copy of it has not started. */
  async parts(document: string): Promise<PartProgress[]> {
    if (!(await this.exists())) return [];
    const rows = await this.db.query<ProgressRow>(
      `SELECT * FROM ${this.table} WHERE ${DOCUMENT_IS} ORDER BY part`,
      [document],
    );
    return rows.map(toProgress);
  }

  async all(): Promise<PartProgress[]> {
    if (!(await this.exists())) return [];
    return (await this.db.query<ProgressRow>(`SELECT * FROM ${this.table} ORDER BY document, part`)).map(
      toProgress,
    );
  }

  /** Records the parts a document is split into, all pending, in one transaction. */
  async createParts(
    document: string,
    ranges: Array<{ start: Value[] | null; end: Value[] | null }>,
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const [part, range] of ranges.entries()) {
        await tx.execute(
          `INSERT INTO ${this.table} (document, part, state, range_start, range_end) VALUES (?, ?, 'pending', ?, ?)`,
          [document, part, range.start && encodeKey(range.start), range.end && encodeKey(range.end)],
        );
      }
    });
  }

  /**
   * Moves a part forward inside the caller's transaction: the same transaction that wrote the
   * chunk's rows, so both commit or neither does. The chunk's ledger must add up (every row
   * read was written or rejected); a chunk that does not is refused here, so the transaction
   * rolls back instead of recording rows nobody can find.
   */
  async advance(
    tx: Queryable,
    document: string,
    part: number,
    change: {
      lastKey: Value[] | null;
      /** Rows of the chunk read from the source. */
      read: number;
      copied: number;
      rejected: number;
      seconds: number;
      method: string;
      done: boolean;
    },
  ): Promise<void> {
    if (change.read !== change.copied + change.rejected) {
      throw new MigrateError(
        `${document} part ${part}: a chunk read ${change.read} rows but wrote ${change.copied} and rejected ${change.rejected}; it was rolled back`,
        {
          code: 'LEDGER_MISMATCH',
          hint: 'nothing of this chunk was kept; run the command again, and report this as a bug if it repeats',
          context: { step: 'data', document },
        },
      );
    }
    await tx.execute(
      `UPDATE ${this.table}
          SET state = ?, last_key = COALESCE(?, last_key), rows_read = rows_read + ?,
              rows_copied = rows_copied + ?, rows_rejected = rows_rejected + ?, seconds = seconds + ?,
              method = ?, last_error = NULL
        WHERE ${DOCUMENT_IS} AND part = ?`,
      [
        change.done ? 'copied' : 'copying',
        change.lastKey && encodeKey(change.lastKey),
        change.read,
        change.copied,
        change.rejected,
        change.seconds.toFixed(3),
        change.method,
        document,
        part,
      ],
    );
  }

  /**
   * A part whose rows are copied again from the start (a keyless table's interrupted copy,
   * whose rows cannot be told apart): its ledger starts from zero, in the caller's transaction,
   * the one that empties the destination table, so the counts never add the old attempt to
   * the new one.
   */
  async restart(tx: Queryable, document: string, part: number): Promise<void> {
    await tx.execute(
      `UPDATE ${this.table}
          SET state = 'pending', last_key = NULL, rows_read = 0, rows_copied = 0, rows_rejected = 0,
              seconds = 0, last_error = NULL
        WHERE ${DOCUMENT_IS} AND part = ?`,
      [document, part],
    );
  }

  async recordError(document: string, part: number, message: string): Promise<void> {
    await this.db
      .execute(`UPDATE ${this.table} SET last_error = ? WHERE ${DOCUMENT_IS} AND part = ?`, [
        message,
        document,
        part,
      ])
      .catch(() => {}); // the error being recorded is what the operator must see, not this one
  }

  /**
   * After `--retry-rejected` loaded `count` rows of a document, they are no longer rejected:
   * lower the parts' counts (and raise their copied counts) inside the caller's transaction.
   * `gone` rows the source no longer has are no longer rejected either, nor counted as read.
   */
  async unreject(tx: Queryable, document: string, count: number, gone = 0): Promise<void> {
    let left = count + gone;
    let loaded = count;
    const parts = await tx.query<{ part: string; rows_rejected: string }>(
      `SELECT part, rows_rejected FROM ${this.table} WHERE ${DOCUMENT_IS} AND rows_rejected > 0 ORDER BY part FOR UPDATE`,
      [document],
    );
    for (const row of parts) {
      if (left === 0) break;
      const take = Math.min(left, Number(row.rows_rejected));
      const copied = Math.min(loaded, take);
      await tx.execute(
        // The ledger still adds up: a row gone from the source leaves what was read with it.
        `UPDATE ${this.table} SET rows_rejected = rows_rejected - ?, rows_copied = rows_copied + ?,
                rows_read = rows_read - ? WHERE ${DOCUMENT_IS} AND part = ?`,
        [take, copied, take - copied, document, row.part],
      );
      left -= take;
      loaded -= copied;
    }
  }

  /** `--reset`: forgets all progress (the destination documents are emptied separately). */
  async clear(documents?: readonly string[]): Promise<void> {
    if (!(await this.exists())) return;
    if (!documents) {
      await this.db.execute(`DELETE FROM ${this.table}`);
      return;
    }
    for (const document of documents)
      await this.db.execute(`DELETE FROM ${this.table} WHERE ${DOCUMENT_IS}`, [document]);
  }
}

function toProgress(row: ProgressRow): PartProgress {
  return {
    document: row.document,
    part: Number(row.part),
    state: row.state,
    rangeStart: row.range_start === null ? null : decodeKey(row.range_start),
    rangeEnd: row.range_end === null ? null : decodeKey(row.range_end),
    lastKey: row.last_key === null ? null : decodeKey(row.last_key),
    rowsRead:
      row.rows_read === undefined
        ? Number(row.rows_copied) + Number(row.rows_rejected)
        : Number(row.rows_read),
    rowsCopied: Number(row.rows_copied),
    rowsRejected: Number(row.rows_rejected),
    method: row.method,
    seconds: Number(row.seconds),
    lastError: row.last_error,
  };
}

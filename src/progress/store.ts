/**
 * The progress store: one table in the destination that records, per document and key range
 * ("part"), how far the copy got. A chunk's rows and its progress mark are written in the same
 * destination transaction (invariant 2), so after a crash the table says exactly which rows
 * are in the destination and the rerun resumes from there.
 */
import type { Database, Queryable } from '../db/database.js';
import { quoteIdentifier } from '../db/identifiers.js';
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
  rows_copied: string;
  rows_rejected: string;
  method: string | null;
  seconds: string;
  last_error: string | null;
}

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
      document VARCHAR(255) NOT NULL,
      part INT UNSIGNED NOT NULL,
      state VARCHAR(16) NOT NULL,
      range_start TEXT NULL,
      range_end TEXT NULL,
      last_key TEXT NULL,
      rows_copied BIGINT UNSIGNED NOT NULL DEFAULT 0,
      rows_rejected BIGINT UNSIGNED NOT NULL DEFAULT 0,
      method VARCHAR(32) NULL,
      seconds DECIMAL(12,3) NOT NULL DEFAULT 0,
      last_error TEXT NULL,
      updated_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
      PRIMARY KEY (document, part)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`);
    this.present = true;
  }

  async exists(): Promise<boolean> {
    if (this.present) return true;
    const rows = await this.db.query(
      'SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?',
      [this.db.schema, this.tableName],
    );
    this.present = rows.length > 0;
    return this.present;
  }

  /** Every part of `document`, in part order; empty when the copy of it has not started. */
  async parts(document: string): Promise<PartProgress[]> {
    if (!(await this.exists())) return [];
    const rows = await this.db.query<ProgressRow>(
      `SELECT * FROM ${this.table} WHERE document = ? ORDER BY part`,
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
   * chunk's rows, so both commit or neither does.
   */
  async advance(
    tx: Queryable,
    document: string,
    part: number,
    change: {
      lastKey: Value[] | null;
      copied: number;
      rejected: number;
      seconds: number;
      method: string;
      done: boolean;
    },
  ): Promise<void> {
    await tx.execute(
      `UPDATE ${this.table}
          SET state = ?, last_key = COALESCE(?, last_key), rows_copied = rows_copied + ?,
              rows_rejected = rows_rejected + ?, seconds = seconds + ?, method = ?, last_error = NULL
        WHERE document = ? AND part = ?`,
      [
        change.done ? 'copied' : 'copying',
        change.lastKey && encodeKey(change.lastKey),
        change.copied,
        change.rejected,
        change.seconds.toFixed(3),
        change.method,
        document,
        part,
      ],
    );
  }

  async recordError(document: string, part: number, message: string): Promise<void> {
    await this.db
      .execute(`UPDATE ${this.table} SET last_error = ? WHERE document = ? AND part = ?`, [
        message,
        document,
        part,
      ])
      .catch(() => {}); // the error being recorded is what the operator must see, not this one
  }

  /**
   * After `--retry-rejected` loaded `count` rows of a document, they are no longer rejected:
   * lower the parts' counts (and raise their copied counts) inside the caller's transaction.
   * `gone` rows the source no longer has are no longer rejected either, and were not copied.
   */
  async unreject(tx: Queryable, document: string, count: number, gone = 0): Promise<void> {
    let left = count + gone;
    let loaded = count;
    const parts = await tx.query<{ part: string; rows_rejected: string }>(
      `SELECT part, rows_rejected FROM ${this.table} WHERE document = ? AND rows_rejected > 0 ORDER BY part FOR UPDATE`,
      [document],
    );
    for (const row of parts) {
      if (left === 0) break;
      const take = Math.min(left, Number(row.rows_rejected));
      const copied = Math.min(loaded, take);
      await tx.execute(
        `UPDATE ${this.table} SET rows_rejected = rows_rejected - ?, rows_copied = rows_copied + ? WHERE document = ? AND part = ?`,
        [take, copied, document, row.part],
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
      await this.db.execute(`DELETE FROM ${this.table} WHERE document = ?`, [document]);
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
    rowsCopied: Number(row.rows_copied),
    rowsRejected: Number(row.rows_rejected),
    method: row.method,
    seconds: Number(row.seconds),
    lastError: row.last_error,
  };
}

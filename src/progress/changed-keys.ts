/**
 * What `migrate cutover` must still verify, in two destination tables of the tool's own:
 *   - `<progress_table>_changed`: per document, every key delta applied (written in the same
 *     destination transaction as the batch, so a committed change is always recorded, as a
 *     chunk and its progress mark are: invariant 2), with the time it was applied;
 *   - `<progress_table>_verified`: per document, when a full deep comparison last found it
 *     equal on both sides.
 * A document verified at T needs, in the window, only the keys applied since T deep-compared:
 * every change to it after T went through delta, which recorded its key. Times are the
 * destination server's clock (NOW(6)), so every writer agrees on them.
 */
import type { Database, Queryable } from '../db/database.js';
import { quoteIdentifier } from '../db/identifiers.js';
import type { Value } from '../handlers/contract.js';
import { decodeKey, encodeKey } from './key-codec.js';

/** Keys recorded in one statement. */
const KEYS_PER_STATEMENT = 500;
/**
 * Keys applied up to this long before a full check began are still kept: a batch stamps its
 * keys before it commits, so a key stamped just before the check may have committed after the
 * check read its rows.
 */
const VERIFIED_MARGIN_SECONDS = 60;

export function changedKeysTable(progressTable: string): string {
  return `${progressTable.slice(0, 56)}_changed`;
}

export function verifiedTable(progressTable: string): string {
  return `${progressTable.slice(0, 55)}_verified`;
}

export class ChangedKeys {
  private readonly changed: string;
  private readonly verified: string;

  constructor(
    private readonly db: Database,
    progressTable: string,
  ) {
    this.changed = quoteIdentifier(changedKeysTable(progressTable));
    this.verified = quoteIdentifier(verifiedTable(progressTable));
  }

  /** Creates both tables if needed; never inside a batch's transaction (DDL commits). */
  async ensureTables(): Promise<void> {
    await this.db.execute(`CREATE TABLE IF NOT EXISTS ${this.changed} (
      document VARCHAR(255) NOT NULL,
      key_hash BINARY(16) NOT NULL,
      key_text TEXT NOT NULL,
      applied_at DATETIME(6) NOT NULL,
      PRIMARY KEY (document, key_hash),
      KEY by_time (document, applied_at)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='store-migrate: keys delta applied since the last full deep check'`);
    await this.db.execute(`CREATE TABLE IF NOT EXISTS ${this.verified} (
      document VARCHAR(255) NOT NULL PRIMARY KEY,
      verified_at DATETIME(6) NOT NULL
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='store-migrate: when a full deep check last found each document equal'`);
  }

  /** Records `keys` (source key values) of `document` as applied now, inside the batch's transaction `tx`. */
  async record(tx: Queryable, document: string, keys: readonly Value[][]): Promise<void> {
    for (let i = 0; i < keys.length; i += KEYS_PER_STATEMENT) {
      const slice = keys.slice(i, i + KEYS_PER_STATEMENT).map(encodeKey);
      await tx.execute(
        `INSERT INTO ${this.changed} (document, key_hash, key_text, applied_at)
         VALUES ${slice.map(() => '(?, UNHEX(MD5(?)), ?, NOW(6))').join(', ')}
         ON DUPLICATE KEY UPDATE applied_at = NOW(6)`,
        slice.flatMap((text) => [document, text, text]),
      );
    }
  }

  /** The destination's clock now, as the time a full check begins. */
  async now(): Promise<string> {
    const [row] = await this.db.query<{ t: string }>('SELECT CAST(NOW(6) AS CHAR) AS t');
    return String(row?.t);
  }

  /**
   * Marks `document` verified as of `checkBegan` (a full deep check that began then found it
   * equal) and forgets the keys applied well before then.
   */
  async markVerified(document: string, checkBegan: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.execute(
        `INSERT INTO ${this.verified} (document, verified_at) VALUES (?, ?)
         ON DUPLICATE KEY UPDATE verified_at = GREATEST(verified_at, VALUES(verified_at))`,
        [document, checkBegan],
      );
      await tx.execute(
        `DELETE FROM ${this.changed} WHERE document = ? AND applied_at < ? - INTERVAL ${VERIFIED_MARGIN_SECONDS} SECOND`,
        [document, checkBegan],
      );
    });
  }

  /** When each document was last found equal by a full deep check. */
  async verifiedAt(): Promise<Map<string, string>> {
    const rows = await this.db.query<{ document: string; t: string }>(
      `SELECT document, CAST(verified_at AS CHAR) AS t FROM ${this.verified}`,
    );
    return new Map(rows.map((row) => [row.document, String(row.t)]));
  }

  /**
   * Documents of the progress table not verified since their copy last changed: no full deep
   * check found them equal, or their copy was redone (say `--reset`) after it did.
   */
  async unverified(progressTable: string): Promise<Set<string>> {
    const rows = await this.db.query<{ document: string }>(
      `SELECT p.document FROM ${quoteIdentifier(progressTable)} AS p
         LEFT JOIN ${this.verified} AS v ON v.document = p.document
        GROUP BY p.document
       HAVING MAX(v.verified_at) IS NULL OR MAX(p.updated_at) > MAX(v.verified_at)`,
    );
    return new Set(rows.map((row) => row.document));
  }

  /** The keys of `document` recorded as applied, in no particular order. */
  async keys(document: string): Promise<Value[][]> {
    const rows = await this.db.queryArrays(`SELECT key_text FROM ${this.changed} WHERE document = ?`, [
      document,
    ]);
    return rows.map((row) => decodeKey(String(row[0])));
  }

  /** How many keys each document has recorded. */
  async counts(): Promise<Map<string, number>> {
    const rows = await this.db.query<{ document: string; n: string }>(
      `SELECT document, COUNT(*) AS n FROM ${this.changed} GROUP BY document`,
    );
    return new Map(rows.map((row) => [row.document, Number(row.n)]));
  }
}

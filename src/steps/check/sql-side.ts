/**
 * A CheckSide the database computes alone, the way pt-table-checksum does: per row, MD5 over
 * the MD5 of each column's value with an explicit NULL marker (never the value's hex, which a
 * small max_allowed_packet turns into NULL); per range, the row count and the
 * sum of the first 60 bits of those hashes (exact: SUM over integers is a DECIMAL). No row
 * leaves the server except for the few a bisection lists.
 */
import { columnList } from '../../db/identifiers.js';
import type { Value } from '../../handlers/contract.js';
import { ALIAS, type KeyedTable } from './keyed-table.js';
import type { CheckSide, ChunkSum, KeyRange, RowHash } from './side.js';

export class SqlSide implements CheckSide {
  private readonly digest: string;

  /** `parts`: one `IFNULL(MD5(...), 'N')` fragment per destination column, over alias `t`. */
  constructor(
    private readonly table: KeyedTable,
    parts: readonly string[],
  ) {
    this.digest = `MD5(CONCAT_WS('#', ${parts.length ? parts.join(', ') : "''"}))`;
  }

  async checksum(range: KeyRange): Promise<ChunkSum> {
    return this.table.countAndSum(
      `CAST(CONV(SUBSTRING(${this.digest}, 1, 15), 16, 10) AS UNSIGNED)`,
      this.table.where(range),
    );
  }

  async rowHashes(range: KeyRange): Promise<RowHash[]> {
    const key = this.table.key ?? [];
    const rows = await this.table.rows(
      `${columnList(key, ALIAS)}, ${this.digest}`,
      this.table.where(range),
      true,
    );
    return rows.map((row) => ({
      key: this.table.canonicalKey(row.slice(0, key.length)),
      hash: String(row[key.length]),
    }));
  }

  async rowHashesOf(keys: readonly (readonly Value[])[]): Promise<RowHash[]> {
    const key = this.table.key ?? [];
    const rows = await this.table.rows(
      `${columnList(key, ALIAS)}, ${this.digest}`,
      this.table.whereKeys(keys),
      false,
    );
    return rows.map((row) => ({
      key: this.table.canonicalKey(row.slice(0, key.length)),
      hash: String(row[key.length]),
    }));
  }

  keys(range: KeyRange, limit: number) {
    return this.table.keys(range, limit);
  }

  keyAt(range: KeyRange, offset: number) {
    return this.table.keyAt(range, offset);
  }
}

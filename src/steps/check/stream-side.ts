/**
 * A CheckSide that reads rows (as text and bytes, FLOAT through DOUBLE, like the copy does)
 * and hashes them in JavaScript: the source rows through the same plan the copy runs
 * (transformRow), then both sides brought to the form the destination column stores.
 * Reads stream, so memory stays bounded by one row whatever the range size.
 */
import type { Value } from '../../handlers/contract.js';
import type { KeyedTable } from './keyed-table.js';
import { ChunkAccumulator } from './row-hash.js';
import type { CheckSide, ChunkSum, KeyRange, RowHash } from './side.js';

/** Turns one row as read into its digest and its key (destination form). */
export interface RowDigester {
  /** The select list (over alias `t`). */
  readonly select: string;
  digest(row: readonly Value[]): string;
  key(row: readonly Value[]): Value[];
}

export class StreamSide implements CheckSide {
  constructor(
    private readonly table: KeyedTable,
    private readonly rows: RowDigester,
  ) {}

  async checksum(range: KeyRange): Promise<ChunkSum> {
    const sum = new ChunkAccumulator();
    const stream = this.table.streamRows(this.rows.select, this.table.where(range));
    for await (const row of stream) sum.add(this.rows.digest(row));
    return sum.result();
  }

  async rowHashes(range: KeyRange): Promise<RowHash[]> {
    const rows = await this.table.rows(this.rows.select, this.table.where(range), true);
    return rows.map((row) => ({ key: this.rows.key(row), hash: this.rows.digest(row) }));
  }

  async rowHashesOf(keys: readonly (readonly Value[])[]): Promise<RowHash[]> {
    const rows = await this.table.rows(this.rows.select, this.table.whereKeys(keys), false);
    return rows.map((row) => ({ key: this.rows.key(row), hash: this.rows.digest(row) }));
  }

  keys(range: KeyRange, limit: number) {
    return this.table.keys(range, limit);
  }

  keyAt(range: KeyRange, offset: number) {
    return this.table.keyAt(range, offset);
  }
}

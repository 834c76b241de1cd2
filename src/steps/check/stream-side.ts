/**
 * A CheckSide that reads rows (as text and bytes, FLOAT through DOUBLE, like the copy does)
 * and hashes them in JavaScript: the source rows through the same plan the copy runs
 * (transformRow), then both sides brought to the form the destination column stores.
 * Reads stream, so memory stays bounded by one row whatever the range size.
 */
import type { IdLookups, Value } from '../../handlers/contract.js';
import type { KeyedTable } from './keyed-table.js';
import { ChunkAccumulator } from './row-hash.js';
import type { CheckSide, ChunkSum, KeyRange, RowHash } from './side.js';

/** Turns one row as read into its digest and its key (destination form). */
export interface RowDigester {
  /** The select list (over alias `t`). */
  readonly select: string;
  /** `lookups`: the id map entries `lookups()` loaded for the batch the row is in. */
  digest(row: readonly Value[], lookups?: IdLookups): string;
  key(row: readonly Value[]): Value[];
  /**
   * Present when the plan's handlers look ids up in id maps (mapId): loads, once per batch of
   * rows, the entries they ask for, as the copy does per chunk, so rows compare with mapped ids.
   */
  lookups?(rows: readonly (readonly Value[])[]): Promise<IdLookups | undefined>;
}

/** Rows digested together when the digester needs id lookups: one lookup query per map and batch. */
const LOOKUP_BATCH = 1000;

export class StreamSide implements CheckSide {
  constructor(
    private readonly table: KeyedTable,
    private readonly rows: RowDigester,
  ) {}

  async checksum(range: KeyRange): Promise<ChunkSum> {
    const where = this.table.where(range);
    const sum = new ChunkAccumulator();
    const stream = this.table.db.streamArrays(
      `SELECT ${this.rows.select} FROM ${this.table.from} WHERE ${where.sql}`,
      where.bindings,
    );
    const lookups = this.rows.lookups?.bind(this.rows);
    if (!lookups) {
      for await (const row of stream) sum.add(this.rows.digest(row));
      return sum.result();
    }
    let batch: Value[][] = [];
    const flush = async () => {
      const found = await lookups(batch);
      for (const row of batch) sum.add(this.rows.digest(row, found));
      batch = [];
    };
    for await (const row of stream) {
      batch.push(row);
      if (batch.length >= LOOKUP_BATCH) await flush();
    }
    await flush();
    return sum.result();
  }

  async rowHashes(range: KeyRange): Promise<RowHash[]> {
    const where = this.table.where(range);
    const rows = await this.table.db.queryArrays(
      `SELECT ${this.rows.select} FROM ${this.table.from} WHERE ${where.sql}${this.table.orderBy()}`,
      where.bindings,
    );
    return this.hashes(rows);
  }

  async rowHashesOf(keys: readonly (readonly Value[])[]): Promise<RowHash[]> {
    const where = this.table.whereKeys(keys);
    const rows = await this.table.db.queryArrays(
      `SELECT ${this.rows.select} FROM ${this.table.from} WHERE ${where.sql}`,
      where.bindings,
    );
    return this.hashes(rows);
  }

  private async hashes(rows: readonly Value[][]): Promise<RowHash[]> {
    const lookups = await this.rows.lookups?.(rows);
    return rows.map((row) => ({ key: this.rows.key(row), hash: this.rows.digest(row, lookups) }));
  }

  keys(range: KeyRange, limit: number) {
    return this.table.keys(range, limit);
  }

  keyAt(range: KeyRange, offset: number) {
    return this.table.keyAt(range, offset);
  }
}

/**
 * One side's table addressed by key ranges (src/db/ranged-table.ts sends the SQL), with its
 * keys brought to the form the destination stores, so both sides' keys compare. Shared by both
 * CheckSide implementations.
 */
import type { Database } from '../../db/database.js';
import { RangedTable } from '../../db/ranged-table.js';
import type { Value } from '../../handlers/contract.js';
import { type ColumnShape, canonicalValue } from './canonical-value.js';
import type { KeyRange } from './side.js';

export { ALIAS } from '../../db/ranged-table.js';

export class KeyedTable extends RangedTable {
  constructor(
    db: Database,
    table: string,
    key: readonly string[] | null,
    /** The destination columns the key arrives in, to bring key values to one form. */
    readonly keyShapes: readonly ColumnShape[],
  ) {
    super(db, table, key);
  }

  /** The first `limit` keys of the range, in key order and destination form. */
  async keys(range: KeyRange, limit: number): Promise<Value[][]> {
    return (await this.storedKeys(range, limit)).map((row) => this.canonicalKey(row));
  }

  canonicalKey(values: readonly Value[]): Value[] {
    return values.map((v, i) => {
      const shape = this.keyShapes[i];
      return shape ? canonicalValue(v, shape) : v;
    });
  }
}

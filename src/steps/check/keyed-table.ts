/**
 * One side's table addressed by key ranges: the WHERE clause of a range, the keys at offsets
 * and the first keys of a range. Shared by both CheckSide implementations; every identifier
 * is quoted.
 */
import type { Database } from '../../db/database.js';
import { columnList, qualifiedName, quoteIdentifier } from '../../db/identifiers.js';
import { allOf, keyAfter, keyAtMost, keyIn, orderBy, type SqlFragment } from '../../db/keyset.js';
import type { Value } from '../../handlers/contract.js';
import { type ColumnShape, canonicalValue } from './canonical-value.js';
import type { KeyRange } from './side.js';

export const ALIAS = 't';

export class KeyedTable {
  readonly from: string;

  constructor(
    readonly db: Database,
    readonly table: string,
    /** Key columns on this side; null for a table compared as a whole. */
    readonly key: readonly string[] | null,
    /** The destination columns the key arrives in, to bring key values to one form. */
    readonly keyShapes: readonly ColumnShape[],
  ) {
    this.from = `${qualifiedName(db.schema, table)} AS ${quoteIdentifier(ALIAS)}`;
  }

  where(range: KeyRange): SqlFragment {
    const key = this.key;
    if (!key) return { sql: 'TRUE', bindings: [] };
    return allOf([
      range.after ? keyAfter(key, range.after, ALIAS) : undefined,
      range.atMost ? keyAtMost(key, range.atMost, ALIAS) : undefined,
    ]);
  }

  /** The rows under exactly these keys (as stored or in destination form: they compare equal). */
  whereKeys(keys: readonly (readonly Value[])[]): SqlFragment {
    return keyIn(this.requireKey(), keys, ALIAS);
  }

  orderBy(): string {
    return this.key ? ` ORDER BY ${orderBy(this.key, ALIAS)}` : '';
  }

  async keyAt(range: KeyRange, offset: number): Promise<Value[] | null> {
    const key = this.requireKey();
    const where = this.where(range);
    const [row] = await this.db.queryArrays(
      `SELECT ${columnList(key, ALIAS)} FROM ${this.from} WHERE ${where.sql}${this.orderBy()} LIMIT 1 OFFSET ${Math.max(0, Math.floor(offset))}`,
      where.bindings,
    );
    return row ?? null;
  }

  async keys(range: KeyRange, limit: number): Promise<Value[][]> {
    const key = this.requireKey();
    const where = this.where(range);
    const rows = await this.db.queryArrays(
      `SELECT ${columnList(key, ALIAS)} FROM ${this.from} WHERE ${where.sql}${this.orderBy()} LIMIT ${Math.max(0, Math.floor(limit))}`,
      where.bindings,
    );
    return rows.map((row) => this.canonicalKey(row));
  }

  canonicalKey(values: readonly Value[]): Value[] {
    return values.map((v, i) => {
      const shape = this.keyShapes[i];
      return shape ? canonicalValue(v, shape) : v;
    });
  }

  private requireKey(): readonly string[] {
    if (!this.key) throw new Error(`${this.table} is compared as a whole: it has no key to range over`);
    return this.key;
  }
}

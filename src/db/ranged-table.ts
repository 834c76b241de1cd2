/**
 * One table read by key ranges, for the deep check (src/steps/check/keyed-table.ts adds the
 * destination form of keys): the WHERE clause of a range or of a key list, the key at an
 * offset, the first keys of a range, rows of a select list (listed or streamed), and a range's
 * row count with a sum the server computes. Every identifier is quoted; the table is aliased
 * `t`, which select lists and sums refer to.
 */
import type { Value } from '../handlers/contract.js';
import type { Database } from './database.js';
import { columnList, qualifiedName, quoteIdentifier } from './identifiers.js';
import { allOf, keyAfter, keyAtMost, keyIn, orderBy, type SqlFragment } from './keyset.js';

export const ALIAS = 't';

/** Keys after `after` (exclusive) up to `atMost` (inclusive); null is unbounded. */
export interface KeyBounds {
  after: Value[] | null;
  atMost: Value[] | null;
}

export class RangedTable {
  readonly from: string;

  constructor(
    readonly db: Database,
    readonly table: string,
    /** Key columns on this side; null for a table compared as a whole. */
    readonly key: readonly string[] | null,
  ) {
    this.from = `${qualifiedName(db.schema, table)} AS ${quoteIdentifier(ALIAS)}`;
  }

  where(range: KeyBounds): SqlFragment {
    const key = this.key;
    if (!key) return { sql: 'TRUE', bindings: [] };
    return allOf([
      range.after ? keyAfter(key, range.after, ALIAS) : undefined,
      range.atMost ? keyAtMost(key, range.atMost, ALIAS) : undefined,
    ]);
  }

  /** The rows under exactly these keys. */
  whereKeys(keys: readonly (readonly Value[])[]): SqlFragment {
    return keyIn(this.requireKey(), keys, ALIAS);
  }

  orderBy(): string {
    return this.key ? ` ORDER BY ${orderBy(this.key, ALIAS)}` : '';
  }

  /** The key at 0-based `offset` in the range, as stored; null past the end. */
  async keyAt(range: KeyBounds, offset: number): Promise<Value[] | null> {
    const key = this.requireKey();
    const where = this.where(range);
    const [row] = await this.db.queryArrays(
      `SELECT ${columnList(key, ALIAS)} FROM ${this.from} WHERE ${where.sql}${this.orderBy()} LIMIT 1 OFFSET ${Math.max(0, Math.floor(offset))}`,
      where.bindings,
    );
    return row ?? null;
  }

  /** The first `limit` keys of the range, in key order, as stored. */
  async storedKeys(range: KeyBounds, limit: number): Promise<Value[][]> {
    const key = this.requireKey();
    const where = this.where(range);
    return this.db.queryArrays(
      `SELECT ${columnList(key, ALIAS)} FROM ${this.from} WHERE ${where.sql}${this.orderBy()} LIMIT ${Math.max(0, Math.floor(limit))}`,
      where.bindings,
    );
  }

  /** `select` (over alias `t`) of the rows `where` picks; in key order when `ordered`. */
  rows(select: string, where: SqlFragment, ordered: boolean): Promise<Value[][]> {
    return this.db.queryArrays(
      `SELECT ${select} FROM ${this.from} WHERE ${where.sql}${ordered ? this.orderBy() : ''}`,
      where.bindings,
    );
  }

  /** The same rows streamed, in the server's order: memory bounded by one row. */
  streamRows(select: string, where: SqlFragment): AsyncGenerator<Value[]> {
    return this.db.streamArrays(`SELECT ${select} FROM ${this.from} WHERE ${where.sql}`, where.bindings);
  }

  /** The range's row count and the exact sum of `expression` per row (0 when empty), as decimal text. */
  async countAndSum(expression: string, where: SqlFragment): Promise<{ rows: number; sum: string }> {
    const [row] = await this.db.query<{ n: string; s: string }>(
      `SELECT COUNT(*) AS n, CAST(COALESCE(SUM(${expression}), 0) AS CHAR) AS s
         FROM ${this.from} WHERE ${where.sql}`,
      where.bindings,
    );
    return { rows: Number(row?.n ?? 0), sum: String(row?.s ?? '0') };
  }

  private requireKey(): readonly string[] {
    if (!this.key) throw new Error(`${this.table} is compared as a whole: it has no key to range over`);
    return this.key;
  }
}

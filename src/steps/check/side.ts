/**
 * The contract the deep check compares through: one side (source or destination) of one
 * document, able to checksum a key range, list the key and hash of each row in a small range,
 * and find keys at offsets (to cut chunks and to bisect). Two implementations: the database
 * hashes (sql-side.ts) or the tool streams rows and hashes them (stream-side.ts). Both sides of
 * a document always use the same implementation, so their hashes are comparable.
 */
import type { Value } from '../../handlers/contract.js';

/** Keys after `after` (exclusive) up to `atMost` (inclusive); null is unbounded. */
export interface KeyRange {
  after: Value[] | null;
  atMost: Value[] | null;
}

export const WHOLE_RANGE: KeyRange = { after: null, atMost: null };

/** Row count and an order-independent sum of row hashes (decimal text). */
export interface ChunkSum {
  rows: number;
  sum: string;
}

export interface RowHash {
  /** The key in destination form (see canonicalValue), so both sides compare. */
  key: Value[];
  hash: string;
}

export interface CheckSide {
  checksum(range: KeyRange): Promise<ChunkSum>;
  /** Key and hash of every row in the range, in key order. Only called for small ranges. */
  rowHashes(range: KeyRange): Promise<RowHash[]>;
  /** Key and hash of the rows under exactly these keys (a key without a row is left out). */
  rowHashesOf(keys: readonly (readonly Value[])[]): Promise<RowHash[]>;
  /** The first `limit` keys of the range, in key order and destination form. */
  keys(range: KeyRange, limit: number): Promise<Value[][]>;
  /** The key at 0-based `offset` in the range, as stored (for range bounds); null past the end. */
  keyAt(range: KeyRange, offset: number): Promise<Value[] | null>;
}

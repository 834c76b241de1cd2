/**
 * Row hashes computed in JavaScript, for documents the database cannot hash alone (handlers
 * without an SQL form, types whose stored text SQL cannot reproduce). A row is encoded
 * unambiguously (a NULL marker, then each value length-prefixed), hashed with MD5, and the
 * first 64 bits are summed modulo 2^64 per chunk: the sum does not depend on row order, so
 * both sides can be read in whatever order the server returns them.
 */
import { createHash } from 'node:crypto';
import type { Value } from '../../handlers/contract.js';
import type { ChunkSum } from './side.js';

const NULL_MARKER = Buffer.from([0]);
const VALUE_MARKER = 1;
const MOD = 1n << 64n;

/** MD5 of the canonical encoding of a row, as 32 hex digits. */
export function rowDigest(values: readonly Value[]): string {
  const hash = createHash('md5');
  for (const value of values) {
    if (value === null) {
      hash.update(NULL_MARKER);
      continue;
    }
    const bytes = Buffer.isBuffer(value) ? value : Buffer.from(value, 'utf8');
    const head = Buffer.alloc(5);
    head[0] = VALUE_MARKER;
    head.writeUInt32BE(bytes.length, 1);
    hash.update(head);
    hash.update(bytes);
  }
  return hash.digest('hex');
}

/**
 * The digest of a source row a handler refuses: the copy writes no such row, so it must differ
 * from every real row's digest (a marker byte no encoded row starts with).
 */
export function rejectedDigest(reason: string): string {
  return createHash('md5')
    .update(Buffer.from([2]))
    .update(reason, 'utf8')
    .digest('hex');
}

/** Accumulates row digests into an order-independent chunk checksum. */
export class ChunkAccumulator {
  private rows = 0;
  private sum = 0n;

  add(digest: string): void {
    this.rows++;
    this.sum = (this.sum + BigInt(`0x${digest.slice(0, 16)}`)) % MOD;
  }

  result(): ChunkSum {
    return { rows: this.rows, sum: this.sum.toString() };
  }
}

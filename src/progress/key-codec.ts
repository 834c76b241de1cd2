/**
 * Key values as they are stored in the progress table: a JSON array with strings as they are
 * and Buffers as `{ "hex": "..." }`, so a binary key survives the round trip exactly.
 */
import type { Value } from '../handlers/contract.js';

type Encoded = string | null | { hex: string };

export function encodeKey(values: readonly Value[]): string {
  return JSON.stringify(values.map((v): Encoded => (Buffer.isBuffer(v) ? { hex: v.toString('hex') } : v)));
}

export function decodeKey(text: string): Value[] {
  return (JSON.parse(text) as Encoded[]).map((v) =>
    v !== null && typeof v === 'object' ? Buffer.from(v.hex, 'hex') : v,
  );
}

/**
 * Splits a large document into key ranges that are copied in parallel. Boundaries need not be
 * exact, only increasing. A single integer key whose values are dense (the span from MIN to MAX
 * at most twice the row count, as auto-increment ids are) is split evenly between MIN and MAX:
 * two index look-ups, instant on any size. Any other key, or sparse ids (one row moved to id
 * 10,000,000 would put every row in the first range), is split at evenly spaced offsets of the
 * estimated row count, which reads the key index up to each offset (seconds on tens of millions).
 */

import { INTEGER_TYPES } from '../../db/column-types.js';
import type { Database } from '../../db/database.js';
import { columnBounds, keyAtOffset } from '../../db/key-bounds.js';
import type { Value } from '../../handlers/contract.js';
import type { DocumentPlan } from '../../mappings/plan.js';
import { encodeKey } from '../../progress/key-codec.js';

export interface KeyRange {
  start: Value[] | null;
  end: Value[] | null;
}

/** How many ranges a document of `estimatedRows` is copied in: about `partRows` each, 1 to `maxParts`. */
export function partCount(estimatedRows: number, maxParts: number, partRows: number): number {
  return Math.max(1, Math.min(maxParts, Math.floor(estimatedRows / partRows)));
}

/** Ranges of about `partRows` rows each (by the estimated row count), at most `maxParts`. */
export async function splitRanges(
  source: Database,
  plan: DocumentPlan,
  maxParts: number,
  partRows: number,
): Promise<KeyRange[]> {
  const parts = partCount(plan.estimatedRows, maxParts, partRows);
  if (!plan.key || parts < 2) return [{ start: null, end: null }];
  const boundaries =
    (await integerBoundaries(source, plan, parts)) ?? (await offsetBoundaries(source, plan, parts));
  const ranges: KeyRange[] = [];
  let start: Value[] | null = null;
  for (const boundary of boundaries) {
    ranges.push({ start, end: boundary });
    start = boundary;
  }
  ranges.push({ start, end: null });
  return ranges;
}

const INTEGER = new Set<string>(INTEGER_TYPES);

/** Evenly spaced values between MIN and MAX of a dense single integer key; undefined otherwise. */
async function integerBoundaries(
  source: Database,
  plan: DocumentPlan,
  parts: number,
): Promise<Value[][] | undefined> {
  const [column] = plan.key ?? [];
  const type = plan.sourceTypes[plan.sourceColumns.indexOf(column ?? '')];
  if (plan.key?.length !== 1 || !column || !type || !INTEGER.has(type.toLowerCase())) return undefined;
  const [min, max] = await columnBounds(source, plan.sourceTable, column);
  if (typeof min !== 'string' || typeof max !== 'string') return [];
  // BigInt: a BIGINT UNSIGNED key does not fit a JS number.
  const low = BigInt(min);
  const span = BigInt(max) - low;
  if (span > BigInt(Math.max(1, plan.estimatedRows)) * 2n) return undefined;
  const boundaries: Value[][] = [];
  for (let i = 1; i < parts; i++) {
    const boundary = String(low + (span * BigInt(i)) / BigInt(parts));
    if (boundaries.at(-1)?.[0] !== boundary) boundaries.push([boundary]);
  }
  return boundaries;
}

/** Key values at evenly spaced offsets of the estimated row count. */
async function offsetBoundaries(source: Database, plan: DocumentPlan, parts: number): Promise<Value[][]> {
  const key = plan.key ?? [];
  const boundaries: Value[][] = [];
  for (let i = 1; i < parts; i++) {
    const offset = Math.floor((plan.estimatedRows * i) / parts);
    const row = await keyAtOffset(source, plan.sourceTable, key, offset);
    if (!row) break;
    // Offsets increase, so boundaries never go down; a repeat (a short table) is dropped.
    const previous = boundaries.at(-1);
    if (!previous || encodeKey(previous) !== encodeKey(row)) boundaries.push(row);
  }
  return boundaries;
}

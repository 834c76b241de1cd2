/**
 * Splits a large document into key ranges that are copied in parallel. Boundaries are read
 * from the source's key index at evenly spaced offsets of the estimated row count; they need
 * not be exact, only increasing.
 */
import type { Database } from '../../db/database.js';
import { columnList, qualifiedName } from '../../db/identifiers.js';
import { orderBy } from '../../db/keyset.js';
import type { Value } from '../../handlers/contract.js';
import type { DocumentPlan } from '../../mappings/plan.js';
import { encodeKey } from '../../progress/key-codec.js';

export interface KeyRange {
  start: Value[] | null;
  end: Value[] | null;
}

/** Rows below which a document is not worth splitting. */
export const ROWS_PER_PART = 100_000;

export async function splitRanges(
  source: Database,
  plan: DocumentPlan,
  maxParts: number,
): Promise<KeyRange[]> {
  const parts = Math.min(maxParts, Math.floor(plan.estimatedRows / ROWS_PER_PART));
  if (!plan.key || parts < 2) return [{ start: null, end: null }];
  const key = plan.key;
  const boundaries: Value[][] = [];
  for (let i = 1; i < parts; i++) {
    const offset = Math.floor((plan.estimatedRows * i) / parts);
    const [row] = await source.queryArrays(
      `SELECT ${columnList(key)} FROM ${qualifiedName(source.schema, plan.sourceTable)} ORDER BY ${orderBy(key)} LIMIT 1 OFFSET ${offset}`,
    );
    if (!row) break;
    // Offsets increase, so boundaries never go down; a repeat (a short table) is dropped.
    const previous = boundaries.at(-1);
    if (!previous || encodeKey(previous) !== encodeKey(row)) boundaries.push(row);
  }
  const ranges: KeyRange[] = [];
  let start: Value[] | null = null;
  for (const boundary of boundaries) {
    ranges.push({ start, end: boundary });
    start = boundary;
  }
  ranges.push({ start, end: null });
  return ranges;
}

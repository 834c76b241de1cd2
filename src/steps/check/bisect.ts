/**
 * Finds the rows that differ in a key range whose checksums differ, the way data-diff does:
 * split the range in two at the median key of the side with more rows, checksum both halves,
 * and descend into the halves that differ, until a range holds few enough rows to list their
 * keys and hashes on both sides and compare them one by one. A range empty on one side needs
 * no listing: all its rows are missing (or extra).
 */
import type { Value } from '../../handlers/contract.js';
import { encodeKey } from '../../progress/key-codec.js';
import type { ChunkDifferences } from './differences.js';
import type { CheckSide, ChunkSum, KeyRange, RowHash } from './side.js';

/** Ranges with at most this many rows on both sides are compared row by row. */
export const LEAF_ROWS = 64;

export interface RangePair {
  source: CheckSide;
  destination: CheckSide;
}

/** Compares `range` (whose checksums, when already known, are given) and records what differs. */
export async function bisect(
  sides: RangePair,
  range: KeyRange,
  diff: ChunkDifferences,
  limit: number,
  known?: { source: ChunkSum; destination: ChunkSum },
): Promise<void> {
  const [source, destination] = known
    ? [known.source, known.destination]
    : await Promise.all([sides.source.checksum(range), sides.destination.checksum(range)]);
  if (source.rows === destination.rows && source.sum === destination.sum) return;
  if (destination.rows === 0) return oneSided(sides.source, 'missing', range, source.rows, diff, limit);
  if (source.rows === 0) return oneSided(sides.destination, 'extra', range, destination.rows, diff, limit);
  if (Math.max(source.rows, destination.rows) <= LEAF_ROWS) return compareRows(sides, range, diff);
  // Split at the larger side's median: its rows halve, so the sum of both sides' rows shrinks
  // at every level and the descent ends.
  const [side, rows] =
    source.rows >= destination.rows ? [sides.source, source.rows] : [sides.destination, destination.rows];
  const middle = await side.keyAt(range, Math.floor(rows / 2) - 1);
  if (!middle) return compareRows(sides, range, diff);
  await bisect(sides, { after: range.after, atMost: middle }, diff, limit);
  await bisect(sides, { after: middle, atMost: range.atMost }, diff, limit);
}

async function oneSided(
  side: CheckSide,
  kind: 'missing' | 'extra',
  range: KeyRange,
  rows: number,
  diff: ChunkDifferences,
  limit: number,
): Promise<void> {
  // Missing rows may be explained by the rejected-rows file: then every key is needed (a
  // source range is at most one chunk); otherwise the first few are enough.
  if (kind === 'missing' && diff.needsEveryMissingKey) {
    diff.add(kind, await side.keys(range, rows));
    return;
  }
  diff.addCounted(kind, rows, await side.keys(range, Math.min(rows, limit)));
}

async function compareRows(sides: RangePair, range: KeyRange, diff: ChunkDifferences): Promise<void> {
  const [source, destination] = await Promise.all([
    sides.source.rowHashes(range),
    sides.destination.rowHashes(range),
  ]);
  const byKey = new Map<string, RowHash[]>();
  for (const row of destination) {
    const id = encodeKey(row.key);
    byKey.set(id, [...(byKey.get(id) ?? []), row]);
  }
  const missing: Value[][] = [];
  const changed: Value[][] = [];
  for (const row of source) {
    const id = encodeKey(row.key);
    const matches = byKey.get(id);
    const match = matches?.shift();
    if (!match) missing.push(row.key);
    else if (match.hash !== row.hash) changed.push(row.key);
    if (matches && matches.length === 0) byKey.delete(id);
  }
  // Whatever is left in the destination has no source row (or duplicates one); Map order is key order.
  diff.add('missing', missing);
  diff.add(
    'extra',
    [...byKey.values()].flat().map((row) => row.key),
  );
  diff.add('changed', changed);
}

/**
 * The deep comparison of a given set of keys, not of a whole document: what the cut-over's
 * verify runs on the keys delta applied since the last full deep check. Same row hashes as
 * `check --deep` (sql-side.ts or stream-side.ts, through documentSides), read by batches of keys
 * (`key IN (...)`), never a query per key; its time grows with the keys, not the store.
 */
import type { LimitFunction } from 'p-limit';
import type { Value } from '../../handlers/contract.js';
import type { DocumentPlan } from '../../mappings/plan.js';
import { encodeKey } from '../../progress/key-codec.js';
import type { DifferenceCounts, ReportKey } from '../../report/check-report.js';
import { DocumentDifferences } from './differences.js';
import type { DocumentSides } from './document-sides.js';
import { rejectedKeys } from './rejected-keys.js';

/** Keys read per statement and side. */
export const KEYS_PER_BATCH = 1000;

export interface KeyComparison {
  /** Keys compared. */
  keys: number;
  counts: DifferenceCounts;
  missing: ReportKey[];
  extra: ReportKey[];
  changed: ReportKey[];
  /** Missing rows the rejected-rows file explains (refused by the destination, reported then). */
  explained: number;
  /** Statements per side. */
  batches: number;
}

export async function compareKeys(
  plan: DocumentPlan,
  sides: DocumentSides,
  keys: readonly Value[][],
  options: { keyLimit: number; limit: LimitFunction; rejectedDir: string },
): Promise<KeyComparison> {
  const differences = new DocumentDifferences(
    options.keyLimit,
    await rejectedKeys(options.rejectedDir, plan, sides.canonicalKey),
  );
  const batches: Array<Promise<void>> = [];
  for (let i = 0, index = 0; i < keys.length; i += KEYS_PER_BATCH, index++) {
    const slice = keys.slice(i, i + KEYS_PER_BATCH);
    const chunk = differences.chunk(index);
    batches.push(
      options.limit(async () => {
        const [source, destination] = await Promise.all([
          sides.source.rowHashesOf(slice),
          sides.destination.rowHashesOf(slice),
        ]);
        const there = new Map(destination.map((row) => [encodeKey(row.key), row.hash]));
        const missing: Value[][] = [];
        const changed: Value[][] = [];
        for (const row of source) {
          const id = encodeKey(row.key);
          const hash = there.get(id);
          if (hash === undefined) missing.push(row.key);
          else if (hash !== row.hash) changed.push(row.key);
          there.delete(id);
        }
        const extra = destination.filter((row) => there.has(encodeKey(row.key))).map((row) => row.key);
        chunk.add('missing', missing);
        chunk.add('extra', extra);
        chunk.add('changed', changed);
      }),
    );
  }
  const settled = await Promise.allSettled(batches);
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure) throw failure.reason;
  return {
    keys: keys.length,
    counts: { ...differences.counts },
    ...differences.examples(),
    explained: differences.explained,
    batches: batches.length,
  };
}

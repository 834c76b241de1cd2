/**
 * The keys of the rows a data run rejected for one document, read from its rejected-rows
 * file: those rows are missing from the destination on purpose (the run reported them and
 * exited 1), so the deep check counts them apart instead of calling them missing.
 */
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Value } from '../../handlers/contract.js';
import type { DocumentPlan } from '../../mappings/plan.js';
import { encodeKey } from '../../progress/key-codec.js';
import { decodeValues, type RejectedEntry, RejectedLog } from '../data/rejected-log.js';

export async function rejectedKeys(
  rejectedDir: string,
  plan: DocumentPlan,
  canonicalKey: (values: readonly Value[]) => Value[],
): Promise<Set<string>> {
  const keys = new Set<string>();
  const file = new RejectedLog(rejectedDir).pathOf(plan.document);
  if (!plan.key || !plan.destinationKey || !existsSync(file)) return keys;
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    let entry: RejectedEntry;
    try {
      entry = JSON.parse(line) as RejectedEntry;
    } catch {
      continue; // a line cut short by a crash names no row
    }
    if (entry.document !== plan.document) continue;
    // A handler refused a source row (source columns); the destination refused a destination row.
    const keyColumns = entry.stage === 'transform' ? plan.key : plan.destinationKey;
    const values = decodeValues(entry.values);
    const indexes = keyColumns.map((k) => entry.columns.indexOf(k));
    if (indexes.some((i) => i < 0)) continue;
    keys.add(encodeKey(canonicalKey(indexes.map((i) => values[i] ?? null))));
  }
  return keys;
}

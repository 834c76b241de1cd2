/**
 * Store documents (websites, store groups, store views) in settings mode: copied through
 * their map.json plan, ids kept, and merged into a destination that usually has rows of its
 * own already (the admin website and store 0, a default 1): a row with the same key is
 * updated where a mapped column differs, a missing one inserted, and destination rows the
 * source lacks are kept. A dry run classifies the same rows without writing.
 */
import type { Database, Queryable } from '../../db/database.js';
import { countTable, readTableChunk } from '../../db/keyed-chunk.js';
import { type UpsertRowOutcome, upsertByKey } from '../../db/upsert-by-key.js';
import type { Value } from '../../handlers/contract.js';
import type { DocumentPlan } from '../../mappings/plan.js';
import { transformRow } from '../data/transform-row.js';

export interface StoreMergeOutcome {
  document: string;
  destination: string;
  sourceRows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Destination rows whose key the source does not have: kept as they are. */
  destinationOnly: number;
  /** Per source row, what was (or would be) done, by destination key. */
  rows: UpsertRowOutcome[];
  /** Source rows a handler refused: a dry run reports them; a real run never gets here with any. */
  rejected: Array<{ key: Value[]; reason: string }>;
  /** Rows the destination refused (real run only; the caller rolls everything back). */
  refused: Array<{ values: Value[]; error: string; code: string }>;
}

/** Rows read from the source per round trip. */
const PAGE_ROWS = 500;

/**
 * Merges one store document. `destination` is the destination transaction for a real run, or
 * the destination pool for a dry run. The source pool is only read.
 */
export async function mergeStoreDocument(
  source: Database,
  destination: Pick<Queryable, 'query' | 'queryArrays' | 'execute'>,
  destinationSchema: string,
  plan: DocumentPlan,
  options: { dryRun: boolean; maxAllowedPacket: number },
): Promise<StoreMergeOutcome> {
  const key = plan.key ?? [];
  const destinationKey = plan.destinationKey ?? [];
  const outcome: StoreMergeOutcome = {
    document: plan.document,
    destination: plan.destinationDocument,
    sourceRows: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    destinationOnly: 0,
    rows: [],
    rejected: [],
    refused: [],
  };
  const destinationRowsBefore = await countTable(destination, destinationSchema, plan.destinationTable);
  const keyPositions = key.map((k) => plan.sourceColumns.indexOf(k));
  let last: Value[] | undefined;
  for (;;) {
    const page = await readTableChunk(
      source,
      source.schema,
      { name: plan.sourceTable, columns: plan.sourceColumns, types: plan.sourceTypes, key },
      last ?? null,
      PAGE_ROWS,
    );
    if (page.length === 0) break;
    last = keyPositions.map((i) => page.at(-1)?.[i] ?? null);
    outcome.sourceRows += page.length;
    const values: Value[][] = [];
    for (const sourceValues of page) {
      const transformed = transformRow(plan, sourceValues);
      if (transformed.ok) values.push(transformed.values);
      else
        outcome.rejected.push({
          key: keyPositions.map((i) => sourceValues[i] ?? null),
          reason: transformed.reason,
        });
    }
    const result = await upsertByKey(destination, values, {
      table: plan.destinationTable,
      columns: plan.columns.map((c) => c.destination),
      key: destinationKey,
      types: plan.destinationTypes,
      maxAllowedPacket: options.maxAllowedPacket,
      dryRun: options.dryRun,
    });
    outcome.inserted += result.inserted;
    outcome.updated += result.updated;
    outcome.unchanged += result.unchanged;
    outcome.rows.push(...result.rows);
    outcome.refused.push(...result.rejected.map((r) => ({ values: r.values, error: r.error, code: r.code })));
    if (page.length < PAGE_ROWS) break;
  }
  const matched = outcome.rows.filter((r) => r.action !== 'insert').length;
  outcome.destinationOnly = destinationRowsBefore - matched;
  return outcome;
}

/**
 * The timed sample behind `migrate plan`'s durations: the first rows of a document copied into
 * a scratch table by the very functions `migrate data` uses (copy-part.ts: chunk sizing,
 * LOAD DATA or batch INSERT, or INSERT ... SELECT, each chunk committed with its progress mark),
 * so the rate it measures is the real copy's rate on these servers.
 */
import type { Database } from '../../db/database.js';
import { keyAtRow } from '../../db/keyed-chunk.js';
import type { DocumentPlan } from '../../mappings/plan.js';
import { ProgressStore } from '../../progress/store.js';
import { type CopyContext, type CopyMethod, copyPartDirect, copyPartStreaming } from '../data/copy-part.js';
import type { RejectedLog } from '../data/rejected-log.js';
import type { ScratchTarget } from './scratch-target.js';

export interface SampleSettings {
  source: Database;
  scratch: ScratchTarget;
  progress: ProgressStore;
  rejected: RejectedLog;
  bulkSize: number;
  useLoadData: boolean;
  maxAllowedPacket: number;
}

export interface SampleResult {
  /** Rows copied (and rejected) by the sample. */
  rows: number;
  seconds: number;
  method: CopyMethod;
  /** True when the sample reached the end of the table: the whole document was copied. */
  wholeTable: boolean;
  /** performance.now() when the copy began and ended, to see which samples overlapped. */
  from: number;
  to: number;
}

export async function openSampleProgress(scratch: ScratchTarget): Promise<ProgressStore> {
  const progress = new ProgressStore(scratch.db, scratch.tableName('progress'));
  await progress.ensureTable();
  return progress;
}

/**
 * Creates the document's scratch table for one sampling round, empty, shaped like its
 * destination table. A round never reuses another's table: deleting the rows of an earlier
 * round would leave InnoDB purging them while the next round is timed.
 */
export function prepareSample(settings: SampleSettings, plan: DocumentPlan, round: number): Promise<string> {
  return settings.scratch.createLike(plan.destinationTable, round);
}

/** Copies the first `rows` rows of a keyed document into an empty scratch table; `direct` as `migrate data` would decide it. */
export async function sampleCopy(
  settings: SampleSettings,
  plan: DocumentPlan,
  scratchTable: string,
  rows: number,
  direct: boolean,
): Promise<SampleResult> {
  const key = plan.key;
  if (!key) throw new Error(`${plan.document} has no key: it cannot be sampled by range`);
  await settings.progress.clear([plan.document]);
  const end = await keyAtRow(settings.source, settings.source.schema, plan.sourceTable, key, rows);
  await settings.progress.createParts(plan.document, [{ start: null, end: end ?? null }]);
  const [part] = await settings.progress.parts(plan.document);
  if (!part) throw new Error(`the sample's progress for ${plan.document} was not recorded`);
  const ctx: CopyContext = {
    source: settings.source,
    destination: settings.scratch.db,
    progress: settings.progress,
    rejected: settings.rejected,
    bulkSize: settings.bulkSize,
    useLoadData: settings.useLoadData,
    maxAllowedPacket: settings.maxAllowedPacket,
    stop: { requested: false },
    onRows: () => {},
  };
  const scratchPlan: DocumentPlan = { ...plan, destinationTable: scratchTable };
  const started = performance.now();
  const outcome = direct
    ? await copyPartDirect(ctx, scratchPlan, part)
    : await copyPartStreaming(ctx, scratchPlan, part);
  const ended = performance.now();
  const seconds = (ended - started) / 1000;
  const [after] = await settings.progress.parts(plan.document);
  return {
    rows: (after?.rowsCopied ?? 0) + (after?.rowsRejected ?? 0),
    seconds,
    method: outcome.method,
    wholeTable: end === undefined,
    from: started,
    to: ended,
  };
}

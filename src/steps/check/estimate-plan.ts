/**
 * `migrate plan`: before a copy starts, per document the rows and bytes information_schema
 * estimates, the copy method the run will use, and a duration extrapolated from a timed sample
 * copy (sample-copy.ts) of its first chunks into a scratch target that is dropped afterwards.
 * The total models the run's concurrency (schedule.ts). Nothing outside the scratch target is
 * written; the source is only read.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pLimit from 'p-limit';
import type { Config } from '../../config/types.js';
import { warmPool } from '../../db/warm-pool.js';
import { errorText } from '../../errors.js';
import type { DocumentPlan } from '../../mappings/plan.js';
import { ChunkSizer } from '../data/chunk-size.js';
import { type CopyChoice, chooseCopyMethod, readCopyFacts } from '../data/copy-method.js';
import { RejectedLog } from '../data/rejected-log.js';
import { partCount } from '../data/split-ranges.js';
import type { Connections } from '../plan-stage.js';
import {
  openSampleProgress,
  prepareSample,
  type SampleResult,
  type SampleSettings,
  sampleCopy,
} from './sample-copy.js';
import { simulateCopy, speedupCurve } from './schedule.js';
import { openScratchTarget, type ScratchTarget } from './scratch-target.js';

export const DEFAULT_SAMPLE_CHUNKS = 3;

/**
 * Rows in the first `chunks` chunks of a copy: `bulk_size` each when it is set; otherwise as
 * the chunk sizer grows them while chunks are fast (2000, 4000, 8000, ...), so the sample pays
 * the per-chunk cost the real run pays, not more.
 */
export function sampleRowsFor(bulkSize: number, chunks: number): number {
  const n = Math.max(1, Math.floor(chunks));
  if (bulkSize > 0) return bulkSize * n;
  let rows = 0;
  const sizer = new ChunkSizer(0);
  for (let i = 0; i < n; i++) {
    rows += sizer.size;
    sizer.record(sizer.size, Number.MIN_VALUE);
  }
  return rows;
}

export interface EstimateOptions {
  /** False: rows, bytes and methods only; no scratch target, no durations. */
  sample: boolean;
  sampleChunks?: number;
  /** Called as each document's sample finishes, for a progress line. */
  onSampled?(document: string): void;
}

export interface DocumentEstimate {
  document: string;
  destination: string;
  owner: DocumentPlan['owner'];
  /** information_schema's estimates (TABLE_ROWS, DATA_LENGTH) of the source table. */
  rows: number;
  bytes: number;
  /** How `migrate data` will copy it, as the run's summary names it (copy-method.ts). */
  method: string;
  /** The method and why (copy-method.ts), decided as the run decides it. */
  choice: CopyChoice;
  /** Key ranges the run splits it into. */
  parts: number;
  sample: SampleResult | null;
  /** Estimated copy time within the run (from its start to its end); null when not estimated. */
  seconds: number | null;
  note: string | null;
}

export interface PlanEstimate {
  documents: DocumentEstimate[];
  concurrency: number;
  /** Estimated wall time of the copy stage with the run's concurrency; null without a sample. */
  totalSeconds: number | null;
  /** Samples run together moved `observed` times the rows of one alone, with `inFlight` at once on average. */
  speedup: { observed: number; inFlight: number } | null;
  totalRows: number;
  totalBytes: number;
  scratch: { kind: ScratchTarget['kind']; name: string; fallbackReason: string | null } | null;
  notes: string[];
}

export async function estimatePlan(
  config: Config,
  connections: Connections,
  plans: readonly DocumentPlan[],
  options: EstimateOptions,
): Promise<PlanEstimate> {
  const { concurrency } = config.options;
  const facts = await readCopyFacts(config, connections, plans);
  const documents: DocumentEstimate[] = [];
  for (const plan of plans) {
    const choice = chooseCopyMethod(plan, facts);
    documents.push({
      document: plan.document,
      destination: plan.destinationDocument,
      owner: plan.owner,
      rows: plan.estimatedRows,
      bytes: plan.estimatedBytes,
      method: choice.label,
      choice,
      parts: plan.key ? partCount(plan.estimatedRows, concurrency, config.options.partRows) : 1,
      sample: null,
      seconds: null,
      note:
        plan.owner === 'settings'
          ? 'copied by migrate settings: not part of this estimate'
          : config.options.directDocumentCopy && choice.method !== 'insert-select'
            ? choice.reason
            : null,
    });
  }
  const data = plans.filter((p) => p.owner === 'data');
  const estimate: PlanEstimate = {
    documents,
    concurrency,
    totalSeconds: null,
    speedup: null,
    totalRows: data.reduce((t, p) => t + p.estimatedRows, 0),
    totalBytes: data.reduce((t, p) => t + p.estimatedBytes, 0),
    scratch: null,
    notes: [],
  };
  if (!options.sample || data.length === 0) return estimate;

  const scratch = await openScratchTarget(config.destination, connections.destination, concurrency + 1);
  estimate.scratch = {
    kind: scratch.kind,
    name: scratch.name,
    fallbackReason: scratch.fallbackReason ?? null,
  };
  if (scratch.kind === 'prefix') {
    estimate.notes.push(
      `the destination user may not create a scratch schema (${scratch.fallbackReason}); the sample used scratch tables ${scratch.name}* in ${connections.destination.schema}, now dropped`,
    );
  }
  const rejectedDir = await mkdtemp(join(tmpdir(), 'store-migrate-plan-'));
  let speedup = 1;
  let observedAt = 1;
  try {
    const settings: SampleSettings = {
      source: connections.source,
      scratch,
      progress: await openSampleProgress(scratch),
      rejected: new RejectedLog(rejectedDir),
      bulkSize: config.options.bulkSize,
      useLoadData: facts.localInfile,
      maxAllowedPacket: facts.maxAllowedPacket,
    };
    const sampleRows = sampleRowsFor(config.options.bulkSize, options.sampleChunks ?? DEFAULT_SAMPLE_CHUNKS);
    const sampled = await sampleAll(settings, data, documents, sampleRows, concurrency, options);
    speedup = sampled.speedup;
    observedAt = sampled.observedAt ?? 1;
  } finally {
    await scratch.drop().catch((error: unknown) => {
      estimate.notes.push(
        `could not remove the scratch ${scratch.kind === 'schema' ? `schema: run DROP DATABASE \`${scratch.name}\`` : `tables ${scratch.name}*: drop them`} by hand (${errorText(error)})`,
      );
    });
    await rm(rejectedDir, { recursive: true, force: true });
  }

  // Documents without a sample of their own (no key, or the sample failed) take the rate of all samples.
  const timed = documents.filter((d) => d.sample && d.sample.rows > 0 && d.sample.seconds > 0);
  const overallRate =
    timed.reduce((t, d) => t + (d.sample?.rows ?? 0), 0) /
    Math.max(
      1e-6,
      timed.reduce((t, d) => t + (d.sample?.seconds ?? 0), 0),
    );
  const rateOf = (entry: DocumentEstimate): number | null => {
    const sample = entry.sample;
    if (sample?.wholeTable) entry.rows = sample.rows; // the sample counted it
    if (sample && sample.rows > 0 && sample.seconds > 0) return sample.rows / sample.seconds;
    if (timed.length === 0) return null;
    entry.note = `${entry.note ? `${entry.note}; ` : ''}timed at the other documents' rate`;
    return overallRate;
  };
  // `migrate data` queues the largest documents first.
  const queue = documents
    .filter((d) => d.owner === 'data')
    .map((entry) => ({ entry, rate: rateOf(entry) }))
    .filter((q): q is { entry: DocumentEstimate; rate: number } => q.rate !== null)
    .sort((a, b) => b.entry.bytes - a.entry.bytes || b.entry.rows - a.entry.rows);
  const schedule = simulateCopy(
    queue.map((q) => ({ rows: q.entry.rows, rate: q.rate, parts: q.entry.parts })),
    concurrency,
    speedupCurve(observedAt, speedup),
  );
  for (const [i, q] of queue.entries()) q.entry.seconds = schedule.seconds[i] ?? null;
  estimate.totalSeconds = schedule.total;
  estimate.speedup = observedAt > 1 ? { observed: speedup, inFlight: observedAt } : null;
  estimate.totalRows = documents.filter((d) => d.owner === 'data').reduce((t, d) => t + d.rows, 0);
  return estimate;
}

/**
 * Two rounds: each document alone, one after the other (its solo rate), then all of them
 * `concurrency` at a time, as the run will (how much more the servers move together). The
 * solo round runs first, on pools already holding their connections, so neither round pays
 * for connecting.
 */
async function sampleAll(
  settings: SampleSettings,
  plans: readonly DocumentPlan[],
  documents: DocumentEstimate[],
  sampleRows: number,
  concurrency: number,
  options: EstimateOptions,
): Promise<{ speedup: number; observedAt?: number }> {
  const targets: Array<{ plan: DocumentPlan; entry: DocumentEstimate; tables: [string, string] }> = [];
  // In the order `migrate data` queues them (largest first), so the samples overlap as the run's parts will.
  const queued = [...plans].sort(
    (a, b) => b.estimatedBytes - a.estimatedBytes || b.estimatedRows - a.estimatedRows,
  );
  for (const plan of queued) {
    const entry = documents.find((d) => d.document === plan.document);
    if (!entry || !plan.key) continue;
    try {
      const solo = await prepareSample(settings, plan, 1);
      const together = concurrency > 1 ? await prepareSample(settings, plan, 2) : solo;
      targets.push({ plan, entry, tables: [solo, together] });
    } catch (error) {
      entry.note = `sample failed: ${errorText(error)}`;
    }
  }
  await warmUp(settings, concurrency);
  const run = async (target: (typeof targets)[number], round: 0 | 1) => {
    try {
      const direct = target.entry.choice.method === 'insert-select';
      return await sampleCopy(settings, target.plan, target.tables[round], sampleRows, direct);
    } catch (error) {
      target.entry.note = `sample failed: ${errorText(error)}`;
      return null;
    }
  };
  // Alone: smallest first, so the code paths are warm by the time the large documents are timed.
  for (const target of [...targets].reverse()) {
    target.entry.sample = await run(target, 0);
    options.onSampled?.(target.plan.document);
  }
  if (concurrency <= 1 || targets.length < 2) return { speedup: 1 };
  const limit = pLimit(concurrency);
  const rounds = await Promise.all(
    targets.map(async (target) => ({
      solo: target.entry.sample,
      together: await limit(() => run(target, 1)),
    })),
  );
  const paired = rounds.filter(
    (r): r is { solo: SampleResult; together: SampleResult } => r.solo !== null && r.together !== null,
  );
  const together = paired.map((r) => r.together);
  const soloSeconds = paired.reduce((t, r) => t + r.solo.seconds, 0);
  // While k copies overlap, each runs k / speedup(k) times slower than alone. k is the average
  // number in flight while any copy ran (the samples' bookkeeping between copies left out).
  const busy = together.reduce((t, r) => t + r.seconds, 0);
  const inFlight = busy / Math.max(1e-6, unionSeconds(together));
  if (inFlight <= 1.05 || busy <= 0) return { speedup: 1 };
  return { speedup: (inFlight * soloSeconds) / busy, observedAt: inFlight };
}

/** Seconds during which at least one of the samples was copying. */
function unionSeconds(samples: readonly SampleResult[]): number {
  const spans = samples.map((s) => [s.from, s.to] as const).sort((a, b) => a[0] - b[0]);
  let total = 0;
  let [from, to] = spans[0] ?? [0, 0];
  for (const [a, b] of spans.slice(1)) {
    if (a > to) {
      total += to - from;
      [from, to] = [a, b];
    } else to = Math.max(to, b);
  }
  return (total + (to - from)) / 1000;
}

/** Opens `concurrency` connections on each pool the samples use, so no sample is timed connecting. */
async function warmUp(settings: SampleSettings, concurrency: number): Promise<void> {
  await Promise.all([warmPool(settings.source, concurrency), warmPool(settings.scratch.db, concurrency)]);
}

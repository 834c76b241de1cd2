/**
 * `migrate status`: where a data run stands, from the progress store alone (documents copied,
 * copying, pending, failed with their last error) and, when a delta log list is configured,
 * the delta backlog per document. Reads only; safe to run beside a running copy.
 */
import type { Config } from '../../config/types.js';
import type { DeltaLog } from '../../mappings/deltalog.js';
import type { DocumentPlan } from '../../mappings/plan.js';
import { type DeferredIndex, DeferredIndexStore } from '../../progress/deferred-index-store.js';
import { progressLastUpdate } from '../../progress/progress-table.js';
import { type PartProgress, ProgressStore } from '../../progress/store.js';
import type { RunState } from '../../report/check-report.js';
import type { Connections } from '../plan-stage.js';
import { type DeltaBacklog, deltaBacklog } from './delta-backlog.js';
import { lastRunOf } from './last-run.js';

export interface DocumentStatus {
  document: string;
  /** Null for a document the progress store knows but the current mapping does not plan. */
  destination: string | null;
  state: RunState;
  parts: number;
  partsCopied: number;
  rows: number;
  /** information_schema's estimate of the source rows; null when not planned. */
  estimatedRows: number | null;
  rejected: number;
  seconds: number;
  method: string | null;
  lastError: string | null;
}

export interface RunStatus {
  progressTable: string;
  destination: string;
  /** False when no data run has created the progress table yet. */
  started: boolean;
  /** The progress store's latest update (UTC), when it has one. */
  lastActivity: string | null;
  documents: DocumentStatus[];
  totals: Record<RunState, number>;
  /** Destination indexes the copy dropped and that are not built again yet (deferred-indexes.ts). */
  deferredIndexes: DeferredIndex[];
  delta: { file: string; prefix: string; documents: DeltaBacklog[] } | null;
}

export async function runStatus(
  config: Config,
  connections: Connections,
  plans: readonly DocumentPlan[],
  deltaLog: DeltaLog | undefined,
): Promise<RunStatus> {
  const progress = new ProgressStore(connections.destination, config.options.progressTable);
  const started = await progress.exists();
  const parts = started ? await progress.all() : [];
  const byDocument = new Map<string, PartProgress[]>();
  for (const part of parts) byDocument.set(part.document, [...(byDocument.get(part.document) ?? []), part]);

  const data = plans.filter((p) => p.owner === 'data');
  const documents = data.map((plan) => statusOf(plan.document, plan, byDocument.get(plan.document) ?? []));
  for (const [document, own] of byDocument) {
    if (!data.some((p) => p.document === document)) documents.push(statusOf(document, undefined, own));
  }
  const totals: Record<RunState, number> = { copied: 0, copying: 0, pending: 0, failed: 0 };
  for (const d of documents) totals[d.state]++;
  return {
    progressTable: config.options.progressTable,
    destination: connections.destination.describe(),
    started,
    lastActivity: started ? await lastActivity(connections, config.options.progressTable) : null,
    documents,
    totals,
    deferredIndexes: started
      ? await new DeferredIndexStore(connections.destination, config.options.progressTable).missing()
      : [],
    delta: deltaLog
      ? {
          file: deltaLog.file,
          prefix: deltaLog.prefix,
          documents: await deltaBacklog(connections.source, deltaLog, data),
        }
      : null,
  };
}

function statusOf(document: string, plan: DocumentPlan | undefined, parts: PartProgress[]): DocumentStatus {
  const run = lastRunOf(parts);
  return {
    document,
    destination: plan?.destinationDocument ?? null,
    state: run?.state ?? 'pending',
    parts: parts.length,
    partsCopied: parts.filter((p) => p.state === 'copied').length,
    rows: run?.rows ?? 0,
    estimatedRows: plan?.estimatedRows ?? null,
    rejected: run?.rejected ?? 0,
    seconds: run?.seconds ?? 0,
    method: run?.method ?? null,
    lastError: run?.lastError ?? null,
  };
}

function lastActivity(connections: Connections, table: string): Promise<string | null> {
  return progressLastUpdate(connections.destination, table);
}

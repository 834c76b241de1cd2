/**
 * What earlier runs left in the progress store for the documents about to be copied: nothing
 * (a fresh copy), some parts (a resume), or everything copied (nothing to do). The data step
 * says which before it starts, so a rerun never looks like a second copy and a resume says
 * where it picks up, without -v.
 */

import type { Database } from '../../db/database.js';
import type { DocumentPlan } from '../../mappings/plan.js';
import { lastProgressUpdate } from '../../progress/last-update.js';
import type { ProgressStore } from '../../progress/store.js';

export interface PriorRun {
  kind: 'fresh' | 'resume' | 'finished';
  documents: number;
  /** Documents every part of which is copied. */
  copied: string[];
  /** Documents begun but not finished. */
  begun: string[];
  rows: number;
  /** When the progress store last changed for these documents. */
  lastUpdate: Date | null;
}

export async function priorRun(
  progress: ProgressStore,
  destination: Database,
  table: string,
  plans: readonly DocumentPlan[],
): Promise<PriorRun> {
  const copied: string[] = [];
  const begun: string[] = [];
  let rows = 0;
  for (const plan of plans) {
    const parts = await progress.parts(plan.document);
    if (parts.length === 0) continue;
    rows += parts.reduce((total, p) => total + p.rowsCopied, 0);
    if (parts.every((p) => p.state === 'copied')) copied.push(plan.document);
    else begun.push(plan.document);
  }
  const touched = [...copied, ...begun];
  const kind =
    touched.length === 0
      ? 'fresh'
      : copied.length === plans.length && plans.length > 0
        ? 'finished'
        : 'resume';
  const lastUpdate = touched.length > 0 ? await lastProgressUpdate(destination, table, touched) : null;
  return { kind, documents: plans.length, copied, begun, rows, lastUpdate };
}

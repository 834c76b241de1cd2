/**
 * `migrate data --reset`: forget the progress of the selected documents and empty their
 * destination tables, so the next copy starts from zero. Only destination documents the data
 * step fills are touched; the source never is. Their rejected-rows files are archived (renamed,
 * not deleted): the copy rejects what still fails again, and no later retry replays a row the
 * shop may have changed or deleted since.
 */
import { emptyTable } from '../../db/empty-table.js';
import type { DocumentPlan } from '../../mappings/plan.js';
import type { ProgressStore } from '../../progress/store.js';
import type { Connections } from '../plan-stage.js';
import type { RejectedLog } from './rejected-log.js';

/** Returns the paths rejected-rows files were archived to. */
export async function resetDocuments(
  connections: Connections,
  progress: ProgressStore,
  plans: readonly DocumentPlan[],
  rejected?: RejectedLog,
): Promise<string[]> {
  const { destination } = connections;
  for (const plan of plans) {
    await emptyTable(destination, plan.destinationTable);
  }
  await progress.clear(plans.map((p) => p.document));
  const archived: string[] = [];
  for (const plan of plans) {
    const path = rejected?.archive(plan.document, 'reset');
    if (path) archived.push(path);
  }
  return archived;
}

/**
 * `migrate data --reset`: forget the progress of the selected documents and empty their
 * destination tables, so the next copy starts from zero. Only destination documents the data
 * step fills are touched; the source never is.
 */
import { qualifiedName } from '../../db/identifiers.js';
import type { DocumentPlan } from '../../mappings/plan.js';
import type { ProgressStore } from '../../progress/store.js';
import type { Connections } from '../plan-stage.js';

export async function resetDocuments(
  connections: Connections,
  progress: ProgressStore,
  plans: readonly DocumentPlan[],
): Promise<void> {
  const { destination } = connections;
  for (const plan of plans) {
    // The session has foreign_key_checks = 0, so TRUNCATE works on referenced tables too.
    await destination.execute(`TRUNCATE TABLE ${qualifiedName(destination.schema, plan.destinationTable)}`);
  }
  await progress.clear(plans.map((p) => p.document));
}

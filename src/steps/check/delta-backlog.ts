/**
 * The delta backlog: changes waiting in each change-log table on the source (named as delta
 * tracking names them: `<prefix><source table>`, the prefix from deltalog.json). Read-only and
 * tolerant: a change log that does not exist yet means tracking is not installed for that
 * document, and a name the list gets wrong is left to `migrate delta` to report.
 */
import type { Database } from '../../db/database.js';
import { countTable } from '../../db/keyed-chunk.js';
import { tableNames } from '../../db/tracking-ddl.js';
import { errorText } from '../../errors.js';
import type { DeltaLog } from '../../mappings/deltalog.js';
import type { DocumentPlan } from '../../mappings/plan.js';
import { trackingNames } from '../delta/change-log-names.js';

export interface DeltaBacklog {
  document: string;
  changeLog: string;
  /** Rows waiting; null when the change-log table does not exist (tracking not installed). */
  rows: number | null;
  /** Set when the table exists but could not be counted. */
  error: string | null;
}

export async function deltaBacklog(
  source: Database,
  deltaLog: DeltaLog,
  plans: readonly DocumentPlan[],
): Promise<DeltaBacklog[]> {
  const all = '*' in deltaLog.documents;
  const documents = plans.filter((p) => p.owner === 'data' && (all || p.document in deltaLog.documents));
  const existing = await tableNames(source, source.schema);
  const backlog: DeltaBacklog[] = [];
  for (const plan of documents) {
    const { changeLog } = trackingNames(deltaLog.prefix, plan.sourceTable);
    if (!existing.has(changeLog)) {
      backlog.push({ document: plan.document, changeLog, rows: null, error: null });
      continue;
    }
    try {
      const rows = await countTable(source, source.schema, changeLog);
      backlog.push({ document: plan.document, changeLog, rows, error: null });
    } catch (error) {
      backlog.push({ document: plan.document, changeLog, rows: null, error: errorText(error) });
    }
  }
  return backlog;
}

/**
 * Changes waiting per tracked document whose change log exists (tracking installed): what
 * delta still has to apply. Documents without tracking are absent.
 */
export async function changesWaiting(
  source: Database,
  deltaLog: DeltaLog,
  plans: readonly DocumentPlan[],
): Promise<Map<string, number>> {
  const backlog = await deltaBacklog(source, deltaLog, plans);
  return new Map(backlog.flatMap((b) => (b.rows === null ? [] : [[b.document, b.rows] as const])));
}

/**
 * The volume check on its own: a document's source rows against its destination rows plus
 * the rows the data run rejected. It cannot see a changed value; `--deep` can.
 */
import { countRowsBulk } from '../../db/table-count.js';
import type { DocumentPlan } from '../../mappings/plan.js';
import { type DocumentReport, type LastRun, NOT_MEASURED } from '../../report/check-report.js';
import type { Connections } from '../plan-stage.js';

export const SETTINGS_NOTE =
  'copied by migrate settings, which merges values into the destination: counted, not compared';

export async function countDocument(
  connections: Connections,
  plan: DocumentPlan,
  lastRun: LastRun | null,
): Promise<DocumentReport> {
  const started = performance.now();
  const [sourceRows, destinationRows] = await Promise.all([
    countRowsBulk(connections.source, plan.sourceTable),
    countRowsBulk(connections.destination, plan.destinationTable),
  ]);
  const rejectedRows = lastRun?.rejected ?? 0;
  const settings = plan.owner === 'settings';
  const accounted = destinationRows + rejectedRows;
  return {
    document: plan.document,
    destination: plan.destinationDocument,
    sourceTable: plan.sourceTable,
    destinationTable: plan.destinationTable,
    status: settings ? 'skipped' : accounted === sourceRows ? 'ok' : 'mismatch',
    method: 'count',
    key: null,
    sourceRows,
    destinationRows,
    rejectedRows,
    // Row counts cannot name missing, extra or changed rows: not measured, never a guessed 0.
    counts: { ...NOT_MEASURED },
    exact: false,
    missing: [],
    extra: [],
    changed: [],
    chunks: 0,
    seconds: (performance.now() - started) / 1000,
    notes: settings ? [SETTINGS_NOTE] : countNotes(sourceRows, destinationRows, rejectedRows),
    lastRun,
    repair: null,
  };
}

/** What a count can say about a difference: how far apart the sides are, and how to find the rows. */
function countNotes(sourceRows: number, destinationRows: number, rejectedRows: number): string[] {
  const accounted = destinationRows + rejectedRows;
  if (accounted === sourceRows) return [];
  const gap = Math.abs(sourceRows - accounted);
  const side = accounted < sourceRows ? 'fewer' : 'more';
  const rejected = rejectedRows > 0 ? ` + ${rejectedRows} rejected` : '';
  return [
    `the destination holds ${gap} ${side} rows than the source (${destinationRows}${rejected} against ${sourceRows}); which rows, and whether values changed, only --deep can tell`,
  ];
}

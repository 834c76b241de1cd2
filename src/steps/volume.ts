/**
 * The volume stage: per document, the source's row count against the destination's. Rows the
 * run rejected (and wrote to the rejected-rows files) are accounted for, so a mismatch means
 * rows went missing or appeared that nobody can explain. On a shop that kept selling during the
 * copy, a tracked document's counts differ by what its change log still holds: that is
 * `changes-pending` (delta applies them), not a mismatch.
 */
import pLimit from 'p-limit';
import { qualifiedName } from '../db/identifiers.js';
import type { DeltaLog } from '../mappings/deltalog.js';
import type { DocumentPlan } from '../mappings/plan.js';
import type { ProgressStore } from '../progress/store.js';
import { textTable } from '../report/table.js';
import { changesWaiting } from './check/delta-backlog.js';
import type { Connections } from './plan-stage.js';

export interface VolumeRow {
  document: string;
  destination: string;
  sourceRows: number;
  destinationRows: number;
  rejected: number;
  /** Changes waiting in the document's change log; null when it has no change tracking. */
  pendingChanges: number | null;
  status: 'ok' | 'mismatch' | 'changes-pending';
}

export async function volumeCheck(
  connections: Connections,
  plans: readonly DocumentPlan[],
  progress: ProgressStore | undefined,
  concurrency: number,
  /** The change-tracking list, when the run tracks changes: read when some document differs. */
  deltaLog?: DeltaLog,
): Promise<VolumeRow[]> {
  const limit = pLimit(concurrency);
  const count = async (side: 'source' | 'destination', table: string) => {
    const db = connections[side];
    const [row] = await db.bulk.query<{ n: string }>(
      `SELECT COUNT(*) AS n FROM ${qualifiedName(db.schema, table)}`,
    );
    return Number(row?.n ?? 0);
  };
  const rows = await Promise.all(
    plans.map((plan) =>
      limit(async () => {
        const [sourceRows, destinationRows, parts] = await Promise.all([
          count('source', plan.sourceTable),
          count('destination', plan.destinationTable),
          progress ? progress.parts(plan.document) : Promise.resolve([]),
        ]);
        const rejected = parts.reduce((total, p) => total + p.rowsRejected, 0);
        const row: VolumeRow = {
          document: plan.document,
          destination: plan.destinationDocument,
          sourceRows,
          destinationRows,
          rejected,
          pendingChanges: null,
          status: destinationRows + rejected === sourceRows ? 'ok' : 'mismatch',
        };
        return row;
      }),
    ),
  );
  if (!deltaLog || rows.every((r) => r.status === 'ok')) return rows;
  // Read after the counts: a change that made a count differ is in its change log by now. Every
  // tracked document's backlog is shown, so the operator sees what delta has ahead of it.
  const waiting = await changesWaiting(connections.source, deltaLog, plans);
  return rows.map((row) => {
    const changes = waiting.get(row.document);
    if (changes === undefined) return row; // not tracked, or tracking not installed
    const explained = row.status === 'mismatch' && changes > 0;
    return { ...row, pendingChanges: changes, status: explained ? 'changes-pending' : row.status };
  });
}

export function formatVolume(rows: readonly VolumeRow[]): string {
  const mismatches = rows.filter((r) => r.status === 'mismatch').length;
  const pending = rows.filter((r) => r.status === 'changes-pending').length;
  // The change-log column only where a change log was looked at: it explains a difference.
  const tracked = rows.some((r) => r.pendingChanges !== null);
  const table = textTable(
    [
      'document',
      'destination',
      'source rows',
      'destination rows',
      'rejected',
      ...(tracked ? ['changes waiting'] : []),
      'status',
    ],
    rows.map((r) => [
      r.document,
      r.destination,
      String(r.sourceRows),
      String(r.destinationRows),
      String(r.rejected),
      ...(tracked ? [r.pendingChanges === null ? '-' : String(r.pendingChanges)] : []),
      r.status,
    ]),
    ['left', 'left', 'right', 'right', 'right', ...(tracked ? (['right'] as const) : []), 'left'],
  );
  const parts = [
    mismatches ? `${mismatches} of ${rows.length} documents do not match` : '',
    pending
      ? `${pending} of ${rows.length} differ by changes the shop made during the copy, waiting in their change logs`
      : '',
  ].filter(Boolean);
  const head = parts.length
    ? `volume check: ${parts.join('; ')}`
    : `volume check: all ${rows.length} documents match`;
  return `${head}\n${table}`;
}

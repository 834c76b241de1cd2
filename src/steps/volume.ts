/**
 * The volume stage: per document, the source's row count against the destination's, and the
 * destination's count against the document's ledger in the progress table (rows read = rows
 * written + rows rejected). Rows the run rejected (and wrote to the rejected-rows files) are
 * accounted for, so a mismatch means rows went missing or appeared that nobody can explain;
 * a chunk the destination server took and then lost shows at once as rows the ledger says were
 * written and the destination does not hold. On a shop that kept selling during the copy, a
 * tracked document's counts differ by what its change log still holds: `changes-pending`
 * (delta applies them), but only while the difference is no larger than the number of
 * changes waiting; a larger one is a mismatch.
 */
import pLimit from 'p-limit';
import { countRowsBulk } from '../db/table-count.js';
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
  /** The ledger: rows the copy read and wrote (progress table); null when it has no progress. */
  ledger: { read: number; written: number } | null;
  /** Changes waiting in the document's change log; null when it has no change tracking. */
  pendingChanges: number | null;
  status: 'ok' | 'mismatch' | 'changes-pending';
  /** What does not add up, in words; null when the document matches. */
  reason: string | null;
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
  const count = (side: 'source' | 'destination', table: string) => countRowsBulk(connections[side], table);
  const rows = await Promise.all(
    plans.map((plan) =>
      limit(async () => {
        const [sourceRows, destinationRows, parts] = await Promise.all([
          count('source', plan.sourceTable),
          count('destination', plan.destinationTable),
          progress ? progress.parts(plan.document) : Promise.resolve([]),
        ]);
        const rejected = parts.reduce((total, p) => total + p.rowsRejected, 0);
        const ledger =
          parts.length === 0
            ? null
            : {
                read: parts.reduce((total, p) => total + p.rowsRead, 0),
                written: parts.reduce((total, p) => total + p.rowsCopied, 0),
              };
        const reason =
          ledgerProblem(destinationRows, rejected, ledger) ??
          sourceProblem(sourceRows, destinationRows, rejected);
        const row: VolumeRow = {
          document: plan.document,
          destination: plan.destinationDocument,
          sourceRows,
          destinationRows,
          rejected,
          ledger,
          pendingChanges: null,
          status: reason === null ? 'ok' : 'mismatch',
          reason,
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
    return { ...row, pendingChanges: changes, ...trackedStatus(row, changes) };
  });
}

/**
 * A tracked document: its destination may already hold changes delta applied, so the ledger
 * is not held against it; the source difference is `changes-pending` when the changes waiting
 * can account for it (each change moves the count by at most one), a mismatch otherwise.
 */
function trackedStatus(row: VolumeRow, changes: number): Pick<VolumeRow, 'status' | 'reason'> {
  const difference = row.sourceRows - (row.destinationRows + row.rejected);
  if (difference === 0) return { status: 'ok', reason: null };
  if (Math.abs(difference) <= changes) return { status: 'changes-pending', reason: null };
  return {
    status: 'mismatch',
    reason:
      `${countText(Math.abs(difference))} ${difference > 0 ? 'missing from' : 'more in'} the destination ` +
      `(with the rejected rows), more than the ${countText(changes, 'change')} waiting in its change log can explain`,
  };
}

/** Rows the ledger says were written but the destination does not hold (or the reverse). */
function ledgerProblem(
  destinationRows: number,
  rejected: number,
  ledger: VolumeRow['ledger'],
): string | null {
  if (ledger === null) return null;
  if (ledger.read !== ledger.written + rejected) {
    return `the progress table's ledger does not add up: ${ledger.read} read, ${ledger.written} written, ${rejected} rejected`;
  }
  const lost = ledger.written - destinationRows;
  if (lost > 0) {
    return `the copy wrote ${ledger.written} rows (progress table) but the destination holds ${destinationRows}: ${countText(lost)} lost after they were written`;
  }
  if (lost < 0) {
    return `the destination holds ${destinationRows} rows, ${countText(-lost)} more than the copy wrote (${ledger.written}): something else writes to it`;
  }
  return null;
}

function sourceProblem(sourceRows: number, destinationRows: number, rejected: number): string | null {
  const difference = sourceRows - (destinationRows + rejected);
  if (difference === 0) return null;
  return difference > 0
    ? `${countText(difference)} of the source are neither in the destination nor rejected`
    : `the destination holds ${countText(-difference)} more than the source`;
}

function countText(n: number, noun = 'row'): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
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
  const reasons = rows.flatMap((r) =>
    r.status === 'mismatch' && r.reason ? [`  ${r.document}: ${r.reason}`] : [],
  );
  return reasons.length ? `${head}\n${table}\n${reasons.join('\n')}` : `${head}\n${table}`;
}

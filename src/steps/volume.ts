/**
 * The volume stage: per document, the source's row count against the destination's. Rows the
 * run rejected (and wrote to the rejected-rows files) are accounted for, so a mismatch means
 * rows went missing or appeared that nobody can explain.
 */
import pLimit from 'p-limit';
import { qualifiedName } from '../db/identifiers.js';
import type { DocumentPlan } from '../mappings/plan.js';
import type { ProgressStore } from '../progress/store.js';
import { textTable } from '../report/table.js';
import type { Connections } from './plan-stage.js';

export interface VolumeRow {
  document: string;
  destination: string;
  sourceRows: number;
  destinationRows: number;
  rejected: number;
  status: 'ok' | 'mismatch';
}

export async function volumeCheck(
  connections: Connections,
  plans: readonly DocumentPlan[],
  progress: ProgressStore | undefined,
  concurrency: number,
): Promise<VolumeRow[]> {
  const limit = pLimit(concurrency);
  const count = async (side: 'source' | 'destination', table: string) => {
    const db = connections[side];
    const [row] = await db.query<{ n: string }>(
      `SELECT COUNT(*) AS n FROM ${qualifiedName(db.schema, table)}`,
    );
    return Number(row?.n ?? 0);
  };
  return Promise.all(
    plans.map((plan) =>
      limit(async () => {
        const [sourceRows, destinationRows, parts] = await Promise.all([
          count('source', plan.sourceTable),
          count('destination', plan.destinationTable),
          progress ? progress.parts(plan.document) : Promise.resolve([]),
        ]);
        const rejected = parts.reduce((total, p) => total + p.rowsRejected, 0);
        return {
          document: plan.document,
          destination: plan.destinationDocument,
          sourceRows,
          destinationRows,
          rejected,
          status: destinationRows + rejected === sourceRows ? 'ok' : 'mismatch',
        } satisfies VolumeRow;
      }),
    ),
  );
}

export function formatVolume(rows: readonly VolumeRow[]): string {
  const mismatches = rows.filter((r) => r.status === 'mismatch');
  const table = textTable(
    ['document', 'destination', 'source rows', 'destination rows', 'rejected', 'status'],
    rows.map((r) => [
      r.document,
      r.destination,
      String(r.sourceRows),
      String(r.destinationRows),
      String(r.rejected),
      r.status,
    ]),
    ['left', 'left', 'right', 'right', 'right', 'left'],
  );
  const head = mismatches.length
    ? `volume check: ${mismatches.length} of ${rows.length} documents do not match`
    : `volume check: all ${rows.length} documents match`;
  return `${head}\n${table}`;
}

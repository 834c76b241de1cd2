/**
 * The volume check of the store documents after a settings run. Their destination tables keep
 * rows of their own (the admin store 0), so counts cannot be compared: instead every source
 * row's key must be present in the destination.
 */
import type { Database } from '../../db/database.js';
import { countTable, readKeysAfter } from '../../db/keyed-chunk.js';
import { presentKeys as presentKeyRows } from '../../db/row-presence.js';
import { keyText } from '../../db/upsert-compare.js';
import type { Value } from '../../handlers/contract.js';
import type { DocumentPlan } from '../../mappings/plan.js';
import { textTable } from '../../report/table.js';
import type { Connections } from '../plan-stage.js';

export interface StoreVolumeRow {
  document: string;
  destination: string;
  sourceRows: number;
  destinationRows: number;
  /** Source keys the destination lacks, as text (first few). */
  missing: string[];
  missingCount: number;
  status: 'ok' | 'mismatch';
}

const PAGE_ROWS = 1000;
const MISSING_SHOWN = 10;

export async function storeVolumeCheck(
  connections: Connections,
  plans: readonly DocumentPlan[],
): Promise<StoreVolumeRow[]> {
  const rows: StoreVolumeRow[] = [];
  for (const plan of plans) rows.push(await checkDocument(connections, plan));
  return rows;
}

async function checkDocument(connections: Connections, plan: DocumentPlan): Promise<StoreVolumeRow> {
  const { source, destination } = connections;
  const key = plan.key ?? [];
  const destinationKey = plan.destinationKey ?? [];
  const keyTypes = destinationKey.map(
    (k) => plan.destinationTypes[plan.columns.findIndex((c) => c.destination === k)],
  );
  const row: StoreVolumeRow = {
    document: plan.document,
    destination: plan.destinationDocument,
    sourceRows: 0,
    destinationRows: await countTable(destination, destination.schema, plan.destinationTable),
    missing: [],
    missingCount: 0,
    status: 'ok',
  };
  let last: Value[] | undefined;
  for (;;) {
    const page = await readKeysAfter(source, source.schema, plan.sourceTable, key, last ?? null, PAGE_ROWS);
    if (page.length === 0) break;
    last = page.at(-1);
    row.sourceRows += page.length;
    const present = await presentKeys(destination, plan.destinationTable, destinationKey, page, keyTypes);
    for (const values of page) {
      if (present.has(keyText(values, keyTypes))) continue;
      row.missingCount++;
      if (row.missing.length < MISSING_SHOWN) row.missing.push(values.map(String).join(','));
    }
    if (page.length < PAGE_ROWS) break;
  }
  row.status = row.missingCount === 0 ? 'ok' : 'mismatch';
  return row;
}

async function presentKeys(
  db: Database,
  table: string,
  key: readonly string[],
  keys: readonly Value[][],
  keyTypes: readonly (string | undefined)[],
): Promise<Set<string>> {
  const found = await presentKeyRows(db, db.schema, table, key, keys);
  return new Set(found.map((values) => keyText(values, keyTypes)));
}

export function formatStoreVolume(rows: readonly StoreVolumeRow[]): string {
  const mismatches = rows.filter((r) => r.status === 'mismatch');
  const table = textTable(
    ['document', 'destination', 'source rows', 'destination rows', 'missing', 'status'],
    rows.map((r) => [
      r.document,
      r.destination,
      String(r.sourceRows),
      String(r.destinationRows),
      String(r.missingCount),
      r.status,
    ]),
    ['left', 'left', 'right', 'right', 'right', 'left'],
  );
  const head = mismatches.length
    ? `volume check: ${mismatches.length} of ${rows.length} store documents lack source rows`
    : `volume check: every source row of the ${rows.length} store documents is in the destination`;
  const details = mismatches.map(
    (r) =>
      `  ${r.destination} lacks ${r.document} keys ${r.missing.join('; ')}${r.missingCount > r.missing.length ? ' ...' : ''}`,
  );
  return [head, table, ...details].join('\n');
}

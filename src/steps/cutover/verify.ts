/**
 * The cut-over's two verifications:
 *   - before downtime, a full deep check (run-check.ts) of every document not verified since
 *     its copy last changed; what it finds equal is marked verified, and the keys of rows that
 *     differ only because their change still waits for delta join the keys the window verifies;
 *   - in the window, counts for every document plus a deep comparison of exactly the keys delta
 *     applied since each document's last full deep check (compare-keys.ts): its time grows with
 *     the changes, not with the store.
 */

import pLimit from 'p-limit';
import type { Config } from '../../config/types.js';
import { IdMapStore, idMapTableName } from '../../db/id-map-store.js';
import { readSchema } from '../../db/schema.js';
import { ExitCode, MigrateError } from '../../errors.js';
import type { DeltaLog } from '../../mappings/deltalog.js';
import type { DocumentPlan } from '../../mappings/plan.js';
import type { ChangedKeys } from '../../progress/changed-keys.js';
import { type PartProgress, ProgressStore } from '../../progress/store.js';
import type { CutoverReport, VerifiedDocument } from '../../report/cutover-report.js';
import { compareKeys } from '../check/compare-keys.js';
import { countDocument } from '../check/count-check.js';
import { documentSides } from '../check/document-sides.js';
import { lastRunOf } from '../check/last-run.js';
import { runCheck } from '../check/run-check.js';
import type { ServerFlavor } from '../check/sql-hash-forms.js';
import { decodeValues } from '../data/rejected-log.js';
import type { Connections } from '../plan-stage.js';

/**
 * Differing keys the check before downtime may hand to the window's verify; more means delta
 * is far behind (or the copy is wrong), and the window would be long: the cut-over stops first.
 */
export const BEFORE_KEY_LIMIT = 10_000;
/** Keys listed per document and kind in the report. */
const REPORT_KEYS = 20;

export async function checkUnverified(
  config: Config,
  connections: Connections,
  plans: readonly DocumentPlan[],
  changedKeys: ChangedKeys,
  deltaLog: DeltaLog,
  configPath: string,
  note: (line: string) => void,
): Promise<CutoverReport['checkedBefore']> {
  const stale = await changedKeys.unverified(config.options.progressTable);
  const toCheck = plans.filter((p) => p.owner === 'data' && stale.has(p.document));
  const verified = plans.filter((p) => p.owner === 'data').length - toCheck.length;
  note(
    `${verified} documents verified by an earlier full deep check; ${toCheck.length} to check now${toCheck.length ? `: ${toCheck.map((p) => p.document).join(', ')}` : ''}`,
  );
  if (toCheck.length === 0) return [];
  const began = await changedKeys.now();
  const report = await runCheck(config, connections, toCheck, {
    mode: 'deep',
    keyLimit: BEFORE_KEY_LIMIT,
    deltaLog,
    configPath,
  });
  const result: CutoverReport['checkedBefore'] = [];
  for (const doc of report.documents) {
    const differences = (doc.counts.missing ?? 0) + (doc.counts.extra ?? 0) + (doc.counts.changed ?? 0);
    result.push({
      document: doc.document,
      status: doc.status === 'ok' ? 'ok' : 'mismatch',
      rows: doc.sourceRows,
      differences,
    });
    if (doc.status === 'ok') {
      await changedKeys.markVerified(doc.document, began);
      continue;
    }
    if (doc.status !== 'mismatch') continue;
    const listed = [...doc.missing, ...doc.extra, ...doc.changed];
    if (!doc.exact) {
      note(`${doc.document}: differs, and without a key it cannot be compared by key; the window counts it`);
      continue;
    }
    // Fewer keys listed than counted is normal on a live shop (a row the shop changed between a
    // range's checksum and its listing: its change is tracked); a kind listed up to the limit is not.
    const truncated = [doc.missing, doc.extra, doc.changed].some((keys) => keys.length >= BEFORE_KEY_LIMIT);
    if (truncated) {
      throw new MigrateError(
        `${doc.document} differs in ${differences} rows before downtime, more than the window can re-check (${BEFORE_KEY_LIMIT} of a kind); the shop was not touched`,
        {
          code: 'CUTOVER_NOT_READY',
          exitCode: ExitCode.failed,
          hint: `let \`migrate delta ${configPath}\` catch up (or repair the document: \`migrate check ${configPath} --deep --only ${doc.document}\` names the rows), then cut over`,
          context: { step: 'cutover', document: doc.document },
        },
      );
    }
    // Rows the shop changed whose change still waits for delta: the window compares them again.
    await changedKeys.markVerified(doc.document, began);
    await changedKeys.record(
      connections.destination,
      doc.document,
      listed.map((key) => decodeValues(key)),
    );
    note(
      `${doc.document}: ${differences} rows differ now (changes waiting for delta); the window compares them again`,
    );
  }
  return result;
}

export async function verifyWindow(
  config: Config,
  connections: Connections,
  plans: readonly DocumentPlan[],
  trackedDocuments: ReadonlySet<string>,
  changedKeys: ChangedKeys,
): Promise<VerifiedDocument[]> {
  const limit = pLimit(config.options.concurrency);
  const [source, destination, version, parts] = await Promise.all([
    readSchema(connections.source, connections.source.schema),
    readSchema(connections.destination, connections.destination.schema),
    connections.destination.query<{ v: string }>('SELECT VERSION() AS v'),
    new ProgressStore(connections.destination, config.options.progressTable).all(),
  ]);
  const flavor: ServerFlavor = /mariadb/i.test(version[0]?.v ?? '') ? 'mariadb' : 'mysql';
  const runs = new Map<string, PartProgress[]>();
  for (const part of parts) runs.set(part.document, [...(runs.get(part.document) ?? []), part]);

  const verifyOne = async (plan: DocumentPlan): Promise<VerifiedDocument> => {
    const counted = await limit(() =>
      countDocument(connections, plan, lastRunOf(runs.get(plan.document) ?? [])),
    );
    const result: VerifiedDocument = {
      document: plan.document,
      destination: plan.destinationDocument,
      status: counted.status === 'ok' ? 'ok' : 'mismatch',
      sourceRows: counted.sourceRows,
      destinationRows: counted.destinationRows,
      rejectedRows: counted.rejectedRows,
      keysCompared: null,
      counts: { missing: 0, extra: 0, changed: 0 },
      missing: [],
      extra: [],
      changed: [],
      notes: [...counted.notes],
    };
    const sourceTable = source.get(plan.sourceTable);
    const destinationTable = destination.get(plan.destinationTable);
    if (!trackedDocuments.has(plan.document)) {
      result.notes.push('not tracked by delta: counted only');
      return result;
    }
    if (!plan.key || !plan.destinationKey || !sourceTable || !destinationTable) {
      result.notes.push('no usable key: counted only');
      return result;
    }
    const sides = documentSides(
      plan,
      connections,
      { source: sourceTable, destination: destinationTable },
      flavor,
      new IdMapStore(connections.destination, idMapTableName(config.options.progressTable)),
    );
    const keys = await changedKeys.keys(plan.document);
    const compared = await compareKeys(plan, sides, keys, {
      keyLimit: REPORT_KEYS,
      limit,
      rejectedDir: config.options.rejectedDir,
    });
    result.keysCompared = compared.keys;
    result.counts = compared.counts;
    result.missing = compared.missing;
    result.extra = compared.extra;
    result.changed = compared.changed;
    if (compared.explained > 0)
      result.notes.push(`${compared.explained} rows are missing because the destination rejected them`);
    if (compared.counts.missing + compared.counts.extra + compared.counts.changed > 0)
      result.status = 'mismatch';
    return result;
  };
  return Promise.all(plans.filter((p) => p.owner === 'data').map(verifyOne));
}

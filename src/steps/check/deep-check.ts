/**
 * The deep check of one document: cut the source's keys into chunks, checksum each chunk on
 * both sides, and bisect the chunks that differ down to the rows (missing, extra, changed).
 * Chunk boundaries come from the source; the first chunk is open below and the last open
 * above, so destination rows outside the source's keys are found too. Every query runs under
 * the shared concurrency limit.
 */
import type { LimitFunction } from 'p-limit';
import type { Value } from '../../handlers/contract.js';
import type { DocumentPlan } from '../../mappings/plan.js';
import type { DocumentReport, LastRun } from '../../report/check-report.js';
import { RejectedLog } from '../data/rejected-log.js';
import { bisect } from './bisect.js';
import { DocumentDifferences } from './differences.js';
import type { DocumentSides } from './document-sides.js';
import { rejectedKeys } from './rejected-keys.js';
import { type KeyRange, WHOLE_RANGE } from './side.js';

export interface DeepOptions {
  /** Source rows per chunk. */
  chunkRows: number;
  /** Keys listed per kind of difference and document. */
  keyLimit: number;
  limit: LimitFunction;
  rejectedDir: string;
  onRows?(document: string, rows: number): void;
}

export async function deepCheckDocument(
  plan: DocumentPlan,
  sides: DocumentSides,
  lastRun: LastRun | null,
  options: DeepOptions,
): Promise<DocumentReport> {
  const started = performance.now();
  const base = {
    document: plan.document,
    destination: plan.destinationDocument,
    sourceTable: plan.sourceTable,
    destinationTable: plan.destinationTable,
    method: sides.method,
    rejectedRows: lastRun?.rejected ?? 0,
    lastRun,
    repair: null,
  };
  if (!sides.keyed) {
    const [source, destination] = await options.limit(() =>
      Promise.all([sides.source.checksum(WHOLE_RANGE), sides.destination.checksum(WHOLE_RANGE)]),
    );
    options.onRows?.(plan.document, source.rows);
    const same = source.rows === destination.rows && source.sum === destination.sum;
    const notes = [...sides.notes];
    if (!same) notes.push('the rows differ, but without a key they cannot be named');
    return {
      ...base,
      status: same ? 'ok' : 'mismatch',
      key: null,
      sourceRows: source.rows,
      destinationRows: destination.rows,
      // Lower bounds: a whole-table checksum says that something differs, not how much.
      counts: {
        missing: Math.max(0, source.rows - destination.rows),
        extra: Math.max(0, destination.rows - source.rows),
        changed: !same && source.rows === destination.rows ? 1 : 0,
      },
      exact: false,
      missing: [],
      extra: [],
      changed: [],
      chunks: 1,
      seconds: (performance.now() - started) / 1000,
      notes,
    };
  }

  const differences = new DocumentDifferences(
    options.keyLimit,
    await rejectedKeys(options.rejectedDir, plan, sides.canonicalKey),
  );
  let sourceRows = 0;
  let destinationRows = 0;
  const compareChunk = async (range: KeyRange, index: number) => {
    const [source, destination] = await Promise.all([
      sides.source.checksum(range),
      sides.destination.checksum(range),
    ]);
    sourceRows += source.rows;
    destinationRows += destination.rows;
    if (source.rows !== destination.rows || source.sum !== destination.sum) {
      await bisect(sides, range, differences.chunk(index), options.keyLimit, { source, destination });
    }
    options.onRows?.(plan.document, source.rows);
  };

  // Boundaries are found one after the other (each starts where the last ended); chunks are
  // compared as soon as they are known.
  const chunks: Array<Promise<void>> = [];
  let after: Value[] | null = null;
  for (let index = 0; ; index++) {
    const from: Value[] | null = after;
    const boundary: Value[] | null = await options.limit(() =>
      sides.source.keyAt({ after: from, atMost: null }, options.chunkRows - 1),
    );
    const range: KeyRange = { after: from, atMost: boundary };
    chunks.push(options.limit(() => compareChunk(range, index)));
    if (!boundary) break;
    after = boundary;
  }
  const settled = await Promise.allSettled(chunks);
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure) throw failure.reason;

  const { counts } = differences;
  const notes = [...sides.notes];
  if (differences.explained > 0) {
    notes.push(
      `${differences.explained} source rows are not in the destination because the data run rejected them (${new RejectedLog(options.rejectedDir).pathOf(plan.document)})`,
    );
  }
  const examples = differences.examples();
  return {
    ...base,
    status: counts.missing + counts.extra + counts.changed > 0 ? 'mismatch' : 'ok',
    key: plan.destinationKey,
    sourceRows,
    destinationRows,
    counts: { ...counts },
    exact: true,
    ...examples,
    chunks: chunks.length,
    seconds: (performance.now() - started) / 1000,
    notes,
  };
}

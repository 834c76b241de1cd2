/**
 * The data stage of `migrate data`: copies every planned document, in parallel within the
 * connection budget, resuming whatever an earlier run left, and reports per document what was
 * copied, how, how fast, and what was rejected.
 */
import pLimit from 'p-limit';
import type { Config } from '../../config/types.js';
import { countRowsUpTo } from '../../db/rows-up-to.js';
import { isInterrupted } from '../../db/watched-client.js';
import type { ThrottleGate } from '../../engine/throttle.js';
import { errorText, MigrateError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { DocumentPlan } from '../../mappings/plan.js';
import { selectByGlobs } from '../../mappings/select-plans.js';
import { DeferredIndexStore } from '../../progress/deferred-index-store.js';
import { type PartProgress, ProgressStore } from '../../progress/store.js';
import { shellWord } from '../../util/shell-word.js';
import type { Connections } from '../plan-stage.js';
import { type CopyChoice, chooseCopyMethods, readCopyFacts } from './copy-method.js';
import {
  type CopyContext,
  copyPartDirect,
  copyPartStreaming,
  copyWholeStreaming,
  type PartOutcome,
  type StopSignal,
} from './copy-part.js';
import { IndexDeferral } from './deferred-indexes.js';
import { RejectedLog } from './rejected-log.js';
import { splitRanges } from './split-ranges.js';
import { interruptAfterGrace } from './stop-grace.js';
import { backoff, isTransient } from './transient.js';

export interface DataRunOptions {
  /** Document globs (source or destination names) to copy; all when empty. */
  only?: readonly string[];
  skip?: readonly string[];
  stop: StopSignal;
  /** Pauses the copy between chunks while the source is overloaded (src/engine/throttle.ts). */
  throttle?: ThrottleGate;
  /**
   * Called once per document before any of its rows is read for the first time: delta
   * tracking installs its triggers here, so no change made during the copy is missed.
   */
  beforeFirstRead?: (plan: DocumentPlan) => Promise<void>;
  /** The copy methods the dry-run plan table showed (copy-method.ts); read from the databases when absent. */
  choices?: ReadonlyMap<string, CopyChoice>;
  /** The id map table, for handlers that declare `needs` (src/engine/id-map.ts): lookups loaded per chunk. */
  idMaps?: CopyContext['idMaps'];
  /** Rows copied, as they commit; for the progress display. */
  onRows?: (document: string, rows: number) => void;
  /** A document starts; `total` is the estimated row count. */
  onDocument?: (document: string, total: number, alreadyCopied: number) => void;
  /** Every part of a document is copied (its bar can show the final count). */
  onDocumentDone?: (document: string) => void;
}

export interface DocumentSummary {
  document: string;
  destination: string;
  rows: number;
  rejected: number;
  seconds: number;
  method: string;
  finished: boolean;
}

export interface DataRunResult {
  summaries: DocumentSummary[];
  stopped: boolean;
  rejected: RejectedLog;
}

const MAX_ATTEMPTS = 6;

/** The plans `migrate data` copies: owned by the data step and selected by --only / --skip. */
export function selectPlans(
  plans: readonly DocumentPlan[],
  only?: readonly string[],
  skip?: readonly string[],
) {
  return selectByGlobs(
    plans.filter((p) => p.owner === 'data'),
    only,
    skip,
  );
}

export async function runDataCopy(
  config: Config,
  connections: Connections,
  plans: readonly DocumentPlan[],
  log: Logger,
  options: DataRunOptions,
): Promise<DataRunResult> {
  const { source, destination } = connections;
  const progress = new ProgressStore(destination, config.options.progressTable);
  await progress.ensureTable();
  const rejected = new RejectedLog(config.options.rejectedDir);
  // The method of every document is decided here, once, as the dry run and `migrate plan` decided it.
  const facts = await readCopyFacts(config, connections, options.choices ? [] : plans);
  const choices = options.choices ?? chooseCopyMethods(plans, facts);
  if (config.options.directDocumentCopy && !facts.sameServer) {
    log.info(
      'direct_document_copy is on, but source and destination are different servers: rows are streamed',
    );
  }

  const started = new Map<string, PartProgress[]>();
  for (const plan of plans) started.set(plan.document, await progress.parts(plan.document));
  await refuseForeignRows(
    connections,
    plans.filter((p) => (started.get(p.document) ?? []).length === 0),
    config,
  );

  const ctx: CopyContext = {
    source,
    destination,
    progress,
    rejected,
    bulkSize: config.options.bulkSize,
    useLoadData: facts.localInfile,
    maxAllowedPacket: facts.maxAllowedPacket,
    stop: options.stop,
    throttle: options.throttle,
    ...(options.idMaps && { idMaps: options.idMaps }),
    onRows: (document, rows) => options.onRows?.(document, rows),
  };

  const deferral = new IndexDeferral(
    destination,
    new DeferredIndexStore(destination, config.options.progressTable),
    log,
    config.file,
  );
  // A table two documents fill keeps its indexes: one could rebuild them under the other's copy.
  const fillers = new Map<string, number>();
  for (const plan of plans) fillers.set(plan.destinationTable, (fillers.get(plan.destinationTable) ?? 0) + 1);
  const limit = pLimit(config.options.concurrency);
  const failures: Array<{ document: string; error: unknown }> = [];
  /** The method a document's parts used this run, when it differs from the one chosen (LOAD DATA refused). */
  const fellBack = new Map<string, string>();
  const ordered = [...plans].sort(
    (a, b) => b.estimatedBytes - a.estimatedBytes || b.estimatedRows - a.estimatedRows,
  );

  const documentTasks = ordered.map((plan) =>
    (async () => {
      let parts = started.get(plan.document) ?? [];
      if (parts.length === 0) {
        await options.beforeFirstRead?.(plan);
        if (fillers.get(plan.destinationTable) === 1)
          await deferral.defer(plan, config.options.deferIndexesMinRows);
        const ranges = await splitRanges(source, plan, config.options.concurrency, config.options.partRows);
        await progress.createParts(plan.document, ranges);
        parts = await progress.parts(plan.document);
      }
      const todo = parts.filter((p) => p.state !== 'copied');
      // Parts of one AUTO_INCREMENT table written at once: with <parallel_autoinc_inserts>,
      // INSERTs, which do not take turns on its AUTO-INC lock as LOAD DATA statements do
      // (insert-values-text.ts); off by default: on 2 cores they lost (BENCHMARKS.md, issue 16).
      const parallel = config.options.concurrency > 1 && todo.length > 1;
      const insertValues =
        config.options.parallelAutoincInserts && parallel && plan.destinationAutoIncrement === true;
      const documentCtx = { ...ctx, insertValues };
      options.onDocument?.(
        plan.document,
        Math.max(plan.estimatedRows, sum(parts, 'rowsCopied')),
        sum(parts, 'rowsCopied'),
      );
      const choice = choices.get(plan.document) as CopyChoice;
      await Promise.all(
        todo.map((part) =>
          limit(async () => {
            if (options.stop.requested) return;
            try {
              const outcome = await withRetries(log, plan, part, progress, options.stop, (current) =>
                copyPart(documentCtx, plan, current, choice),
              );
              if (outcome && outcome.method === 'insert' && choice.method === 'load-data')
                fellBack.set(plan.document, `insert (LOAD DATA refused; chosen: ${choice.label})`);
            } catch (error) {
              if (stoppedByCtrlC(options.stop, error)) return; // the part waits for the next run
              // The rejected-rows file cannot be written (a full disk): every part would fail the
              // same way, so all stop after the chunk in hand.
              if (isRejectedWriteFailure(error)) options.stop.requested = true;
              await progress.recordError(plan.document, part.part, errorText(error));
              failures.push({ document: plan.document, error });
            }
          }),
        ),
      );
      const failed = failures.some((f) => f.document === plan.document);
      if (failed || options.stop.requested) return;
      // Also when an earlier run copied every part and stopped before the rebuild.
      await deferral.rebuild(plan);
      options.onDocumentDone?.(plan.document);
    })().catch((error: unknown) => {
      if (!stoppedByCtrlC(options.stop, error)) failures.push({ document: plan.document, error });
    }),
  );
  const stopWatch = interruptAfterGrace(options.stop, [source, destination]);
  try {
    await Promise.all(documentTasks);
  } finally {
    stopWatch();
  }

  const diskFailure = failures.find((f) => isRejectedWriteFailure(f.error));
  if (diskFailure) throw diskFailure.error; // it names the file and says what to do
  if (failures.length > 0) {
    const first = failures[0];
    const list = failures.map((f) => `${f.document}: ${errorText(f.error)}`).join('\n  ');
    throw new MigrateError(`the copy failed for ${failures.length} part(s):\n  ${list}`, {
      code: 'COPY_FAILED',
      hint: `fix the cause, then run \`migrate data ${config.file}\` again: it resumes from the last committed chunk`,
      context: { step: 'data', document: first?.document },
      cause: first?.error,
    });
  }

  const summaries: DocumentSummary[] = [];
  for (const plan of plans) {
    const parts = await progress.parts(plan.document);
    summaries.push({
      document: plan.document,
      destination: plan.destinationDocument,
      rows: sum(parts, 'rowsCopied'),
      rejected: sum(parts, 'rowsRejected'),
      seconds: Math.max(0, ...parts.map((p) => p.seconds)),
      method: fellBack.get(plan.document) ?? choices.get(plan.document)?.label ?? '-',
      finished: parts.length > 0 && parts.every((p) => p.state === 'copied'),
    });
  }
  return { summaries, stopped: options.stop.requested, rejected };
}

function copyPart(
  ctx: CopyContext,
  plan: DocumentPlan,
  part: PartProgress,
  choice: CopyChoice,
): Promise<PartOutcome> {
  if (choice.oneRead) return copyWholeStreaming(ctx, plan, part);
  return choice.method === 'insert-select'
    ? copyPartDirect(ctx, plan, part)
    : copyPartStreaming(ctx, plan, part);
}

/**
 * Retries a part after a transient failure, from what the progress store says was committed.
 * Undefined when Ctrl+C came while it waited to retry: the part stays unfinished, for the next run.
 */
async function withRetries(
  log: Logger,
  plan: DocumentPlan,
  part: PartProgress,
  progress: ProgressStore,
  stop: StopSignal,
  work: (part: PartProgress) => Promise<PartOutcome>,
): Promise<PartOutcome | undefined> {
  let current = part;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work(current);
    } catch (error) {
      if (!isTransient(error) || attempt >= MAX_ATTEMPTS) throw error;
      if (stop.requested) return undefined;
      log.warn(`${plan.document} part ${part.part}: ${errorText(error)}; retrying (attempt ${attempt + 1})`);
      await backoff(attempt, stop);
      if (stop.requested) return undefined;
      const fresh = await progress.parts(plan.document).catch(() => undefined);
      current = fresh?.find((p) => p.part === part.part) ?? current;
    }
  }
}

/**
 * A destination table that already holds rows the tool did not write would end up with a mix
 * nobody can vouch for: refuse before anything is written, and say what to do.
 */
async function refuseForeignRows(connections: Connections, fresh: readonly DocumentPlan[], config: Config) {
  const occupied: Array<{ plan: DocumentPlan; rows: number }> = [];
  for (const plan of fresh) {
    // Bounded: the operator needs the order of magnitude, not a full count of a huge table.
    const rows = await countRowsUpTo(
      connections.destination,
      connections.destination.schema,
      plan.destinationTable,
      FOREIGN_ROWS_COUNTED,
    );
    if (rows > 0) occupied.push({ plan, rows });
  }
  if (occupied.length === 0) return;
  const list = occupied
    .map(
      ({ plan, rows }) =>
        `${plan.destinationTable} (${rows > FOREIGN_ROWS_COUNTED ? `more than ${FOREIGN_ROWS_COUNTED}` : rows} rows)`,
    )
    .join(', ');
  const documents = occupied.map(({ plan }) => shellWord(plan.document)).join(' ');
  throw new MigrateError(`destination tables already hold rows that store-migrate did not write: ${list}`, {
    code: 'DESTINATION_NOT_EMPTY',
    hint: `if those rows may go, run \`migrate data ${shellWord(config.file)} --reset --only ${documents}\` (empties these ${occupied.length} tables only, and asks first); or empty them yourself; or leave them out with --skip ${documents}`,
    context: { step: 'data' },
  });
}

/** Rows counted per occupied table in DESTINATION_NOT_EMPTY. */
const FOREIGN_ROWS_COUNTED = 1000;

/** A statement interrupted after Ctrl+C (see stop-grace.ts) is a stop, not a failure. */
function stoppedByCtrlC(stop: StopSignal, error: unknown): boolean {
  return stop.requested && isInterrupted(error);
}

function sum(parts: readonly PartProgress[], field: 'rowsCopied' | 'rowsRejected'): number {
  return parts.reduce((total, p) => total + p[field], 0);
}

function isRejectedWriteFailure(error: unknown): boolean {
  return error instanceof MigrateError && error.code === 'REJECTED_WRITE_FAILED';
}

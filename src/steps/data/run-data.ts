/**
 * The data stage of `migrate data`: copies every planned document, in parallel within the
 * connection budget, resuming whatever an earlier run left, and reports per document what was
 * copied, how, how fast, and what was rejected.
 */
import pLimit from 'p-limit';
import type { Config } from '../../config/types.js';
import { qualifiedName } from '../../db/identifiers.js';
import { serverFacts } from '../../db/server-identity.js';
import { errorText, MigrateError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { DocumentPlan } from '../../mappings/plan.js';
import { selectByGlobs } from '../../mappings/select-plans.js';
import { type PartProgress, ProgressStore } from '../../progress/store.js';
import type { Connections } from '../plan-stage.js';
import {
  type CopyContext,
  type CopyMethod,
  copyPartDirect,
  copyPartStreaming,
  copyWholeStreaming,
  type PartOutcome,
  type StopSignal,
} from './copy-part.js';
import { RejectedLog } from './rejected-log.js';
import { splitRanges } from './split-ranges.js';
import { backoff, isTransient } from './transient.js';

export interface DataRunOptions {
  /** Document globs (source or destination names) to copy; all when empty. */
  only?: readonly string[];
  skip?: readonly string[];
  stop: StopSignal;
  /**
   * Called once per document before any of its rows is read for the first time: delta
   * tracking installs its triggers here, so no change made during the copy is missed.
   */
  beforeFirstRead?: (plan: DocumentPlan) => Promise<void>;
  /** Rows copied, as they commit; for the progress display. */
  onRows?: (document: string, rows: number) => void;
  /** A document starts; `total` is the estimated row count. */
  onDocument?: (document: string, total: number, alreadyCopied: number) => void;
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
  const [sourceFacts, destFacts] = await Promise.all([serverFacts(source), serverFacts(destination)]);
  const direct = config.options.directDocumentCopy && sourceFacts.identity === destFacts.identity;
  if (config.options.directDocumentCopy && !direct) {
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
    useLoadData: destFacts.localInfile,
    maxAllowedPacket: destFacts.maxAllowedPacket,
    stop: options.stop,
    onRows: (document, rows) => options.onRows?.(document, rows),
  };

  const limit = pLimit(config.options.concurrency);
  const failures: Array<{ document: string; error: unknown }> = [];
  const methods = new Map<string, CopyMethod>();
  const ordered = [...plans].sort(
    (a, b) => b.estimatedBytes - a.estimatedBytes || b.estimatedRows - a.estimatedRows,
  );

  const documentTasks = ordered.map((plan) =>
    (async () => {
      let parts = started.get(plan.document) ?? [];
      if (parts.length === 0) {
        await options.beforeFirstRead?.(plan);
        const ranges = await splitRanges(source, plan, config.options.concurrency, config.options.partRows);
        await progress.createParts(plan.document, ranges);
        parts = await progress.parts(plan.document);
      }
      const todo = parts.filter((p) => p.state !== 'copied');
      options.onDocument?.(
        plan.document,
        Math.max(plan.estimatedRows, sum(parts, 'rowsCopied')),
        sum(parts, 'rowsCopied'),
      );
      const useDirect =
        direct && plan.sqlExpressible && plan.key !== null && (await canReadSource(connections, plan));
      await Promise.all(
        todo.map((part) =>
          limit(async () => {
            if (options.stop.requested) return;
            try {
              const outcome = await withRetries(log, plan, part, progress, (current) =>
                copyPart(ctx, plan, current, useDirect),
              );
              methods.set(plan.document, outcome.method);
            } catch (error) {
              // The rejected-rows file cannot be written (a full disk): every part would fail the
              // same way, so all stop after the chunk in hand.
              if (isRejectedWriteFailure(error)) options.stop.requested = true;
              await progress.recordError(plan.document, part.part, errorText(error));
              failures.push({ document: plan.document, error });
            }
          }),
        ),
      );
    })().catch((error: unknown) => {
      failures.push({ document: plan.document, error });
    }),
  );
  await Promise.all(documentTasks);

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
      method: methods.get(plan.document) ?? parts.find((p) => p.method)?.method ?? '-',
      finished: parts.length > 0 && parts.every((p) => p.state === 'copied'),
    });
  }
  return { summaries, stopped: options.stop.requested, rejected };
}

function copyPart(
  ctx: CopyContext,
  plan: DocumentPlan,
  part: PartProgress,
  useDirect: boolean,
): Promise<PartOutcome> {
  if (!plan.key) return copyWholeStreaming(ctx, plan, part);
  return useDirect ? copyPartDirect(ctx, plan, part) : copyPartStreaming(ctx, plan, part);
}

/** Retries a part after a transient failure, from what the progress store says was committed. */
async function withRetries(
  log: Logger,
  plan: DocumentPlan,
  part: PartProgress,
  progress: ProgressStore,
  work: (part: PartProgress) => Promise<PartOutcome>,
): Promise<PartOutcome> {
  let current = part;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work(current);
    } catch (error) {
      if (!isTransient(error) || attempt >= MAX_ATTEMPTS) throw error;
      log.warn(`${plan.document} part ${part.part}: ${errorText(error)}; retrying (attempt ${attempt + 1})`);
      await backoff(attempt);
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
  const occupied: string[] = [];
  for (const plan of fresh) {
    const rows = await connections.destination.query(
      `SELECT 1 FROM ${qualifiedName(connections.destination.schema, plan.destinationTable)} LIMIT 1`,
    );
    if (rows.length > 0) occupied.push(plan.destinationTable);
  }
  if (occupied.length === 0) return;
  throw new MigrateError(
    `destination tables already hold rows that store-migrate did not write: ${occupied.join(', ')}`,
    {
      code: 'DESTINATION_NOT_EMPTY',
      hint: `run \`migrate data ${config.file} --reset\` to empty every destination document and start over, or empty those tables yourself, or leave them out with --skip`,
      context: { step: 'data' },
    },
  );
}

/** Direct copy runs on the destination's connections, so its user must be able to read the source. */
export async function canReadSource(connections: Connections, plan: DocumentPlan): Promise<boolean> {
  try {
    await connections.destination.query(
      `SELECT 1 FROM ${qualifiedName(connections.source.schema, plan.sourceTable)} LIMIT 0`,
    );
    return true;
  } catch {
    return false;
  }
}

function sum(parts: readonly PartProgress[], field: 'rowsCopied' | 'rowsRejected'): number {
  return parts.reduce((total, p) => total + p[field], 0);
}

function isRejectedWriteFailure(error: unknown): boolean {
  return error instanceof MigrateError && error.code === 'REJECTED_WRITE_FAILED';
}

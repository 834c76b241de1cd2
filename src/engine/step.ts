/**
 * The Step contract: work of `migrate data` beyond the plain table-to-table map (merging into
 * a seeded destination, computed documents, a profile's own entities). A step names the
 * destination documents it claims (the map then neither fills nor reports them as unfilled),
 * checks itself before anything is written, runs resumably through the progress store, and
 * verifies what it wrote. Steps run inside the same run lock, throttle, stop signal and
 * rejected-rows log as the bulk copy: they receive them in {@link StepContext}.
 */
import type { Config } from '../config/types.js';
import type { Database } from '../db/database.js';
import type { IdMapStore } from '../db/id-map-store.js';
import type { SchemaSnapshot } from '../db/schema.js';
import type { Value } from '../handlers/contract.js';
import type { Logger } from '../log.js';
import type { DocumentPlan } from '../mappings/plan.js';
import type { Problem } from '../mappings/problems.js';
import type { ProgressStore } from '../progress/store.js';
import type { StopSignal } from '../steps/data/copy-part.js';
import type { RejectedLog } from '../steps/data/rejected-log.js';
import type { ThrottleGate } from './throttle.js';

/** What a step's integrity check sees: both live schemas and the map's plans. Nothing is written. */
export interface StepIntegrityContext {
  config: Config;
  source: Database;
  destination: Database;
  sourceSchema: SchemaSnapshot;
  destinationSchema: SchemaSnapshot;
  plans: readonly DocumentPlan[];
}

/** What a running step uses. Everything it writes goes through `destination`. */
export interface StepContext {
  config: Config;
  source: Database;
  destination: Database;
  /**
   * Resumability: record a document's parts and advance them in the same destination
   * transaction as the rows (invariant 2). A document id must be unique across the run.
   */
  progress: ProgressStore;
  /** The id map table (src/db/id-map-store.ts), ensured before any step runs. */
  idMaps: IdMapStore;
  /** Rows a handler or the destination refused go here (invariant 4). */
  rejected: RejectedLog;
  /** Ctrl+C: finish and commit the chunk in hand, then return with `finished: false`. */
  stop: StopSignal;
  /** Call `wait(stop)` between chunks: pauses while the source is overloaded. */
  throttle?: ThrottleGate;
  log: Logger;
  /** The destination's max_allowed_packet, for the row writer. */
  maxAllowedPacket: number;
  /** The map's plans, e.g. for a step that reuses a document's column mapping and handlers. */
  plans: readonly DocumentPlan[];
  /** Rows committed, for the progress display. */
  onRows(document: string, rows: number): void;
}

/** One document a step wrote, as the summary table shows it. */
export interface StepDocumentResult {
  document: string;
  destination: string;
  rows: number;
  rejected: number;
  seconds: number;
  finished: boolean;
}

/** One verification line: what the source says the destination should hold, and what it holds. */
export interface StepCheck {
  document: string;
  expected: number;
  actual: number;
  ok: boolean;
  /** What was compared, e.g. "rows of the select" or "source rows with an id map entry". */
  note: string;
  /**
   * Set by `migrate data` (never by the step): the check differs, but by no more than the
   * changes waiting in the step's change logs, which `migrate delta` applies.
   */
  pending?: boolean;
}

/**
 * A source table a step reads, as delta tracks it for the step: each change of one of its rows
 * logs `columns` (the new values, and the old ones first when an update changes them; the old
 * ones of a deleted row), whatever leads the step from the row to the rows it must redo (a
 * value row's entity id, an address's parent id, an order's store id).
 */
export interface StepSource {
  /** The table without source_prefix. */
  table: string;
  columns: readonly string[];
}

/** One logged change of a step's source table: the logged columns' values, by name. */
export interface StepChange {
  table: string;
  op: 'I' | 'U' | 'D';
  values: Readonly<Record<string, Value>>;
}

/** What applying one batch of changes did in the step's documents. */
export interface StepDeltaResult {
  /** Rows written again (inserted or replaced). */
  upserted: number;
  /** Rows removed because their source entity is gone. */
  deleted: number;
  /** Rows a handler or the destination refused (in the rejected-rows log). */
  rejected: number;
}

/**
 * How `migrate delta` keeps a step's documents in step with a live source. `migrate data`
 * installs change tracking on every source before the step first reads it; delta then hands
 * each batch of changes to `apply`, which re-reads what they touch from the source (handlers
 * and id maps as in data), writes it, and removes the rows whose source entity vanished, in
 * destination transactions of its own. Only after every step applied a batch are its changes
 * removed from the change logs, so a crash re-applies the batch: `apply` must be idempotent.
 */
export interface StepDelta {
  readonly sources: readonly StepSource[];
  apply(ctx: StepContext, changes: readonly StepChange[]): Promise<StepDeltaResult>;
}

export interface Step {
  /** Unique within the run; shown in logs and summaries. */
  readonly name: string;
  /** Destination documents this step fills: the map's resolver treats them as filled. */
  readonly documents: readonly string[];
  /**
   * Destination documents the map fills and this step then rewrites in place (the Magento
   * profile's option ids, which only the attribute tells apart from plain numbers). Their rows
   * differ from the map's rules by design, so `migrate check --deep` counts them instead of
   * comparing them row by row, and this step's `verify` (or the profile's natural-key check)
   * compares their values.
   */
  readonly rewrites?: readonly string[];
  /**
   * Runs before anything is written (and in a dry run). Errors stop `migrate data` exactly
   * like the map's integrity errors (`--auto` relaxes them).
   */
  integrity?(ctx: StepIntegrityContext): Promise<Problem[]>;
  /** Does the work, resuming from the progress store; returns per document what it wrote. */
  run(ctx: StepContext): Promise<StepDocumentResult[]>;
  /** After a finished run: compares what it wrote with what the source says. */
  verify?(ctx: StepContext): Promise<StepCheck[]>;
  /**
   * `--reset`: removes only what this step wrote (and its progress), so the next run starts
   * over. Absent: the claimed documents are emptied.
   */
  reset?(ctx: StepContext): Promise<void>;
  /** Absent: delta never updates the step's documents (they are as `migrate data` left them). */
  readonly delta?: StepDelta;
}

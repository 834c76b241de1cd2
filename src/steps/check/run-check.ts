/**
 * `migrate check`: compares every planned document between source and destination, by row
 * count or (deep) by key-range checksums down to the differing rows, and returns the report
 * the console table, the JSON file and the HTML page are made from. Only reads, both sides.
 */

import pLimit from 'p-limit';
import type { Config } from '../../config/types.js';
import { IdMapStore, idMapTableName } from '../../db/id-map-store.js';
import { readSchema, type SchemaSnapshot } from '../../db/schema.js';
import { serverFlavor } from '../../db/server-identity.js';
import { errorText, MigrateError } from '../../errors.js';
import type { DeltaLog } from '../../mappings/deltalog.js';
import type { DocumentPlan } from '../../mappings/plan.js';
import type { Resolution } from '../../mappings/resolve.js';
import { type PartProgress, ProgressStore } from '../../progress/store.js';
import {
  type CheckMode,
  type CheckReport,
  type DocumentReport,
  type LeftBehind,
  liveSourceNote,
  NOTHING_LEFT_BEHIND,
  REPORT_VERSION,
  totalsOf,
} from '../../report/check-report.js';
import { repairCommand } from '../../report/repair-command.js';
import { toolName } from '../../report/tool-name.js';
import type { Connections, MappingFiles } from '../plan-stage.js';
import { countDocument } from './count-check.js';
import { deepCheckDocument } from './deep-check.js';
import { changesWaiting } from './delta-backlog.js';
import { documentSides } from './document-sides.js';
import { lastRunOf } from './last-run.js';
import { leftBehindOf } from './left-behind.js';
import { destinationIntegrity } from './orphans.js';
import { settingsStateOf } from './settings-state.js';
import type { ServerFlavor } from './sql-hash-forms.js';
import { runVerifications, type Verification } from './verification.js';

export const DEFAULT_CHUNK_ROWS = 10_000;
export const DEFAULT_KEY_LIMIT = 20;

export interface CheckOptions {
  mode: CheckMode;
  chunkRows?: number;
  keyLimit?: number;
  /** A document begins: its estimated rows, for a progress display. */
  onDocument?(document: string, total: number): void;
  onRows?(document: string, rows: number): void;
  /** The change-tracking list: the report's note then says what the change logs held at the end. */
  deltaLog?: DeltaLog;
  /** The config path as the operator named it, for the repair commands (default: the absolute path). */
  configPath?: string;
  /** Verifications of steps and profiles, run after the built-in checks; a failed one fails the check. */
  verifications?: readonly Verification[];
  /**
   * Destination tables the referential check covers beside the compared documents': merged
   * documents and the documents steps fill (their counts are not compared, their keys are).
   */
  filledTables?: readonly string[];
  /**
   * Destination documents a step rewrites after the map filled them, by the step's name: a deep
   * check counts them and leaves their values to that step's verification.
   */
  rewrittenBy?: ReadonlyMap<string, string>;
  /** For the sign-off sections: what the map leaves behind, and where the settings merge stands. */
  signOff?: { files: MappingFiles; resolution: Resolution };
}

export async function runCheck(
  config: Config,
  connections: Connections,
  plans: readonly DocumentPlan[],
  options: CheckOptions,
): Promise<CheckReport> {
  const startedAt = new Date();
  const started = performance.now();
  const keyLimit = options.keyLimit ?? DEFAULT_KEY_LIMIT;
  const limit = pLimit(config.options.concurrency);
  const runs = await lastRuns(connections, config.options.progressTable);
  const deep = options.mode === 'deep' ? await deepContext(connections) : undefined;
  // Read only: documents whose handlers look ids up compare against the ids the copy used. Before
  // any run has made the id map table there are no ids to use: such rows then read as differing
  // (a handler without its lookups refuses the row), never as a missing-table error.
  const idMapStore = new IdMapStore(connections.destination, idMapTableName(config.options.progressTable));
  const idMaps = (await idMapStore.exists()) ? idMapStore : undefined;

  const checkOne = async (plan: DocumentPlan): Promise<DocumentReport> => {
    const lastRun = lastRunOf(runs.get(plan.document) ?? []);
    options.onDocument?.(plan.document, plan.estimatedRows);
    const rewriter = options.rewrittenBy?.get(plan.destinationDocument);
    if (!deep || plan.owner !== 'data' || rewriter !== undefined) {
      const report = await limit(() => countDocument(connections, plan, lastRun));
      options.onRows?.(plan.document, report.sourceRows);
      if (deep && rewriter !== undefined) {
        report.notes.push(
          `counted, not compared row by row: the step "${rewriter}" rewrites its values after the copy, and its own check compares them`,
        );
      }
      return report;
    }
    const source = deep.source.get(plan.sourceTable);
    const destination = deep.destination.get(plan.destinationTable);
    if (!source || !destination) {
      throw new MigrateError(`${plan.sourceTable} or ${plan.destinationTable} no longer exists`, {
        code: 'CHECK_SCHEMA_CHANGED',
        hint: 'a table was dropped or renamed while the check ran; run the check again',
        context: { step: 'check', document: plan.document },
      });
    }
    const sides = documentSides(plan, connections, { source, destination }, deep.flavor, idMaps);
    return deepCheckDocument(plan, sides, lastRun, {
      chunkRows: Math.max(2, options.chunkRows ?? DEFAULT_CHUNK_ROWS),
      keyLimit,
      limit,
      rejectedDir: config.options.rejectedDir,
      onRows: options.onRows,
    });
  };

  // Settled, not Promise.all: a failure must not leave other documents querying closed pools.
  const settled = await Promise.allSettled(plans.map((plan) => checkOne(plan)));
  const documents: DocumentReport[] = [];
  for (const [i, outcome] of settled.entries()) {
    if (outcome.status === 'fulfilled') {
      documents.push(outcome.value);
      continue;
    }
    const error: unknown = outcome.reason;
    if (error instanceof MigrateError) throw error;
    const document = plans[i]?.document;
    throw new MigrateError(`the check of ${document} failed: ${errorText(error)}`, {
      code: 'CHECK_FAILED',
      hint: 'the check changes nothing; fix the cause the message names and run it again',
      context: { step: 'check', document },
      cause: error,
    });
  }
  const totals = totalsOf(documents);
  const waiting = await waitingChanges(connections, plans, options.deltaLog);
  const note = liveSourceNote(waiting);
  const configPath = options.configPath ?? config.file;
  for (const document of documents) {
    document.repair = repairCommand(document, {
      config: configPath,
      waiting: waiting?.get(document.document),
    });
  }
  const settings = options.signOff
    ? await settingsStateOf(config, options.signOff.files, connections, configPath)
    : null;
  const filled = [...new Set([...plans.map((p) => p.destinationTable), ...(options.filledTables ?? [])])];
  const referentialIntegrity = await destinationIntegrity(connections.destination, filled, {
    concurrency: config.options.concurrency,
    config: configPath,
    destPrefix: config.options.destPrefix,
  });
  const verifications = await runVerifications(options.verifications ?? [], {
    config,
    connections,
    plans,
    configPath,
  });
  const failed = referentialIntegrity.violated > 0 || verifications.some((v) => v.status === 'failed');
  return {
    version: REPORT_VERSION,
    tool: toolName(),
    startedAt: startedAt.toISOString(),
    generatedAt: new Date().toISOString(),
    seconds: Number(((performance.now() - started) / 1000).toFixed(3)),
    config: config.file,
    mode: options.mode,
    source: connections.source.describe(),
    destination: connections.destination.describe(),
    note,
    status: totals.mismatch > 0 || failed ? 'mismatch' : 'ok',
    keyLimit,
    totals,
    documents,
    leftBehind: options.signOff
      ? await leftBehind(config, connections, options.signOff)
      : NOTHING_LEFT_BEHIND,
    settings,
    referentialIntegrity,
    verifications,
  };
}

async function leftBehind(
  config: Config,
  connections: Connections,
  signOff: { files: MappingFiles; resolution: Resolution },
): Promise<LeftBehind> {
  const [source, destination] = await Promise.all([
    readSchema(connections.source, connections.source.schema),
    readSchema(connections.destination, connections.destination.schema),
  ]);
  return leftBehindOf({
    rules: signOff.files.rules,
    resolution: signOff.resolution,
    source,
    destination,
    destPrefix: config.options.destPrefix,
  });
}

/**
 * Changes waiting per tracked document; null without change tracking, or when the change logs
 * cannot be read (the report then carries the general note: a finished check is never lost to
 * its note).
 */
async function waitingChanges(
  connections: Connections,
  plans: readonly DocumentPlan[],
  deltaLog: DeltaLog | undefined,
): Promise<ReadonlyMap<string, number> | null> {
  if (!deltaLog) return null;
  return changesWaiting(connections.source, deltaLog, plans).catch(() => null);
}

/** Progress parts per document; empty when no data run has created the progress table. */
async function lastRuns(connections: Connections, table: string): Promise<Map<string, PartProgress[]>> {
  const parts = await new ProgressStore(connections.destination, table).all();
  const byDocument = new Map<string, PartProgress[]>();
  for (const part of parts) byDocument.set(part.document, [...(byDocument.get(part.document) ?? []), part]);
  return byDocument;
}

async function deepContext(connections: Connections) {
  const [source, destination, flavor]: [SchemaSnapshot, SchemaSnapshot, ServerFlavor] = await Promise.all([
    readSchema(connections.source, connections.source.schema),
    readSchema(connections.destination, connections.destination.schema),
    serverFlavor(connections.destination),
  ]);
  return { source, destination, flavor };
}

/**
 * The first stage of every step: read the map files, connect to both sides, read both live
 * schemas and resolve the per-document plans, collecting every integrity problem. Nothing is
 * written anywhere by this stage.
 */

import { dirname } from 'node:path';
import type { Config } from '../config/types.js';
import { Database } from '../db/database.js';
import { idMapTableName } from '../db/id-map-store.js';
import { readSchema } from '../db/schema.js';
import type { StatementLimits } from '../db/watched-client.js';
import { type RunSteps, rulesWithClaims, stepsOf } from '../engine/map-steps.js';
import type { Profile } from '../engine/profile.js';
import { resolveProfile } from '../engine/profiles.js';
import { holderTable } from '../engine/run-lock.js';
import { type DeltaLog, loadDeltaLog } from '../mappings/deltalog.js';
import { loadMapRules, type MapRules } from '../mappings/map-rules.js';
import type { DocumentPlan } from '../mappings/plan.js';
import type { Problem } from '../mappings/problems.js';
import { type Resolution, resolvePlans } from '../mappings/resolve.js';
import { loadSettingsMap, type SettingsMap, settingsDocuments } from '../mappings/settings-map.js';
import { changedKeysTable, verifiedTable } from '../progress/changed-keys.js';
import { deferredIndexTableName } from '../progress/deferred-index-store.js';
import { sourceOrphanProblems } from './check/orphans.js';
import { isChangeLogTable } from './delta/change-log-shape.js';

export interface MappingFiles {
  rules: MapRules;
  settings?: SettingsMap;
  deltaLog?: DeltaLog;
  /** The `<profile>` config.xml chose, if any (src/engine/profiles.ts). */
  profile?: Profile;
  /** Merges, computed documents and the profile's steps (src/engine/map-steps.ts); none when absent. */
  steps?: RunSteps;
}

export interface Connections {
  source: Database;
  destination: Database;
}

/** Reads and validates every mapping file config.xml names. Fails before anything connects. */
export async function loadMappingFiles(config: Config): Promise<MappingFiles> {
  const { options } = config;
  const profile = options.profile ? await resolveProfile(options.profile, dirname(config.file)) : undefined;
  const handlers = new Map((profile?.handlers ?? []).map((h) => [h.name, h]));
  const rules = await loadMapRules(options.mapFiles ?? options.mapFile, handlers);
  return {
    rules,
    ...(profile && { profile }),
    steps: stepsOf(rules, profile),
    ...(options.settingsMapFile ? { settings: await loadSettingsMap(options.settingsMapFile) } : {}),
    ...(options.deltalogFile ? { deltaLog: await loadDeltaLog(options.deltalogFile) } : {}),
  };
}

/**
 * Opens both sides. The source pool is read-only at the session level (invariant 1); each side
 * gets the connection budget `concurrency` allows plus one for bookkeeping. Destination sessions
 * never check foreign keys: rows arrive in table order, and delta must not cascade a delete
 * into rows the source still has. Unique checks stay on in every session, the bulk copy's too:
 * with them (and foreign-key checks) off, MariaDB 10.6+ writes a transaction's inserts into an
 * empty table as one bulk operation, and a row that collides on a destination key (a key the
 * source lacks, or values equal only under the destination's collation) then lost the whole
 * chunk silently (INSERT ... SELECT) or failed it at every commit (INSERT, LOAD DATA). With
 * them on the collision is an ER_DUP_ENTRY the row writer isolates into the rejected-rows
 * file; BENCHMARKS.md (2026-11-30) measured no speed given up.
 */
export async function openConnections(config: Config): Promise<Connections> {
  const poolSize = config.options.concurrency + 1;
  const limits = statementLimits(config);
  const source = await Database.open(config.source, {
    side: 'source',
    poolSize,
    session: { readOnly: true },
    limits,
  });
  try {
    const destination = await Database.open(config.destination, {
      side: 'destination',
      poolSize,
      session: { foreignKeyChecks: false, readCommitted: true },
      limits,
    });
    return { source, destination };
  } catch (error) {
    await source.close();
    throw error;
  }
}

/**
 * A writable source connection for delta tracking alone: it creates and removes the change-log
 * tables and triggers and deletes applied change-log rows, the only writes the tool makes on the
 * source (invariant 1). Everything else reads through the read-only pool.
 */
export async function openTracker(config: Config): Promise<Database> {
  return Database.open(config.source, { side: 'source', poolSize: 2, limits: statementLimits(config) });
}

/** query_timeout, bulk_read_timeout and stall_timeout, in the milliseconds the connections take. */
export function statementLimits(config: Config): StatementLimits {
  const { queryTimeout, bulkReadTimeout, stallTimeout } = config.options;
  return { statementMs: queryTimeout * 1000, bulkMs: bulkReadTimeout * 1000, stallMs: stallTimeout * 1000 };
}

export async function closeConnections(connections: Connections): Promise<void> {
  await Promise.allSettled([connections.source.close(), connections.destination.close()]);
}

/** Resolves plans against the live schemas. The tool's own tables are never documents. */
export async function resolveAgainstDatabases(
  config: Config,
  files: MappingFiles,
  connections: Connections,
): Promise<Resolution> {
  const [source, destination] = await Promise.all([
    readSchema(connections.source, connections.source.schema),
    readSchema(connections.destination, connections.destination.schema),
  ]);
  const deltaPrefix = files.deltaLog?.prefix;
  const progressTable = config.options.progressTable;
  const lockTable = holderTable(config);
  const idMapTable = idMapTableName(progressTable);
  const ownTables = new Map([
    [changedKeysTable(progressTable), 'keys delta applied, for the cut-over'],
    [verifiedTable(progressTable), 'documents a full deep check verified'],
    [deferredIndexTableName(progressTable), 'indexes deferred by the copy'],
  ]);
  return resolvePlans({
    rules: files.steps ? rulesWithClaims(files.rules, files.steps) : files.rules,
    source,
    destination,
    sourcePrefix: config.options.sourcePrefix,
    destPrefix: config.options.destPrefix,
    settingsDocuments: settingsDocuments(files.settings),
    toolTables: {
      // The prefix alone hides nothing: only the change logs delta tracking created (their
      // comment and shape) are the tool's; a shop's own `<prefix>...` table is a document.
      source: (table) =>
        deltaPrefix !== undefined && table.name.startsWith(deltaPrefix) && isChangeLogTable(table)
          ? 'change log of delta tracking'
          : null,
      destination: (table) =>
        table.name === progressTable
          ? 'progress table'
          : table.name === lockTable
            ? 'run lock table'
            : table.name === idMapTable
              ? 'id map table'
              : (ownTables.get(table.name) ?? null),
    },
  });
}

/**
 * The integrity stage's look at the source's data (not only its schema): rows of the planned
 * documents that break the source's own foreign keys, as warnings or, with
 * <source_orphans>error</source_orphans>, errors; `off` skips the look (each key costs a scan of
 * its child table, on every run and dry run). Reads only; one set-based query per key.
 */
export async function sourceDataProblems(
  config: Config,
  connections: Connections,
  plans: readonly DocumentPlan[],
): Promise<Problem[]> {
  if (config.options.sourceOrphans === 'off') return [];
  // The source is the live shop: one constraint at a time, so the scan adds one query to its load, not `concurrency`.
  return sourceOrphanProblems(connections.source, plans, {
    concurrency: 1,
    severity: config.options.sourceOrphans,
  });
}

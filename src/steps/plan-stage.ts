/**
 * The first stage of every step: read the map files, connect to both sides, read both live
 * schemas and resolve the per-document plans, collecting every integrity problem. Nothing is
 * written anywhere by this stage.
 */
import type { Config } from '../config/types.js';
import { Database } from '../db/database.js';
import { readSchema } from '../db/schema.js';
import type { StatementLimits } from '../db/watched-client.js';
import { holderTable } from '../engine/run-lock.js';
import { type DeltaLog, loadDeltaLog } from '../mappings/deltalog.js';
import { loadMapRules, type MapRules } from '../mappings/map-rules.js';
import { type Resolution, resolvePlans } from '../mappings/resolve.js';
import { loadSettingsMap, type SettingsMap, settingsDocuments } from '../mappings/settings-map.js';
import { changedKeysTable, verifiedTable } from '../progress/changed-keys.js';
import { isChangeLogTable } from './delta/change-log-shape.js';

export interface MappingFiles {
  rules: MapRules;
  settings?: SettingsMap;
  deltaLog?: DeltaLog;
}

export interface Connections {
  source: Database;
  destination: Database;
}

/** Reads and validates every mapping file config.xml names. Fails before anything connects. */
export async function loadMappingFiles(config: Config): Promise<MappingFiles> {
  const { options } = config;
  return {
    rules: await loadMapRules(options.mapFile),
    ...(options.settingsMapFile ? { settings: await loadSettingsMap(options.settingsMapFile) } : {}),
    ...(options.deltalogFile ? { deltaLog: await loadDeltaLog(options.deltalogFile) } : {}),
  };
}

/**
 * Opens both sides. The source pool is read-only at the session level (invariant 1); each side
 * gets the connection budget `concurrency` allows plus one for bookkeeping. Destination sessions
 * never check foreign keys: rows arrive in table order, and delta must not cascade a delete
 * into rows the source still has. Unique checks are off only for `bulkCopy` sessions, whose rows
 * come from a source that already holds each key once; a merge (settings), a delta batch or a
 * retry of rejected rows relies on them to refuse a duplicate rather than let it in.
 */
export async function openConnections(
  config: Config,
  purpose: { bulkCopy?: boolean } = {},
): Promise<Connections> {
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
      session: { foreignKeyChecks: false, uniqueChecks: !purpose.bulkCopy, readCommitted: true },
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
  const cutoverTables = new Map([
    [changedKeysTable(progressTable), 'keys delta applied, for the cut-over'],
    [verifiedTable(progressTable), 'documents a full deep check verified'],
  ]);
  return resolvePlans({
    rules: files.rules,
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
            : (cutoverTables.get(table.name) ?? null),
    },
  });
}

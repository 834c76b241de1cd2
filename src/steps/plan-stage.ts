/**
 * The first stage of every step: read the map files, connect to both sides, read both live
 * schemas and resolve the per-document plans, collecting every integrity problem. Nothing is
 * written anywhere by this stage.
 */
import type { Config } from '../config/types.js';
import { Database } from '../db/database.js';
import { readSchema } from '../db/schema.js';
import { type DeltaLog, loadDeltaLog } from '../mappings/deltalog.js';
import { loadMapRules, type MapRules } from '../mappings/map-rules.js';
import { type Resolution, resolvePlans } from '../mappings/resolve.js';
import { loadSettingsMap, type SettingsMap, settingsDocuments } from '../mappings/settings-map.js';

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
  const source = await Database.open(config.source, {
    side: 'source',
    poolSize,
    session: { readOnly: true },
  });
  try {
    const destination = await Database.open(config.destination, {
      side: 'destination',
      poolSize,
      session: { foreignKeyChecks: false, readCommitted: true },
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
  return Database.open(config.source, { side: 'source', poolSize: 2 });
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
  return resolvePlans({
    rules: files.rules,
    source,
    destination,
    sourcePrefix: config.options.sourcePrefix,
    destPrefix: config.options.destPrefix,
    settingsDocuments: settingsDocuments(files.settings),
    toolTables: {
      source: deltaPrefix ? [`${deltaPrefix}*`] : [],
      destination: [config.options.progressTable],
    },
  });
}

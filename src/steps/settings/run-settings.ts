/**
 * The settings step: check, plan, apply, verify. A dry run plans from both databases and
 * writes nothing. A real run plans again inside ONE destination transaction, with the
 * settings rows locked, and applies exactly that plan: the store documents first, then the
 * settings values. Anything unexpected rolls the whole transaction back, so a crash or a
 * refusal leaves the destination as it was before the run, never half-merged.
 */

import { basename } from 'node:path';
import type { Config } from '../../config/types.js';
import type { Queryable } from '../../db/database.js';
import { readSchema } from '../../db/schema.js';
import { readScopeCodes } from '../../db/scope-codes.js';
import { maxAllowedPacket } from '../../db/server-identity.js';
import { type UpsertResult, upsertByKey } from '../../db/upsert-by-key.js';
import { ExitCode, MigrateError } from '../../errors.js';
import type { MappingFiles } from '../plan-stage.js';
import { type Connections, resolveAgainstDatabases } from '../plan-stage.js';
import { checkSettingsIntegrity, planProblems, type SettingsIntegrity } from './integrity.js';
import { planSettings, type ScopeMatches, type SettingsAction, type SettingsPlan } from './plan.js';
import { readSettingRows } from './read-settings.js';
import type { SettingsRules } from './rules.js';
import { type StoreVolumeRow, storeVolumeCheck } from './store-volume.js';
import { mergeStoreDocument, type StoreMergeOutcome } from './stores.js';

/** What the step did (or, in a dry run, would do). */
export interface SettingsOutcome {
  stores: StoreMergeOutcome[];
  plan: SettingsPlan;
}

/** Reads both schemas and the map.json plans, and checks what settings mode needs of them. */
export async function checkSettings(
  config: Config,
  files: MappingFiles,
  rules: SettingsRules,
  connections: Connections,
): Promise<SettingsIntegrity> {
  const [source, destination, resolution] = await Promise.all([
    readSchema(connections.source, connections.source.schema),
    readSchema(connections.destination, connections.destination.schema),
    resolveAgainstDatabases(config, files, connections),
  ]);
  return checkSettingsIntegrity({
    rules,
    source,
    destination,
    sourcePrefix: config.options.sourcePrefix,
    destPrefix: config.options.destPrefix,
    resolution,
    mapFileName: basename(config.options.mapFile),
  });
}

/** The plan, from both databases as they are now; writes nothing and locks nothing. */
export async function previewSettings(
  connections: Connections,
  rules: SettingsRules,
  integrity: SettingsIntegrity,
): Promise<SettingsOutcome> {
  const packet = await maxAllowedPacket(connections.destination);
  const stores: StoreMergeOutcome[] = [];
  for (const plan of integrity.storePlans) {
    stores.push(
      await mergeStoreDocument(
        connections.source,
        connections.destination,
        connections.destination.schema,
        plan,
        {
          dryRun: true,
          maxAllowedPacket: packet,
        },
      ),
    );
  }
  const plan = await planFrom(
    connections.source,
    connections.destination,
    connections,
    rules,
    integrity,
    false,
  );
  return { stores, plan };
}

/**
 * Plans again inside one destination transaction (settings rows locked) and applies that plan.
 * Throws, with everything rolled back, when a row is refused or the plan cannot run.
 */
export async function applySettings(
  connections: Connections,
  rules: SettingsRules,
  integrity: SettingsIntegrity,
): Promise<SettingsOutcome> {
  const packet = await maxAllowedPacket(connections.destination);
  // Unique checks are on in every destination session (plan-stage.ts).
  return connections.destination.transaction(async (tx) => {
    const stores: StoreMergeOutcome[] = [];
    for (const plan of integrity.storePlans) {
      const merged = await mergeStoreDocument(connections.source, tx, connections.destination.schema, plan, {
        dryRun: false,
        maxAllowedPacket: packet,
      });
      const refused = merged.refused[0];
      const rejected = merged.rejected[0];
      if (refused || rejected) {
        throw new MigrateError(
          refused
            ? `the destination refused a row of ${plan.destinationDocument} (${plan.columns.map((c) => c.destination).join(', ')} = ${refused.values.map(String).join(', ')}): ${refused.code}: ${refused.error}`
            : `${plan.document}: ${rejected?.reason}`,
          {
            code: 'SETTINGS_WRITE_REFUSED',
            context: { step: 'settings', document: plan.document },
            hint: 'nothing was written (the settings transaction was rolled back); fix the cause and run migrate settings again',
          },
        );
      }
      stores.push(merged);
    }
    const plan = await planFrom(connections.source, tx, connections, rules, integrity, true);
    const blockers = planProblems(plan, rules, integrity.destinationTable);
    if (blockers.length > 0) {
      throw new MigrateError(
        `the settings changed since the check: ${blockers.map((b) => b.message).join('; ')}`,
        {
          code: 'SETTINGS_INTEGRITY',
          exitCode: ExitCode.integrity,
          context: { step: 'settings' },
          hint: `nothing was written; ${blockers[0]?.fix ?? 'run migrate settings --dry-run to see the plan'}`,
        },
      );
    }
    await executePlan(tx, plan, rules, integrity, packet);
    return { stores, plan };
  });
}

/** After a real run: every source store row is in the destination, and planning again finds nothing to write. */
export async function verifySettings(
  connections: Connections,
  rules: SettingsRules,
  integrity: SettingsIntegrity,
): Promise<{ stores: StoreVolumeRow[]; leftover: SettingsAction[]; unmatched: SettingsAction[] }> {
  const stores = await storeVolumeCheck(connections, integrity.storePlans);
  const plan = await planFrom(
    connections.source,
    connections.destination,
    connections,
    rules,
    integrity,
    false,
  );
  // A re-encrypting handler may use a fresh IV each time: its ciphertexts never compare equal.
  const leftover = plan.actions.filter((a) => (a.kind === 'insert' || a.kind === 'update') && !a.reencrypted);
  // Settings of scopes the destination lacks yet: `migrate check` says so (run settings again once they exist).
  const unmatched = plan.actions.filter((a) => a.kind === 'scope-unmatched');
  return { stores, leftover, unmatched };
}

async function planFrom(
  source: Pick<Queryable, 'queryArrays'>,
  destination: Pick<Queryable, 'queryArrays'>,
  connections: Connections,
  rules: SettingsRules,
  integrity: SettingsIntegrity,
  lock: boolean,
): Promise<SettingsPlan> {
  const sourceRows = await readSettingRows(
    source,
    connections.source.schema,
    integrity.sourceTable,
    rules.columns,
  );
  const destinationRows = await readSettingRows(
    destination,
    connections.destination.schema,
    integrity.destinationTable,
    rules.columns,
    lock,
  );
  const scopeMatches = await matchScopes(source, destination, connections, integrity);
  return planSettings({
    rules,
    scopeMatches,
    source: sourceRows,
    destination: destinationRows,
    types: integrity.types,
  });
}

/** settings.json `scopeCodes`: each source scope id to the destination id of the same code. */
async function matchScopes(
  source: Pick<Queryable, 'queryArrays'>,
  destination: Pick<Queryable, 'queryArrays'>,
  connections: Connections,
  integrity: SettingsIntegrity,
): Promise<ScopeMatches> {
  const matches = new Map<string, Map<string, { id: string } | { missing: string }>>();
  for (const { scope, sourceTable, destinationTable, ...tables } of integrity.scopeTables) {
    const [from, to] = await Promise.all([
      readScopeCodes(source, connections.source.schema, sourceTable, tables.id, tables.code),
      readScopeCodes(destination, connections.destination.schema, destinationTable, tables.id, tables.code),
    ]);
    const byCode = new Map(to.map((row) => [row.code, row.id]));
    const ids = new Map<string, { id: string } | { missing: string }>();
    for (const row of from) {
      const id = byCode.get(row.code);
      ids.set(
        row.id,
        id !== undefined
          ? { id }
          : {
              missing: `${destinationTable} has no row with ${tables.code} "${row.code}" (${sourceTable} ${tables.id} ${row.id}) yet; create it (Magento: \`migrate data\` merges the stores), then run migrate settings again`,
            },
      );
    }
    matches.set(scope, ids);
  }
  return matches;
}

/** Writes the plan's inserts and updates, and proves the database agreed with the plan row by row. */
async function executePlan(
  tx: Queryable,
  plan: SettingsPlan,
  rules: SettingsRules,
  integrity: SettingsIntegrity,
  packet: number,
): Promise<void> {
  const { columns } = rules;
  const writes = plan.actions.filter((a) => a.kind === 'insert' || a.kind === 'update');
  if (writes.length === 0) return;
  const result: UpsertResult = await upsertByKey(
    tx,
    writes.map((a) => [a.scope, a.scopeId, a.path, a.after ?? null]),
    {
      table: integrity.destinationTable,
      columns: [columns.scope, columns.scopeId, columns.path, columns.value],
      key: [columns.scope, columns.scopeId, columns.path],
      types: integrity.types,
      maxAllowedPacket: packet,
    },
  );
  const refused = result.rejected[0];
  if (refused) {
    const [scope, scopeId, path] = refused.values;
    throw new MigrateError(
      `the destination refused ${scope}:${scopeId} ${path}: ${refused.code}: ${refused.error}`,
      {
        code: 'SETTINGS_WRITE_REFUSED',
        context: { step: 'settings', document: rules.table },
        hint: `nothing was written (the settings transaction was rolled back); add "${path}" to "ignore" or a transform that makes it fit in ${rules.fileName}, then run again`,
      },
    );
  }
  writes.forEach((action, i) => {
    const done = result.rows[i]?.action;
    if (done !== action.kind) {
      throw new MigrateError(
        `${action.scope}:${action.scopeId} ${action.path}: planned ${action.kind}, but the destination row called for ${done}`,
        {
          code: 'SETTINGS_PLAN_DRIFT',
          context: { step: 'settings', document: rules.table },
          hint: 'nothing was written; this is a bug or a collation that matches paths the plan tells apart: report it with the path',
        },
      );
    }
  });
}

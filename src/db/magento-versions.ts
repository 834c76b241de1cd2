/**
 * What a Magento database says about its own version: 1.9's module versions in
 * `core_resource`, and the release 2.4's admin recorded in `admin_analytics_usage_version_log`.
 * Read-only; the profile's version check (src/profiles/magento-1.9-to-2.4/version) decides.
 */
import type { Queryable } from './database.js';
import { qualifiedName } from './identifiers.js';

/** Module code -> schema version, from a Magento 1 `core_resource` table. */
export async function readModuleVersions(
  db: Queryable,
  schema: string,
  table: string,
): Promise<Map<string, string>> {
  const rows = await db.query<{ code: string; version: string | null }>(
    `SELECT code, version FROM ${qualifiedName(schema, table)}`,
  );
  return new Map(rows.map((r) => [r.code, r.version ?? '']));
}

/** The latest release Magento 2's admin analytics logged (set by the installer's first admin visit), if any. */
export async function readLoggedRelease(
  db: Queryable,
  schema: string,
  table: string,
): Promise<string | undefined> {
  const [row] = await db.query<{ version: string | null }>(
    `SELECT last_viewed_in_version AS version FROM ${qualifiedName(schema, table)} ORDER BY id DESC LIMIT 1`,
  );
  return row?.version ?? undefined;
}

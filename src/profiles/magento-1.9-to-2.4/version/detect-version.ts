/**
 * Which Magento each side is, from what the databases hold (never from config): the profile
 * supports a Magento 1.9.0.0-1.9.4.x source and a Magento 2.4.x destination, and refuses
 * anything else before a row is written (a 1.8 catalog or a 2.3 schema would migrate "green"
 * into a broken store).
 *
 * - 1.9: `core_resource` lists every module's schema version; Mage_Catalog's `catalog_setup`
 *   is 1.6.0.0.19.x from 1.9.0.0 through 1.9.4.x (1.8 has 1.6.0.0.18.x, 1.7 1.6.0.0.14.x).
 * - 2.4: declarative schema leaves `setup_module` nearly empty, so it tells nothing. The release
 *   the admin last logged (`admin_analytics_usage_version_log`) is exact when present; otherwise
 *   `patch_list` (2.3+) together with a table 2.4.0 introduced (`login_as_customer`,
 *   `jwt_auth_revoked`) says 2.4.x.
 */

export interface SourceFacts {
  /** `core_resource`'s rows (module code -> version), or undefined when the table is absent. */
  modules: ReadonlyMap<string, string> | undefined;
}

export interface DestinationFacts {
  /** Tables present, without dest_prefix. */
  tables: ReadonlySet<string>;
  /** The release admin analytics logged, if any. */
  loggedRelease: string | undefined;
}

export type Detected = { ok: true; version: string } | { ok: false; reason: string };

export const SOURCE_SUPPORTED = 'Magento 1.9.0.0-1.9.4.x';
export const DESTINATION_SUPPORTED = 'Magento 2.4.x';

export function detectSourceVersion(facts: SourceFacts): Detected {
  if (!facts.modules) {
    return {
      ok: false,
      reason:
        'the source has no core_resource table: it is not a Magento 1 database (or <source_prefix> is not its table prefix)',
    };
  }
  const catalog = facts.modules.get('catalog_setup');
  const core = facts.modules.get('core_setup');
  if (catalog === undefined || core === undefined) {
    return {
      ok: false,
      reason: 'core_resource has no catalog_setup or core_setup row: not a Magento 1 install',
    };
  }
  const minor = /^1\.6\.0\.0\.(\d+)\./.exec(catalog)?.[1];
  if (minor !== '19') {
    return {
      ok: false,
      reason: `core_resource says catalog_setup ${catalog}, core_setup ${core}: not Magento 1.9 (1.9.0.0-1.9.4.x have catalog_setup 1.6.0.0.19.x)`,
    };
  }
  return { ok: true, version: `Magento 1.9 (catalog_setup ${catalog}, core_setup ${core})` };
}

/** Tables Magento 2.4.0 introduced; one of them must be present without a logged release. */
const TABLES_SINCE_2_4 = ['login_as_customer', 'jwt_auth_revoked'];

export function detectDestinationVersion(facts: DestinationFacts): Detected {
  if (facts.tables.has('core_resource')) {
    return {
      ok: false,
      reason:
        'the destination has core_resource: it is a Magento 1 database (are source and destination swapped?)',
    };
  }
  if (!facts.tables.has('patch_list') || !facts.tables.has('store_website')) {
    return {
      ok: false,
      reason:
        'the destination has no patch_list or store_website table: it is not a Magento 2.3+ install (install Magento 2.4 first)',
    };
  }
  if (facts.loggedRelease !== undefined && facts.loggedRelease !== '') {
    return /^2\.4\.\d+/.test(facts.loggedRelease)
      ? { ok: true, version: `Magento ${facts.loggedRelease}` }
      : {
          ok: false,
          reason: `the destination is Magento ${facts.loggedRelease} (admin_analytics_usage_version_log)`,
        };
  }
  const marker = TABLES_SINCE_2_4.find((t) => facts.tables.has(t));
  return marker
    ? { ok: true, version: `Magento 2.4.x (has ${marker})` }
    : {
        ok: false,
        reason: `the destination has none of ${TABLES_SINCE_2_4.join(', ')}, which every 2.4 install has: it is Magento 2.3 or older`,
      };
}

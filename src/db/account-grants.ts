/**
 * What preflight reads about a server and the account it connected as (src/steps/preflight.ts
 * decides from it what is missing): the server's variables, its instance identity, the active
 * role, and the GRANT lines of the account and its roles, as the server prints them.
 */
import type { Queryable } from './database.js';
import { quoteIdentifier } from './identifiers.js';

export interface ServerVariables {
  version: string;
  version_comment: string | null;
  hostname: string | null;
  port: unknown;
  datadir: string | null;
  local_infile: unknown;
  max_allowed_packet: unknown;
  lower_case_table_names: unknown;
  log_bin: unknown;
  trust: unknown;
  /** CURRENT_USER(): the account the server matched, `user@host`. */
  account: string;
}

/** The variables preflight reports and decides by; undefined when the server returns no row. */
export async function serverVariables(db: Pick<Queryable, 'query'>): Promise<ServerVariables | undefined> {
  const [vars] = await db.query<ServerVariables>(
    `SELECT @@version AS version, @@version_comment AS version_comment, @@hostname AS hostname,
            @@port AS port, @@datadir AS datadir, @@local_infile AS local_infile,
            @@max_allowed_packet AS max_allowed_packet, @@lower_case_table_names AS lower_case_table_names,
            @@log_bin AS log_bin, @@log_bin_trust_function_creators AS trust, CURRENT_USER() AS account`,
  );
  return vars;
}

/** MySQL's unique instance id (MariaDB has none: undefined). */
export function serverUuid(db: Pick<Queryable, 'query'>): Promise<string | undefined> {
  return optionalValue(db, 'SELECT @@server_uuid AS v');
}

/** MySQL's partial_revokes (undefined where the server lacks it). */
export function partialRevokes(db: Pick<Queryable, 'query'>): Promise<string | undefined> {
  return optionalValue(db, 'SELECT @@partial_revokes AS v');
}

/** The session's active role(s) as the server prints them; undefined when none or unsupported. */
export function currentRole(db: Pick<Queryable, 'query'>): Promise<string | undefined> {
  return optionalValue(db, 'SELECT CURRENT_ROLE() AS v');
}

/** SHOW GRANTS of the session's account. */
export function grantsOfCurrentUser(db: Pick<Queryable, 'query'>): Promise<string[]> {
  return showGrants(db, 'SHOW GRANTS');
}

/** MySQL: the account's grants with the privileges of `roles` (already quoted accounts) merged in. */
export function grantsUsingRoles(db: Pick<Queryable, 'query'>, roles: readonly string[]): Promise<string[]> {
  return showGrants(db, `SHOW GRANTS FOR CURRENT_USER() USING ${roles.join(', ')}`);
}

/** MariaDB: the grants of one role. */
export function grantsOfRole(db: Pick<Queryable, 'query'>, role: string): Promise<string[]> {
  return showGrants(db, `SHOW GRANTS FOR ${quoteIdentifier(role)}`);
}

async function showGrants(db: Pick<Queryable, 'query'>, sql: string): Promise<string[]> {
  const rows = await db.query<Record<string, unknown>>(sql);
  return rows.map((row) => String(Object.values(row)[0] ?? ''));
}

/** A one-value query that some servers do not support (unknown variable or function): undefined then. */
async function optionalValue(db: Pick<Queryable, 'query'>, sql: string): Promise<string | undefined> {
  try {
    const [row] = await db.query<{ v: unknown }>(sql);
    return row?.v === null || row?.v === undefined ? undefined : String(row.v);
  } catch {
    return undefined;
  }
}

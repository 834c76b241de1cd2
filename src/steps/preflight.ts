/**
 * The preflight check, like the Azure migration tool's Validate: before a run writes
 * anything, prove that both database users hold every privilege the tool will use, and
 * print the exact GRANT that fixes each one that is missing. A run that would otherwise stop
 * an hour in on "INSERT command denied" stops here, with nothing written. It also reports the
 * server facts that shape a run: versions, LOAD DATA LOCAL, max_allowed_packet, and whether
 * both sides are one server.
 *
 * How privileges are read: by parsing `SHOW GRANTS` (without FOR), not from
 * information_schema.USER_PRIVILEGES / SCHEMA_PRIVILEGES. SHOW GRANTS is the server's own
 * account of this session: on MariaDB it includes the active role, the roles granted to that
 * role, and PUBLIC; the information_schema tables hold only the user's own rows (no roles)
 * and, for a user who may read mysql.*, everybody's rows. MariaDB also lists the
 * database-level grants in the order its privilege check tries them, which matters because
 * the server applies only the first database-level grant that matches (see `databaseRows`).
 *
 * Known limits: privileges that reach the session through another account with the same user
 * name (e.g. 'm1'@'localhost' rows when CURRENT_USER() is 'm1'@'%') or through an anonymous
 * account are not seen; on MySQL 8 with active roles the role grants are read merged with the
 * user's (SHOW GRANTS ... USING) and every matching database-level grant is counted; on MySQL
 * the database-level order is recomputed with the server's classic sort, as SHOW GRANTS there
 * lists databases by name.
 */
import {
  currentRole,
  grantsOfCurrentUser,
  grantsOfRole,
  grantsUsingRoles,
  partialRevokes,
  serverUuid,
  serverVariables,
} from '../db/account-grants.js';
import type { Database, Side } from '../db/database.js';
import { quoteIdentifier } from '../db/identifiers.js';
import { ExitCode, MigrateError } from '../errors.js';
import { directCopyBlocker } from './data/copy-method.js';

export interface PreflightNeeds {
  /**
   * Delta tracking is configured: the source then also needs TRIGGER and CREATE (the change
   * logs and their triggers), DROP (cleanup removes them again) and INSERT/DELETE (the
   * triggers write change-log rows; delta deletes the rows it has applied).
   */
  deltaTracking: boolean;
  /** `<direct_document_copy>` as configured: the report then says whether direct copy can run, and why not. */
  directCopy?: boolean;
}

export interface ServerInfo {
  side: Side;
  /** Numeric version, e.g. "10.11.19" or "8.0.36". */
  version: string;
  flavor: 'mariadb' | 'mysql';
  /** describe() of the database: user@host:port/name, never a password. */
  display: string;
  localInfile: boolean;
  maxAllowedPacket: number;
}

export interface MissingPrivilege {
  side: Side;
  privilege: string;
  database: string;
  /** The exact statement that fixes it, e.g. GRANT SELECT ON `magento1`.* TO 'm1'@'%'; */
  grant: string;
  /** Why it counts as missing although something similar exists (table-level grants), or what the GRANT extends. */
  note?: string;
}

export interface PreflightReport {
  servers: [ServerInfo, ServerInfo];
  missing: MissingPrivilege[];
  /** Both sides are one server instance, so a direct INSERT ... SELECT across them is possible. */
  sameServer: boolean;
  warnings: string[];
  /** Whether documents can be copied by INSERT ... SELECT inside the server, and why not (asked for only). */
  directCopy?: string;
}

/** In the order they are reported. */
const REQUIRED_ON_SOURCE = ['SELECT'] as const;
const REQUIRED_FOR_DELTA = ['TRIGGER', 'CREATE', 'DROP', 'INSERT', 'DELETE'] as const;
/** CREATE for the progress table; DROP because `--reset` empties tables with TRUNCATE. */
const REQUIRED_ON_DESTINATION = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'CREATE', 'DROP'] as const;

const MIN_PACKET = 16 * 1024 * 1024;

export async function preflight(
  source: Database,
  destination: Database,
  needs: PreflightNeeds,
): Promise<PreflightReport> {
  const src = await inspect(source);
  const dst = await inspect(destination);
  const sourceNeeds = needs.deltaTracking
    ? [...REQUIRED_ON_SOURCE, ...REQUIRED_FOR_DELTA]
    : REQUIRED_ON_SOURCE;
  const missing = [
    ...missingPrivileges(src, sourceNeeds),
    ...missingPrivileges(dst, REQUIRED_ON_DESTINATION),
  ];
  const sameServer = src.identity === dst.identity;

  const warnings: string[] = [...src.notices, ...dst.notices];
  for (const facts of [src, dst]) {
    if (facts.inactiveRoles.length > 0 && missing.some((m) => m.side === facts.info.side)) {
      const roles = facts.inactiveRoles.map((r) => quoteIdentifier(r)).join(', ');
      warnings.push(
        `${facts.account} on the ${facts.info.side} has ${roles} granted but not active in its sessions; ` +
          `if that carries the missing privileges, SET DEFAULT ROLE ${quoteIdentifier(facts.inactiveRoles[0]!)} FOR ${facts.account}`,
      );
    }
  }
  // Optional: without it the copy keeps every destination index while it writes (deferred-indexes.ts).
  const noAlter = missingPrivileges(dst, ['ALTER'])[0];
  if (noAlter) {
    warnings.push(
      'the destination user may not ALTER tables, so the copy keeps every destination index while it writes ' +
        `instead of building the plain ones after it (slower on large tables); ${noAlter.grant} to allow it`,
    );
  }
  if (!dst.info.localInfile) {
    warnings.push(
      'LOAD DATA LOCAL is off on the destination; the copy uses multi-row INSERTs, which are slower. ' +
        'SET GLOBAL local_infile = 1 to allow it',
    );
  }
  for (const { info } of [src, dst]) {
    if (info.maxAllowedPacket < MIN_PACKET) {
      warnings.push(
        `max_allowed_packet is ${formatBytes(info.maxAllowedPacket)} on the ${info.side}; a row or multi-row INSERT ` +
          `larger than that fails. SET GLOBAL max_allowed_packet = 67108864 (64 MB) there to raise it`,
      );
    }
  }
  if (needs.deltaTracking) {
    if (!supportsSeveralTriggersPerEvent(src.info)) {
      warnings.push(
        `the source is ${flavorName(src.info.flavor)} ${src.info.version}, which allows one trigger per table and ` +
          'event; delta tracking adds its triggers beside the store’s own and needs MariaDB 10.2.3+ / MySQL 5.7.2+',
      );
    }
    // With a binary log the server refuses CREATE TRIGGER to users without SUPER unless trusted.
    if (src.logBin && !src.trustCreators && !src.hasGlobal('SUPER')) {
      warnings.push(
        'the source writes a binary log and log_bin_trust_function_creators is OFF, so CREATE TRIGGER needs the ' +
          `SUPER privilege there; SET GLOBAL log_bin_trust_function_creators = 1 on the source, or GRANT SUPER ON *.* TO ${src.account};`,
      );
    }
  }
  if (sameServer && src.database === dst.database) {
    warnings.push(
      `source and destination are the same database (${src.database}); the migration would read and write one schema`,
    );
  }
  const directCopy =
    needs.directCopy === undefined ? undefined : directCopyLine(needs.directCopy, src, dst, sameServer);
  return {
    servers: [src.info, dst.info],
    missing,
    sameServer,
    warnings,
    ...(directCopy ? { directCopy } : {}),
  };
}

/**
 * Direct copy (INSERT ... SELECT inside the server) runs on the destination's connections, so
 * it needs one server and a destination user that may read the source. Say which condition
 * keeps it off, and what turns it on, so the plan and the run are no surprise.
 */
function directCopyLine(configured: boolean, src: SideFacts, dst: SideFacts, sameServer: boolean): string {
  const streamed = 'documents are streamed through the tool (LOAD DATA or multi-row INSERT)';
  const unreadable = missingPrivileges({ ...dst, database: src.database }, ['SELECT']);
  // The same rule the plan and the run apply per document (copy-method.ts), here for the whole source database.
  const blocker = directCopyBlocker({
    directConfigured: configured,
    sameServer,
    sourceReadable: unreadable.length === 0,
  });
  switch (blocker) {
    case 'different-servers':
      return `direct copy: off: the source and destination are different servers; ${streamed}`;
    case 'not-configured':
      return (
        `direct copy: off (<direct_document_copy> is 0); ${streamed}. Both databases share a server: set ` +
        `<direct_document_copy>1</direct_document_copy> in <options> to copy documents whose handlers have an SQL form by INSERT..SELECT inside it` +
        (unreadable[0] ? `, after: ${unreadable[0].grant}` : '')
      );
    case 'source-unreadable':
      return (
        `direct copy: off: <direct_document_copy> is 1, but the destination user ${dst.account} cannot read the source database ${src.database}; ` +
        `${streamed}. To turn it on: ${unreadable[0]?.grant ?? ''}`
      );
    case null:
      return 'direct copy: on: documents with a key whose handlers all have an SQL form are copied by INSERT..SELECT (insert-select) inside the server; the others are streamed (`migrate data --dry-run` names the method of each)';
  }
}

/** The console text of a report. No colour, no passwords (describe() never has one). */
export function formatPreflight(report: PreflightReport): string {
  const labels = report.servers.map((s) => `${flavorName(s.flavor)} ${s.version}`);
  const width = Math.max(...labels.map((l) => l.length));
  const lines = report.servers.map(
    (s, i) => `${s.side.padEnd(12)}${(labels[i] ?? '').padEnd(width)}  ${s.display}`,
  );
  if (report.missing.length === 0) lines.push('privileges: all present');
  for (const m of report.missing) {
    lines.push(
      `missing: ${m.privilege} on the ${m.side} database ${m.database}${m.note ? ` (${m.note})` : ''}`,
    );
    lines.push(`  ${m.grant}`);
  }
  if (report.directCopy) lines.push(report.directCopy);
  for (const w of report.warnings) lines.push(`warning: ${w}`);
  return lines.join('\n');
}

/** The error that stops a run when privileges are missing; undefined when none are. */
export function preflightError(report: PreflightReport): MigrateError | undefined {
  if (report.missing.length === 0) return undefined;
  const groups = new Map<string, string[]>();
  for (const m of report.missing) {
    const key = `${m.side} database ${m.database}`;
    groups.set(key, [...(groups.get(key) ?? []), m.privilege]);
  }
  const list = [...groups]
    .map(([where, privileges]) => `${privileges.join(', ')} on the ${where}`)
    .join('; ');
  const count = report.missing.length;
  return new MigrateError(`the database users lack ${count} privilege${count === 1 ? '' : 's'}: ${list}`, {
    code: 'PRIVILEGES_MISSING',
    exitCode: ExitCode.usage,
    hint: `have an administrator run, then start again:\n${report.missing.map((m) => `    ${m.grant}`).join('\n')}`,
    context: { step: 'preflight' },
  });
}

/** Several triggers per table and event: MariaDB 10.2.3, MySQL 5.7.2. Delta tracking needs them (invariant 8). */
export function supportsSeveralTriggersPerEvent(server: Pick<ServerInfo, 'flavor' | 'version'>): boolean {
  const minimum = server.flavor === 'mariadb' ? [10, 2, 3] : [5, 7, 2];
  const parts = server.version.split('.').map((p) => Number.parseInt(p, 10) || 0);
  for (let i = 0; i < minimum.length; i++) {
    const a = parts[i] ?? 0;
    const b = minimum[i] ?? 0;
    if (a !== b) return a > b;
  }
  return true;
}

// ---------------------------------------------------------------------------------------
// Reading one side

interface SideFacts {
  info: ServerInfo;
  database: string;
  /** Equal on both sides exactly when they are one server instance. */
  identity: string;
  /** CURRENT_USER() as a quoted account: 'm1'@'%'. */
  account: string;
  userKey: string;
  flavor: 'mariadb' | 'mysql';
  caseInsensitive: boolean;
  /** MySQL with partial_revokes: % and _ in grants are plain characters. */
  literalPatterns: boolean;
  /** MySQL roles merged into the user's lines: count every matching database-level grant. */
  unionDatabaseRows: boolean;
  logBin: boolean;
  trustCreators: boolean;
  grants: GrantRow[];
  /** Grantees whose grants this session has: the user, its active roles, PUBLIC. */
  active: Set<string>;
  inactiveRoles: string[];
  notices: string[];
  hasGlobal(privilege: string): boolean;
}

async function inspect(db: Database): Promise<SideFacts> {
  const vars = await serverVariables(db);
  if (!vars)
    throw new MigrateError(`the ${db.side} server returned no variables`, { code: 'PREFLIGHT_FAILED' });
  const flavor = /mariadb/i.test(`${vars.version} ${vars.version_comment ?? ''}`) ? 'mariadb' : 'mysql';
  // Old MariaDB may report the 5.5.5- replication prefix.
  const version = /(\d+\.\d+\.\d+)/.exec(vars.version.replace(/^5\.5\.5-/, ''))?.[1] ?? vars.version;
  const at = vars.account.lastIndexOf('@');
  const user = at < 0 ? vars.account : vars.account.slice(0, at);
  const host = at < 0 ? '%' : vars.account.slice(at + 1);
  const userKey = accountKey(user, host);
  const account = quoteAccount(user, host);

  let identity = `${flavor}:${vars.hostname}:${vars.port}:${vars.datadir}`;
  let literalPatterns = false;
  if (flavor === 'mysql') {
    // server_uuid is unique per instance; MariaDB has no such variable.
    const uuid = await serverUuid(db);
    if (uuid) identity = `mysql:${uuid}`;
    literalPatterns = isOn(await partialRevokes(db));
  }

  const notices: string[] = [];
  const lines = await grantsOfCurrentUser(db);
  const role = await currentRole(db);
  let unionDatabaseRows = false;
  const activeRoots = [userKey, 'PUBLIC'];
  if (flavor === 'mysql' && role && role !== 'NONE') {
    // MySQL lists only "GRANT role TO user"; USING merges the active roles' privileges in.
    const roles = splitAccounts(role);
    if (roles.length > 0) {
      lines.push(...(await grantsUsingRoles(db, roles)));
      unionDatabaseRows = true;
    }
  } else if (flavor === 'mariadb' && role) {
    activeRoots.push(role);
    // MariaDB 10.11 includes the current role's grants in SHOW GRANTS; older servers may not.
    if (!lines.some((l) => parseGrantLine(l)?.grantee === role)) {
      try {
        lines.push(...(await grantsOfRole(db, role)));
      } catch (error) {
        notices.push(
          `could not read the grants of role ${role} on the ${db.side}: ${(error as Error).message}`,
        );
      }
    }
  }

  const parsed = lines.map(parseGrantLine).filter((g) => g !== undefined);
  const grants = parsed.filter((g): g is GrantRow => g.kind !== 'role');
  const roleGrants = parsed.filter((g): g is RoleGrant => g.kind === 'role');
  const active = new Set(activeRoots);
  // Roles granted to an active role are active too.
  let grew = true;
  while (grew) {
    grew = false;
    for (const rg of roleGrants) {
      if (!active.has(rg.grantee) || rg.grantee === userKey) continue;
      for (const r of rg.roles) {
        if (active.has(r)) continue;
        active.add(r);
        grew = true;
      }
    }
  }
  const inactiveRoles =
    flavor === 'mariadb'
      ? roleGrants
          .filter((rg) => rg.grantee === userKey)
          .flatMap((rg) => rg.roles.filter((r) => !active.has(r)))
      : [];

  const globalRows = grants.filter((g) => active.has(g.grantee) && g.level.kind === 'global' && !g.revoke);
  const hasGlobal = (p: string) => globalRows.some((g) => g.privileges.has('ALL') || g.privileges.has(p));

  return {
    info: {
      side: db.side,
      version,
      flavor,
      display: db.describe(),
      localInfile: isOn(vars.local_infile),
      maxAllowedPacket: Number(vars.max_allowed_packet),
    },
    database: db.schema,
    identity,
    account,
    userKey,
    flavor,
    caseInsensitive: String(vars.lower_case_table_names) !== '0',
    literalPatterns,
    unionDatabaseRows,
    logBin: isOn(vars.log_bin),
    trustCreators: isOn(vars.trust),
    grants,
    active,
    inactiveRoles,
    notices,
    hasGlobal,
  };
}

// ---------------------------------------------------------------------------------------
// Deciding what is missing

function missingPrivileges(facts: SideFacts, required: readonly string[]): MissingPrivilege[] {
  const db = facts.database;
  const mine = facts.grants.filter((g) => facts.active.has(g.grantee));
  const fromGlobal = new Set<string>();
  const fromDatabase = new Set<string>();
  let userPattern: string | undefined;

  for (const g of mine) {
    if (g.level.kind === 'global' && !g.revoke) for (const p of g.privileges.keys()) fromGlobal.add(p);
  }
  // A partial revoke (MySQL) takes global privileges away on one database, named literally.
  const partial = mine.filter(
    (g) => g.revoke && g.level.kind === 'database' && sameName(g.level.pattern, db, facts.caseInsensitive),
  );
  const restricted = new Set(partial.flatMap((g) => [...g.privileges.keys()]));

  for (const grantee of new Set(mine.map((g) => g.grantee))) {
    for (const row of databaseRows(facts, grantee)) {
      for (const p of row.privileges.keys()) fromDatabase.add(p);
      if (grantee === facts.userKey && row.level.kind === 'database') userPattern ??= row.level.pattern;
    }
  }

  const has = (p: string) =>
    ((fromGlobal.has('ALL') || fromGlobal.has(p)) && !restricted.has('ALL') && !restricted.has(p)) ||
    fromDatabase.has('ALL') ||
    fromDatabase.has(p);

  // A new grant on the escaped name would outrank (and hide) the user's wildcard grant, so extend that one.
  const target = userPattern ?? escapePattern(db, facts.literalPatterns);
  const missing: MissingPrivilege[] = [];
  for (const p of required) {
    if (has(p)) continue;
    const notes: string[] = [];
    const tables = tableGrants(facts, mine, p);
    if (tables.length > 0) {
      notes.push(`granted only on ${tables.join(', ')}, not on the whole database`);
    }
    if (userPattern !== undefined && isWildcard(userPattern, db, facts)) {
      notes.push(
        `extends the wildcard grant on ${quoteIdentifier(userPattern)}, which is the one the server applies here`,
      );
    }
    missing.push({
      side: facts.info.side,
      privilege: p,
      database: db,
      grant: `GRANT ${p} ON ${quoteIdentifier(target)}.* TO ${facts.account};`,
      ...(notes.length > 0 ? { note: notes.join('; ') } : {}),
    });
  }
  return missing;
}

/**
 * The database-level grants of one grantee that apply to the side's database. The server
 * does not add them up: it uses the first one that matches, in its own order, most specific
 * pattern first (MariaDB's SHOW GRANTS lists them in exactly that order; MySQL lists them by
 * name, so its classic sort is recomputed here).
 */
function databaseRows(facts: SideFacts, grantee: string): GrantRow[] {
  let rows = facts.grants.filter(
    (g) =>
      g.grantee === grantee &&
      !g.revoke &&
      g.level.kind === 'database' &&
      patternMatches(g.level.pattern, facts.database, facts),
  );
  if (facts.unionDatabaseRows) return rows;
  if (facts.flavor === 'mysql') {
    rows = rows
      .map((row, index) => ({
        row,
        index,
        sort: classicSort(row.level.kind === 'database' ? row.level.pattern : ''),
      }))
      .sort((a, b) => b.sort - a.sort || a.index - b.index)
      .map((x) => x.row);
  }
  return rows.slice(0, 1);
}

/** MySQL's get_sort() for one pattern: a name without wildcards first, then by the first wildcard's position. */
function classicSort(pattern: string): number {
  let chars = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) i++;
    else if (c === '%' || c === '_') return Math.min(i + 1, 127);
    chars = 128;
  }
  return chars;
}

/** Table- or column-level grants of `privilege` in the side's database, as "table `t`" descriptions. */
function tableGrants(facts: SideFacts, rows: GrantRow[], privilege: string): string[] {
  const found: string[] = [];
  for (const g of rows) {
    if (
      g.revoke ||
      g.level.kind !== 'table' ||
      !sameName(g.level.database, facts.database, facts.caseInsensitive)
    ) {
      continue;
    }
    const scope = g.privileges.get(privilege) ?? g.privileges.get('ALL');
    if (!scope) continue;
    const table = `table ${quoteIdentifier(g.level.table)}`;
    found.push(scope === 'columns' ? `some columns of ${table}` : table);
  }
  return [...new Set(found)];
}

/** SQL LIKE-style matching as grants use it: `_` one character, `%` any run, `\` escapes. */
function patternMatches(
  pattern: string,
  name: string,
  facts: Pick<SideFacts, 'caseInsensitive' | 'literalPatterns'>,
): boolean {
  if (facts.literalPatterns) return sameName(pattern, name, facts.caseInsensitive);
  let source = '';
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === '\\' && i + 1 < chars.length) source += escapeRegExp(chars[++i]!);
    else if (c === '_') source += '.';
    else if (c === '%') source += '.*';
    else source += escapeRegExp(c);
  }
  return new RegExp(`^${source}$`, facts.caseInsensitive ? 'isu' : 'su').test(name);
}

/** A pattern that matches more than `name` (spelling the name itself with bare `_` does not count). */
function isWildcard(
  pattern: string,
  name: string,
  facts: Pick<SideFacts, 'caseInsensitive' | 'literalPatterns'>,
) {
  if (facts.literalPatterns || sameName(pattern, name, facts.caseInsensitive)) return false;
  return /(^|[^\\])(\\\\)*[_%]/.test(pattern);
}

function sameName(a: string, b: string, caseInsensitive: boolean): boolean {
  return caseInsensitive ? a.toLowerCase() === b.toLowerCase() : a === b;
}

/** The database name as a grant pattern that matches only itself. */
function escapePattern(name: string, literal: boolean): string {
  return literal ? name : name.replace(/[\\_%]/g, (c) => `\\${c}`);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

// ---------------------------------------------------------------------------------------
// Parsing SHOW GRANTS lines

type Level =
  | { kind: 'global' }
  | { kind: 'database'; pattern: string }
  | { kind: 'table'; database: string; table: string };

interface GrantRow {
  kind: 'grant';
  /** A MySQL partial revoke line. */
  revoke: boolean;
  /** Privilege name -> granted on the whole object or only on some of its columns. ALL stands for every privilege. */
  privileges: Map<string, 'whole' | 'columns'>;
  level: Level;
  grantee: string;
}

interface RoleGrant {
  kind: 'role';
  roles: string[];
  grantee: string;
}

type Token = { type: 'name' | 'word' | 'punct'; value: string };

function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '`' || c === "'" || c === '"') {
      let value = '';
      for (i++; i < line.length; i++) {
        const d = line[i]!;
        if (d === c && line[i + 1] === c) {
          value += c;
          i++;
        } else if (d === c) {
          i++;
          break;
        } else if (d === '\\' && c !== '`' && i + 1 < line.length) {
          value += line[++i];
        } else {
          value += d;
        }
      }
      tokens.push({ type: 'name', value });
    } else {
      const word = /^[A-Za-z0-9_$]+/.exec(line.slice(i))?.[0];
      tokens.push(word ? { type: 'word', value: word } : { type: 'punct', value: c });
      i += word ? word.length : 1;
    }
  }
  return tokens;
}

function parseGrantLine(line: string): GrantRow | RoleGrant | undefined {
  const tokens = tokenize(line);
  const head = tokens[0]?.type === 'word' ? tokens[0].value.toUpperCase() : '';
  if (head !== 'GRANT' && head !== 'REVOKE') return undefined;
  const revoke = head === 'REVOKE';
  let depth = 0;
  let on = -1;
  let to = -1;
  for (let i = 1; i < tokens.length && to < 0; i++) {
    const t = tokens[i]!;
    if (t.type === 'punct' && t.value === '(') depth++;
    else if (t.type === 'punct' && t.value === ')') depth--;
    else if (depth === 0 && t.type === 'word') {
      const w = t.value.toUpperCase();
      if (w === 'ON' && on < 0) on = i;
      else if (w === (revoke ? 'FROM' : 'TO')) to = i;
    }
  }
  if (to < 0) return undefined;
  const grantee = readAccount(tokens, to + 1)?.key;
  if (grantee === undefined) return undefined;

  if (on < 0) {
    // GRANT role [, role] TO grantee
    const roles: string[] = [];
    for (let i = 1; i < to; ) {
      const account = readAccount(tokens, i);
      if (!account) break;
      roles.push(account.key);
      i = account.next + 1; // skip the comma
    }
    return { kind: 'role', roles, grantee };
  }

  const privileges = new Map<string, 'whole' | 'columns'>();
  let words: string[] = [];
  let columns = false;
  depth = 0;
  for (let i = 1; i <= on; i++) {
    const t = tokens[i]!;
    const end = i === on || (depth === 0 && t.type === 'punct' && t.value === ',');
    if (end) {
      const name = words.join(' ').toUpperCase();
      if (name) privileges.set(name === 'ALL PRIVILEGES' ? 'ALL' : name, columns ? 'columns' : 'whole');
      words = [];
      columns = false;
    } else if (t.type === 'punct' && t.value === '(') {
      depth++;
      columns = true;
    } else if (t.type === 'punct' && t.value === ')') {
      depth--;
    } else if (depth === 0) {
      words.push(t.value);
    }
  }
  if (privileges.has('PROXY')) return undefined;

  let i = on + 1;
  const objectType = tokens[i]?.type === 'word' ? tokens[i]!.value.toUpperCase() : '';
  if (objectType === 'FUNCTION' || objectType === 'PROCEDURE' || objectType === 'PACKAGE') return undefined;
  if (objectType === 'TABLE') i++;
  const first = tokens[i];
  const dot = tokens[i + 1];
  const second = tokens[i + 2];
  if (!first || dot?.value !== '.' || !second) return undefined;
  let level: Level;
  if (first.value === '*' && first.type === 'punct') {
    level = { kind: 'global' };
  } else if (second.type === 'punct' && second.value === '*') {
    level = { kind: 'database', pattern: first.value };
  } else {
    level = { kind: 'table', database: first.value, table: second.value };
  }
  return { kind: 'grant', revoke, privileges, level, grantee };
}

/** `user`@`host`, 'user'@'host', `role` or PUBLIC at tokens[start]; returns its key and the index after it. */
function readAccount(tokens: Token[], start: number): { key: string; next: number } | undefined {
  const user = tokens[start];
  if (!user || (user.type !== 'name' && user.type !== 'word')) return undefined;
  if (tokens[start + 1]?.value === '@') {
    const host = tokens[start + 2];
    if (host && host.type !== 'punct') return { key: accountKey(user.value, host.value), next: start + 3 };
  }
  return { key: user.type === 'word' ? user.value.toUpperCase() : user.value, next: start + 1 };
}

function accountKey(user: string, host: string): string {
  return `${user}@${host.toLowerCase()}`;
}

/** MySQL's CURRENT_ROLE(): "`r1`@`%`,`r2`@`%`", re-quoted so it can go back into SQL. */
function splitAccounts(list: string): string[] {
  const tokens = tokenize(list);
  const accounts: string[] = [];
  for (let i = 0; i < tokens.length; ) {
    const user = tokens[i];
    if (!user || user.type === 'punct') break;
    if (tokens[i + 1]?.value === '@' && tokens[i + 2]) {
      accounts.push(`${quoteIdentifier(user.value)}@${quoteIdentifier(tokens[i + 2]!.value)}`);
      i += 4;
    } else {
      accounts.push(quoteIdentifier(user.value));
      i += 2;
    }
  }
  return accounts;
}

/** 'user'@'host' as a string literal pair, as GRANT takes it. */
function quoteAccount(user: string, host: string): string {
  const literal = (s: string) => `'${s.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
  return `${literal(user)}@${literal(host)}`;
}

function isOn(value: unknown): boolean {
  const s = String(value).toUpperCase();
  return s === '1' || s === 'ON' || s === 'TRUE';
}

function flavorName(flavor: ServerInfo['flavor']): string {
  return flavor === 'mariadb' ? 'MariaDB' : 'MySQL';
}

function formatBytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return mb >= 1 ? `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB` : `${Math.round(bytes / 1024)} KB`;
}

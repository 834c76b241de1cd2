/**
 * The Magento installs tests, the demo and the bench start from: the real 1.9.3.2 and 2.4.8
 * installer dumps in ../shared/magento (beside the repository) when they are there, otherwise
 * the schema fixture cut out of them (src/fixtures/magento, made by
 * scripts/extract-magento-fixture.ts), so the project's tests run on a clone without shared/.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { quoteIdentifier } from '../db/identifiers.js';
import { packageRoot } from '../util/package-root.js';
import { type DumpStatement, dumpStatements } from './sql-dump.js';

export type MagentoVersion = '1.9' | '2.4';

/** The dump file of each install in the shared folder, and the fixture file cut out of it. */
export const MAGENTO_INSTALL_FILES: Record<MagentoVersion, { dump: string; fixture: string }> = {
  '1.9': { dump: 'magento-1.9.3.2-install.sql.gz', fixture: 'magento-1.9.3.2-fixture.sql' },
  '2.4': { dump: 'magento-2.4.8-install.sql.gz', fixture: 'magento-2.4.8-fixture.sql' },
};

/** Where to get the installs, for the operator when they are missing. */
export const MAGENTO_INSTALLS_HELP =
  "put magento-1.9.3.2-install.sql.gz and magento-2.4.8-install.sql.gz (the real installers' dumps) " +
  'in ../shared/magento beside the repository, or point MAGENTO_INSTALLS_DIR at their folder';

/** The folder of the shared installs (MAGENTO_INSTALLS_DIR, else ../shared/magento), if both dumps are there. */
export function sharedInstallsDir(): string | undefined {
  const dir = process.env.MAGENTO_INSTALLS_DIR || join(packageRoot(), '..', 'shared', 'magento');
  const complete = Object.values(MAGENTO_INSTALL_FILES).every((f) => existsSync(join(dir, f.dump)));
  return complete ? dir : undefined;
}

/** The folder of our own schema fixture. */
export function fixtureDir(): string {
  return join(packageRoot(), 'src', 'fixtures', 'magento');
}

export type InstallOrigin = 'shared' | 'fixture';

export interface LoadedInstall {
  version: MagentoVersion;
  origin: InstallOrigin;
  file: string;
}

/** The SQL text of an install: the shared dump when present (or when asked for), else the fixture. */
export async function installSql(
  version: MagentoVersion,
  origin: InstallOrigin | 'auto' = 'auto',
): Promise<{ origin: InstallOrigin; file: string; sql: string }> {
  const shared = sharedInstallsDir();
  if (origin === 'shared' || (origin === 'auto' && shared)) {
    if (!shared) throw new Error(`the Magento installs are not there: ${MAGENTO_INSTALLS_HELP}`);
    const file = join(shared, MAGENTO_INSTALL_FILES[version].dump);
    return { origin: 'shared', file, sql: gunzipSync(await readFile(file)).toString('utf8') };
  }
  const file = join(fixtureDir(), MAGENTO_INSTALL_FILES[version].fixture);
  return { origin: 'fixture', file, sql: await readFile(file, 'utf8') };
}

/**
 * Loads a Magento install into `schema` (which must exist and be empty) through `conn`. The
 * 1.9 dump needs innodb_strict_mode off (its wide tables exceed the strict row size check),
 * as Magento's own installer ran. The connection's default database and session settings the
 * dump changes are restored afterwards.
 */
export async function loadMagentoInstall(
  conn: Connection,
  schema: string,
  version: MagentoVersion,
  origin: InstallOrigin | 'auto' = 'auto',
  /** A table prefix, as a shop installed with one has it (1.9's `db/table_prefix`). */
  prefix = '',
): Promise<LoadedInstall> {
  const { origin: used, file, sql } = await installSql(version, origin);
  const statements = prefix ? withTablePrefix(dumpStatements(sql), prefix) : dumpStatements(sql);
  const [rows] = await conn.query<RowDataPacket[]>(
    'SELECT DATABASE() AS db, @@SESSION.innodb_strict_mode AS strict, @@SESSION.sql_mode AS mode, @@SESSION.foreign_key_checks AS fk',
  );
  const before = rows[0] as { db: string | null; strict: number; mode: string; fk: number };
  await conn.query(`USE ${quoteIdentifier(schema)}`);
  try {
    await conn.query('SET SESSION innodb_strict_mode = 0');
    for (const statement of statements) await conn.query(statement.text);
  } finally {
    await conn.query(
      'SET SESSION innodb_strict_mode = ?, SESSION sql_mode = ?, SESSION foreign_key_checks = ?',
      [Number(before.strict), before.mode, Number(before.fk)],
    );
    if (before.db !== null) await conn.query(`USE ${quoteIdentifier(before.db)}`);
  }
  return { version, origin: used, file };
}

/**
 * The dump's statements with every table name prefixed: in the places a dump names tables
 * (CREATE/DROP/LOCK/ALTER TABLE, INSERT INTO, REFERENCES, a trigger's ON and INTO), never in
 * column names that happen to equal a table's.
 */
export function withTablePrefix(statements: DumpStatement[], prefix: string): DumpStatement[] {
  if (!/^[A-Za-z0-9_]+$/.test(prefix))
    throw new Error(`a table prefix of letters, digits and _ only, got "${prefix}"`);
  const names = new Set<string>();
  for (const s of statements) {
    const created = /^CREATE TABLE `([^`]+)`/.exec(s.text);
    if (created?.[1]) names.add(created[1]);
  }
  const place = /\b(TABLE(?:S| IF EXISTS)?|INTO|REFERENCES|ON|UPDATE)(\s+)(`?)([A-Za-z0-9_$]+)\3/g;
  return statements.map((s) => ({
    delimiter: s.delimiter,
    text: s.text.replace(place, (match, keyword: string, space: string, quote: string, name: string) =>
      names.has(name) ? `${keyword}${space}${quote}${prefix}${name}${quote}` : match,
    ),
  }));
}

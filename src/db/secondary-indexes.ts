/**
 * The destination's plain secondary indexes, read, dropped and built again: the bulk copy defers
 * them (src/steps/data/deferred-indexes.ts), because InnoDB builds an index by sorting the
 * finished table far more cheaply than it keeps one up to date row by row (BENCHMARKS.md,
 * issue 16: the LOAD DATA floor of the bench's table with its three plain indexes built after
 * took 15.2 s instead of 18.5 s, the ALTER included).
 *
 * Only what no row needs while it is written is deferred: a non-unique B-tree index that no
 * foreign key leans on. The primary key and unique indexes stay, so a duplicate is still refused
 * row by row and lands in the rejected-rows log; FULLTEXT and SPATIAL indexes stay (they are not
 * built by the same sort); an index whose first column leads a foreign key, on either side,
 * stays, because InnoDB refuses to drop the index a constraint uses.
 *
 * A definition is kept as SHOW CREATE TABLE prints the index, so prefix lengths, order, comments,
 * invisibility (MySQL 8) and every later syntax come back exactly as they were.
 */
import type { Queryable } from './database.js';
import { qualifiedName, quoteIdentifier } from './identifiers.js';

export interface IndexDefinition {
  name: string;
  /** The index's clause from SHOW CREATE TABLE, e.g. "KEY `ix_status` (`status`)". */
  clause: string;
}

/** The table's indexes the copy may drop and build again afterwards, in the table's own order. */
export async function deferrableIndexes(
  db: Queryable,
  schema: string,
  table: string,
): Promise<IndexDefinition[]> {
  const plain = await db.query<{ name: string; first: string }>(
    `SELECT INDEX_NAME AS name, COLUMN_NAME AS first FROM information_schema.STATISTICS
      WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND SEQ_IN_INDEX = 1 AND NON_UNIQUE = 1 AND INDEX_TYPE = 'BTREE'`,
    [schema, table],
  );
  if (plain.length === 0) return [];
  const keyed = await foreignKeyLeadColumns(db, schema, table);
  const candidates = new Set(plain.filter((i) => i.first !== null && !keyed.has(i.first)).map((i) => i.name));
  if (candidates.size === 0) return [];
  return indexClauses(await createTableText(db, schema, table)).filter((d) => candidates.has(d.name));
}

/** The names of the table's indexes now. */
export async function indexNames(db: Queryable, schema: string, table: string): Promise<Set<string>> {
  const rows = await db.query<{ name: string }>(
    `SELECT DISTINCT INDEX_NAME AS name FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?`,
    [schema, table],
  );
  return new Set(rows.map((r) => r.name));
}

/** One ALTER TABLE for all of them: the table is rebuilt once, not once per index. */
export async function dropIndexes(db: Queryable, schema: string, table: string, names: readonly string[]) {
  if (names.length === 0) return;
  const drops = names.map((name) => `DROP INDEX ${quoteIdentifier(name)}`).join(', ');
  await db.execute(`ALTER TABLE ${qualifiedName(schema, table)} ${drops}`);
}

/** One ALTER TABLE for all of them: InnoDB reads the table once and sorts each index's keys. */
export async function addIndexes(db: Queryable, schema: string, table: string, clauses: readonly string[]) {
  if (clauses.length === 0) return;
  const adds = clauses.map((clause) => `ADD ${clause}`).join(', ');
  await db.execute(`ALTER TABLE ${qualifiedName(schema, table)} ${adds}`);
}

/** Columns that lead a foreign key of the table or a foreign key that references it. */
async function foreignKeyLeadColumns(db: Queryable, schema: string, table: string): Promise<Set<string>> {
  const rows = await db.query<{ col: string }>(
    `SELECT COLUMN_NAME AS col FROM information_schema.KEY_COLUMN_USAGE
      WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND REFERENCED_TABLE_NAME IS NOT NULL AND ORDINAL_POSITION = 1
     UNION
     SELECT REFERENCED_COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE
      WHERE REFERENCED_TABLE_SCHEMA = ? AND REFERENCED_TABLE_NAME = ? AND ORDINAL_POSITION = 1`,
    [schema, table, schema, table],
  );
  return new Set(rows.map((r) => r.col));
}

async function createTableText(db: Queryable, schema: string, table: string): Promise<string> {
  const rows = await db.queryArrays(`SHOW CREATE TABLE ${qualifiedName(schema, table)}`);
  const text = rows[0]?.[1];
  return typeof text === 'string' ? text : Buffer.isBuffer(text) ? text.toString('utf8') : '';
}

/**
 * The plain `KEY` lines of SHOW CREATE TABLE, by index name. The name is read back through the
 * server's own quoting (backticks doubled inside), so any name parses.
 */
export function indexClauses(createTable: string): IndexDefinition[] {
  const found: IndexDefinition[] = [];
  for (const raw of createTable.split('\n')) {
    const line = raw.trim().replace(/,$/, '');
    const match = /^KEY `((?:[^`]|``)+)` /.exec(line);
    if (match?.[1] !== undefined) found.push({ name: match[1].replaceAll('``', '`'), clause: line });
  }
  return found;
}

/**
 * Referential integrity over declared foreign keys, for both ends of a migration. A bulk copy
 * loads rows with foreign_key_checks=0 (rows arrive in table order), so a destination can end
 * up with rows that point at nothing while every row count matches; and a source may hold such
 * rows already (MyISAM days, manual deletes), which the copy then carries over faithfully.
 * `migrate check` verifies the destination; the integrity stage of `migrate data` the source.
 */
import pLimit from 'p-limit';
import type { Database } from '../../db/database.js';
import { type ForeignKey, readForeignKeys } from '../../db/foreign-keys.js';
import { findOrphanRows, type OrphanRows } from '../../db/orphan-rows.js';
import type { Value } from '../../handlers/contract.js';
import type { DocumentPlan } from '../../mappings/plan.js';
import type { Problem } from '../../mappings/problems.js';
import {
  type ConstraintReport,
  ORPHAN_EXAMPLES,
  type ReferentialIntegrity,
  type ReportKey,
} from '../../report/check-report.js';
import { keyText } from '../../report/key-text.js';
import { shellWord } from '../../util/shell-word.js';

export interface ForeignKeyOrphans {
  key: ForeignKey;
  rows: OrphanRows;
}

/** Counts the orphans of each key, `concurrency` keys at a time. */
export async function orphansOf(
  db: Database,
  keys: readonly ForeignKey[],
  concurrency: number,
): Promise<ForeignKeyOrphans[]> {
  const limit = pLimit(Math.max(1, concurrency));
  return Promise.all(
    keys.map((key) => limit(async () => ({ key, rows: await findOrphanRows(db, key, ORPHAN_EXAMPLES) }))),
  );
}

/**
 * The destination's foreign keys that touch a table the run fills (a copied, merged or
 * step-filled document: the child or the parent): a copied child can point past its parent, and a seeded child can point at parent
 * rows the copy was expected to bring. Constraints between tables the map does not fill are
 * the new platform's own business and are left out.
 */
export async function destinationKeysOf(db: Database, filled: readonly string[]): Promise<ForeignKey[]> {
  const tables = new Set(filled);
  const keys = await readForeignKeys(db, db.schema);
  return keys.filter(
    (k) => tables.has(k.table) || (k.parentSchema === k.schema && tables.has(k.parentTable)),
  );
}

/** The source's foreign keys whose child table is a planned document: the rows about to be copied. */
export async function sourceKeysOf(db: Database, plans: readonly DocumentPlan[]): Promise<ForeignKey[]> {
  const tables = new Set(plans.map((p) => p.sourceTable));
  return (await readForeignKeys(db, db.schema)).filter((k) => tables.has(k.table));
}

export interface DestinationIntegrityOptions {
  concurrency: number;
  /** The config path as repair commands name it. */
  config: string;
  destPrefix: string;
}

/** The check report's referential-integrity section for the destination. */
export async function destinationIntegrity(
  db: Database,
  filled: readonly string[],
  options: DestinationIntegrityOptions,
): Promise<ReferentialIntegrity> {
  const found = await orphansOf(db, await destinationKeysOf(db, filled), options.concurrency);
  const checked = found
    .map((f) => constraintReport(f, options))
    .sort((a, b) => Number(b.orphans > 0) - Number(a.orphans > 0));
  const violated = checked.filter((c) => c.orphans > 0);
  return {
    scope: 'declared foreign keys of the destination whose child or parent table the migration fills',
    constraints: checked.length,
    violated: violated.length,
    orphanRows: violated.reduce((sum, c) => sum + c.orphans, 0),
    checked,
  };
}

function constraintReport(
  { key, rows }: ForeignKeyOrphans,
  options: DestinationIntegrityOptions,
): ConstraintReport {
  const document = documentName(key.table, options.destPrefix);
  const parentTable =
    key.parentSchema === key.schema ? key.parentTable : `${key.parentSchema}.${key.parentTable}`;
  const parentDocument =
    key.parentSchema === key.schema ? documentName(key.parentTable, options.destPrefix) : parentTable;
  return {
    constraint: key.name,
    document,
    table: key.table,
    columns: key.columns,
    parentTable,
    parentColumns: key.parentColumns,
    orphans: rows.count,
    key: key.tableKey.length ? key.tableKey : null,
    examples: rows.examples.map((e) => ({ key: reportKey(e.key), references: reportKey(e.references) })),
    repair: rows.count > 0 ? orphanRepair(document, parentDocument, options.config) : null,
  };
}

/**
 * The orphans of `document` come from one of two places: parent rows the copy did not bring
 * (re-copy them), or the same orphans at the source (the dry run lists them as
 * SOURCE_ORPHAN_ROWS; fix them there and re-copy the child).
 */
export function orphanRepair(document: string, parent: string, configPath: string): string {
  const config = shellWord(configPath);
  return (
    `rows of ${document} point at ${parent} rows that do not exist. If ${parent} is copied by the map, ` +
    `\`migrate check ${config} --deep --only ${shellWord(parent)}\` names its missing rows and ` +
    `\`migrate data ${config} --only ${shellWord(parent)}\` copies them; if the source holds the same orphans ` +
    `(\`migrate data ${config} --dry-run\` lists them as SOURCE_ORPHAN_ROWS), fix or delete them there, then ` +
    `\`migrate data ${config} --reset --only ${shellWord(document)}\` re-copies ${document}`
  );
}

function documentName(table: string, prefix: string): string {
  return prefix && table.startsWith(prefix) ? table.slice(prefix.length) : table;
}

/** Key values as the report writes them: text as it is, binary as hex. */
export function reportKey(values: readonly Value[]): ReportKey {
  return values.map((v) => (Buffer.isBuffer(v) ? { hex: v.toString('hex') } : v));
}

export interface SourceOrphanOptions {
  concurrency: number;
  /** config.xml's <source_orphans>: warn (copy them as they are) or error (stop before copying). */
  severity: 'warn' | 'error';
}

/**
 * The integrity stage's look at the source (as the Magento tool's DataIntegrity step does):
 * one problem per foreign key of a planned document that has orphan rows. The copy carries
 * such rows over as they are, so the destination's foreign key would then be broken too.
 */
export async function sourceOrphanProblems(
  db: Database,
  plans: readonly DocumentPlan[],
  options: SourceOrphanOptions,
): Promise<Problem[]> {
  const documents = new Map(plans.map((p) => [p.sourceTable, p.document]));
  const found = await orphansOf(db, await sourceKeysOf(db, plans), options.concurrency);
  return found
    .filter(({ rows }) => rows.count > 0)
    .map(({ key, rows }) => {
      const document = documents.get(key.table) ?? key.table;
      const parent =
        key.parentSchema === key.schema ? key.parentTable : `${key.parentSchema}.${key.parentTable}`;
      const examples = rows.examples
        .map((e) =>
          e.key.length
            ? `${key.tableKey.join(', ')} ${keyText(reportKey(e.key))} -> ${keyText(reportKey(e.references))}`
            : keyText(reportKey(e.references)),
        )
        .join('; ');
      const more = rows.count - rows.examples.length;
      return {
        severity: options.severity === 'error' ? 'error' : 'warning',
        code: 'SOURCE_ORPHAN_ROWS',
        document,
        field: key.columns.join(', '),
        message:
          `${rows.count} source rows of ${document} break foreign key ${key.name}: their ${key.columns.join(', ')} ` +
          `match no row of ${parent} (${key.parentColumns.join(', ')}), e.g. ${examples}${more > 0 ? ` and ${more} more` : ''}; ` +
          'they are copied as they are and will point at nothing in the destination too',
        fix:
          options.severity === 'error'
            ? `fix or delete those rows at the source, or ignore ${document}; or set <source_orphans>warn</source_orphans> in config.xml to copy them as they are`
            : `fix or delete those rows at the source before the copy if the new store must not hold them; <source_orphans>error</source_orphans> in config.xml stops the run on them`,
      } satisfies Problem;
    });
}

/**
 * Secondary indexes deferred for the bulk copy: before the first chunk of a large document the
 * destination table's plain secondary indexes are written down (progress/deferred-index-store.ts)
 * and dropped; once every part is copied they are built again in one ALTER TABLE, while the
 * other documents are still copying. InnoDB builds an index from the finished table by sorting
 * its keys, which costs far less than inserting each row's key into it; once a table outgrows the
 * buffer pool, row-by-row inserts also read random index pages from disk (not measured here).
 * On the bench's table the streaming copy with its rebuild took 0.84x the time of the copy with
 * every index kept (BENCHMARKS.md, issue 16's fourth round).
 *
 * What a shop's data depends on stays: the primary key and unique indexes (a duplicate is still
 * refused row by row into the rejected-rows log), FULLTEXT and SPATIAL indexes, and any index a
 * foreign key uses (src/db/secondary-indexes.ts). Nothing else reads the destination while the
 * copy runs. A run that stops before the rebuild leaves the record, and the next `migrate data`
 * builds them as soon as the document is finished; `status` and `check` name what is missing.
 */
import type { Database } from '../../db/database.js';
import { quoteIdentifier } from '../../db/identifiers.js';
import { databaseProblem } from '../../db/row-errors.js';
import { addIndexes, deferrableIndexes, dropIndexes } from '../../db/secondary-indexes.js';
import { errorText, MigrateError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { DocumentPlan } from '../../mappings/plan.js';
import type { DeferredIndexStore } from '../../progress/deferred-index-store.js';
import { shellWord } from '../../util/shell-word.js';

/** ER_DBACCESS_DENIED_ERROR, ER_TABLEACCESS_DENIED_ERROR, ER_SPECIFIC_ACCESS_DENIED_ERROR. */
const ACCESS_DENIED = new Set([1044, 1142, 1227]);

export class IndexDeferral {
  /** The missing privilege is said once a run, not once per document. */
  private deniedNoted = false;

  constructor(
    private readonly destination: Database,
    private readonly store: DeferredIndexStore,
    private readonly log: Logger,
    private readonly configFile: string,
  ) {}

  /**
   * Before the first chunk of a document whose destination table is empty and filled by this
   * document alone, estimated at `minRows` rows or more (<defer_indexes_min_rows>: by default
   * 100,000, the default part size, below which the two ALTERs save little; 0 never). The
   * definitions are recorded before anything is dropped.
   */
  async defer(plan: DocumentPlan, minRows: number): Promise<void> {
    if (minRows === 0 || plan.estimatedRows < minRows) return;
    const { schema } = this.destination;
    const indexes = await deferrableIndexes(this.destination, schema, plan.destinationTable);
    if (indexes.length === 0) return;
    await this.store.record(plan.destinationTable, indexes);
    try {
      await dropIndexes(
        this.destination,
        schema,
        plan.destinationTable,
        indexes.map((i) => i.name),
      );
    } catch (error) {
      // The destination needs no ALTER privilege otherwise: without it the copy keeps the
      // indexes (slower, not wrong). The ALTER changed nothing, so their records go too.
      if (!ACCESS_DENIED.has(databaseProblem(error)?.errno ?? 0)) throw error;
      await this.store.forget(
        plan.destinationTable,
        indexes.map((i) => i.name),
      );
      if (!this.deniedNoted) {
        this.deniedNoted = true;
        this.log.info(
          `destination indexes are kept during the copy: the destination user may not ALTER tables (${databaseProblem(error)?.message}); ` +
            `GRANT ALTER ON ${quoteIdentifier(schema)}.* to it for a faster copy (README, "Indexes built after the copy")`,
        );
      }
      return;
    }
    this.log.verbose(
      `${plan.document}: ${indexes.length} secondary index(es) of ${plan.destinationTable} deferred until its copy is done (${indexes.map((i) => i.name).join(', ')})`,
    );
  }

  /**
   * Once every part of the document is copied: builds what is recorded and still missing, then
   * forgets the record (also of indexes built by hand meanwhile).
   */
  async rebuild(plan: DocumentPlan): Promise<void> {
    const table = plan.destinationTable;
    const missing = await this.store.missing(table);
    if (missing.length > 0)
      await this.build(
        plan,
        missing.map((i) => i.clause),
      );
    await this.store.forget(table);
  }

  private async build(plan: DocumentPlan, clauses: readonly string[]): Promise<void> {
    const table = plan.destinationTable;
    const started = performance.now();
    this.log.info(
      `${plan.document}: building ${clauses.length} index(es) of ${table} deferred during the copy`,
    );
    try {
      // bulk_read_timeout, not query_timeout: the build's time grows with the whole table.
      await addIndexes(this.destination.bulk, this.destination.schema, table, clauses);
    } catch (error) {
      throw new MigrateError(
        `${plan.document}: building the ${clauses.length} index(es) of ${table} deferred during the copy failed: ${errorText(error)}`,
        {
          code: 'INDEX_REBUILD_FAILED',
          hint: `fix the cause (often the server's tmpdir is too small for the sort, or bulk_read_timeout is too short for this table), then run \`migrate data ${shellWord(this.configFile)}\` again: it builds them before anything else reads the table`,
          context: { step: 'data', document: plan.document },
          cause: error,
        },
      );
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    this.log.info(`${plan.document}: ${clauses.length} index(es) of ${table} built in ${seconds} s`);
  }
}

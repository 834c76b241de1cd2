/**
 * Computed documents: a destination document filled from one SQL select over the source
 * (joins, aggregates), read in chunks ordered by one key column of the select, written through
 * the row writer with its progress mark in the same transaction (invariant 2), so it resumes
 * after a stop or a kill and is counted against the select.
 *
 * Several source documents into one destination document: write them as one select (UNION
 * ALL). Key collisions are errors, never overwrites: the write is a plain INSERT, so a row
 * whose key the destination already holds (from another branch of the select, or from the
 * map's own copy) is refused by the destination and goes to the rejected-rows file with the
 * database's error, and the run ends non-zero. One source document into several destination
 * documents: the map copies it to one, and a computed select for each other one reads it too.
 */

import { emptyTable } from '../db/empty-table.js';
import { countSelect, countTable, readSelectChunk, selectColumns } from '../db/keyed-chunk.js';
import { errorText } from '../errors.js';
import type { Problem } from '../mappings/problems.js';
import type { Step, StepCheck, StepContext, StepDocumentResult, StepIntegrityContext } from './step.js';
import { commitStepChunk, stepChunkRows, stepDocumentResult, stepPart, writeStepRows } from './step-parts.js';

export class ComputedStep implements Step {
  readonly name: string;
  readonly documents: readonly string[];

  constructor(
    /** The destination document (without dest_prefix) the select fills. */
    readonly document: string,
    readonly select: string,
    readonly key: string,
  ) {
    this.name = `computed ${document}`;
    this.documents = [document];
  }

  /** The progress id: apart from any source document of the same name. */
  get progressDocument(): string {
    return `computed:${this.document}`;
  }

  /** The select with `{source_prefix}` replaced by config.xml's <source_prefix>, so a profile's select names prefixed tables. */
  private sql(ctx: { config: StepContext['config'] }): string {
    return this.select.replaceAll('{source_prefix}', ctx.config.options.sourcePrefix);
  }

  private table(ctx: { config: StepContext['config'] }): string {
    return `${ctx.config.options.destPrefix}${this.document}`;
  }

  async integrity(ctx: StepIntegrityContext): Promise<Problem[]> {
    const problem = (message: string, fix: string): Problem[] => [
      { severity: 'error', code: 'COMPUTED_INVALID', document: this.document, message, fix },
    ];
    const table = ctx.destinationSchema.get(this.table(ctx));
    if (!table) {
      return problem(
        `computed document ${this.document} does not exist in the destination`,
        `correct the name under "computed" in the map file, or create the table`,
      );
    }
    let columns: string[];
    try {
      columns = await selectColumns(ctx.source, this.sql(ctx));
    } catch (error) {
      return problem(
        `the select of computed document ${this.document} fails on the source: ${errorText(error)}`,
        'correct the select under "computed" in the map file (it runs on the source database)',
      );
    }
    const known = new Set(table.columns.map((c) => c.name));
    const unknown = columns.filter((c) => !known.has(c));
    if (unknown.length > 0) {
      return problem(
        `the select of computed document ${this.document} returns ${unknown.join(', ')}, which ${table.name} does not have`,
        'name every column of the select after a destination column (SELECT ... AS column)',
      );
    }
    if (!columns.includes(this.key)) {
      return problem(
        `the key ${this.key} of computed document ${this.document} is not a column of its select`,
        `add ${this.key} to the select, or name one of its columns as "key"`,
      );
    }
    return [];
  }

  async run(ctx: StepContext): Promise<StepDocumentResult[]> {
    const started = performance.now();
    const document = this.progressDocument;
    let part = await stepPart(ctx.progress, document);
    const result = (finished: boolean) =>
      stepDocumentResult(document, this.document, part, started, finished);
    if (part.state === 'copied') return result(true);
    const columns = await selectColumns(ctx.source, this.sql(ctx));
    const keyIndex = columns.indexOf(this.key);
    const limit = stepChunkRows(ctx.config.options.bulkSize);
    const table = this.table(ctx);
    let last = part.lastKey?.[0] ?? null;
    for (;;) {
      await ctx.throttle?.wait(ctx.stop);
      const chunkStarted = performance.now();
      const rows = await readSelectChunk(ctx.source, this.sql(ctx), columns, this.key, last, limit);
      const complete = rows.length < limit;
      const lastKey = rows.at(-1)?.[keyIndex] ?? null;
      part = await commitStepChunk(ctx, part, {
        document,
        plan: null, // the select names destination columns: rows are written as read
        table,
        columns,
        rows,
        mark: {
          document,
          part: part.part,
          lastKey: lastKey === null ? null : [lastKey],
          done: complete,
          method: 'computed',
          started: chunkStarted,
        },
        write: async (tx, values) => {
          const written = await writeStepRows(ctx, tx, table, columns, values);
          return { written: written.written, refused: written.rejected };
        },
      });
      last = lastKey ?? last;
      if (complete) return result(true);
      if (ctx.stop.requested) return result(false);
    }
  }

  async verify(ctx: StepContext): Promise<StepCheck[]> {
    const expected = await countSelect(ctx.source, this.sql(ctx));
    const written = await countTable(ctx.destination, ctx.destination.schema, this.table(ctx));
    // Rows the destination refused are accounted for in the rejected-rows file, not missing.
    const rejected = (await ctx.progress.parts(this.progressDocument)).reduce(
      (n, p) => n + p.rowsRejected,
      0,
    );
    const actual = written + rejected;
    return [
      {
        document: this.document,
        expected,
        actual,
        ok: expected === actual,
        note: `rows of the select: ${written} written, ${rejected} rejected`,
      },
    ];
  }

  async reset(ctx: StepContext): Promise<void> {
    await emptyTable(ctx.destination, this.table(ctx));
    await ctx.progress.clear([this.progressDocument]);
  }
}

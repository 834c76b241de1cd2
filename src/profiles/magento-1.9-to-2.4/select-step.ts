/**
 * A destination document filled from a select over the 1.9 source whose values still go
 * through handlers (ids through id maps, password hashes, serialized text to JSON): the
 * engine's computed documents take a select but no handlers, and the map's plans take handlers
 * but no select. The select is built at run time from the source (attribute ids by code).
 *
 * Like a computed document it is read in chunks ordered by one key column, written with its
 * progress mark in the same transaction (invariant 2), and resumes after a stop. The key is
 * also the destination's primary key: Magento 2 keeps the 1.9 entity ids, so verification
 * reads the destination row of each source row by that key and compares every column, naming
 * the entity (e.g. the customer's email and website) and the column of the first difference.
 */
import type { Database, Queryable } from '../../db/database.js';
import { deleteRowsByKey } from '../../db/delete-by-key.js';
import { emptyTable } from '../../db/empty-table.js';
import { countSelect, readSelectChunk, readSelectRowsIn, selectColumns } from '../../db/keyed-chunk.js';
import { readRowsByKey } from '../../db/rows-by-key.js';
import { readSchema, type TableInfo } from '../../db/schema.js';
import { ChunkSink } from '../../engine/chunk-sink.js';
import type {
  Step,
  StepChange,
  StepCheck,
  StepContext,
  StepDelta,
  StepDeltaResult,
  StepDocumentResult,
  StepIntegrityContext,
} from '../../engine/step.js';
import {
  commitStepChunk,
  stepChunkRows,
  stepDocumentResult,
  stepPart,
  writeStepRows,
} from '../../engine/step-parts.js';
import { errorText } from '../../errors.js';
import type { FieldHandler, Row, Value } from '../../handlers/contract.js';
import type { Problem } from '../../mappings/problems.js';
import { canonicalValue } from '../../steps/check/canonical-value.js';
import { encodeValues, type RejectedEntry } from '../../steps/data/rejected-log.js';
import { applyColumnHandlers, columnHandlerLookups } from './column-handlers.js';
import { orphanCheck } from './orphan-check.js';

export interface SelectDocument {
  /** The destination document (without dest_prefix). */
  document: string;
  /** Column of the select it is paged by; the destination's primary key (ids are kept). */
  key: string;
  /** Builds the select over the source (`prefix` is source_prefix). */
  select(source: Database, prefix: string): Promise<string>;
  /** Handlers by destination column, applied in this order to each row. */
  transforms?: Readonly<Record<string, FieldHandler>>;
  /**
   * How a mismatch names the entity, from the source row after its handlers, e.g.
   * `customer alice@example.com (website 1)`. Default: the document and key.
   */
  describe?(row: Readonly<Row>): string;
  /**
   * Delta (Step.delta): the source tables the select reads that a live shop changes, each with
   * the column of a changed row that names the select rows it touches: those whose `by`
   * column (default `key`; a column the handlers leave as it is) holds that value. A table the
   * shop's foreign keys empty by cascade (an address when its customer goes) names the parent
   * too, since no trigger fires on a cascade.
   */
  sources?: readonly SelectSource[];
}

export interface SelectSource {
  table: string;
  column: string;
  by?: string;
}

/** Rows a verification chunk compares at a time. */
const VERIFY_CHUNK = 1000;

export class SelectStep implements Step {
  readonly name: string;
  readonly documents: readonly string[];
  readonly delta?: StepDelta;

  constructor(readonly spec: SelectDocument) {
    this.name = `magento ${spec.document}`;
    this.documents = [spec.document];
    const sources = spec.sources;
    if (sources && sources.length > 0)
      this.delta = {
        sources: sources.map((s) => ({ table: s.table, columns: [s.column] })),
        apply: (ctx, changes) => this.applyChanges(ctx, sources, changes),
      };
  }

  get progressDocument(): string {
    return `magento:${this.spec.document}`;
  }

  private table(config: StepContext['config']): string {
    return `${config.options.destPrefix}${this.spec.document}`;
  }

  private select(ctx: { config: StepContext['config']; source: Database }): Promise<string> {
    return this.spec.select(ctx.source, ctx.config.options.sourcePrefix);
  }

  async integrity(ctx: StepIntegrityContext): Promise<Problem[]> {
    const problem = (message: string, fix: string): Problem[] => [
      { severity: 'error', code: 'COMPUTED_INVALID', document: this.spec.document, message, fix },
    ];
    const table = ctx.destinationSchema.get(this.table(ctx.config));
    if (!table) {
      return problem(
        `${this.spec.document} does not exist in the destination`,
        'the destination is not a Magento 2.4 install: point config.xml at one',
      );
    }
    let columns: string[];
    try {
      columns = await selectColumns(ctx.source, await this.select(ctx));
    } catch (error) {
      return problem(
        `the profile's select for ${this.spec.document} fails on the source: ${errorText(error)}`,
        'the source is not a Magento 1.9 store (or source_prefix is wrong): check config.xml',
      );
    }
    const known = new Set(table.columns.map((c) => c.name));
    const unknown = columns.filter((c) => !known.has(c));
    if (unknown.length > 0) {
      return problem(
        `${table.name} has no column ${unknown.join(', ')} the profile fills`,
        'the destination is not a Magento 2.4 install: point config.xml at one',
      );
    }
    return [];
  }

  async run(ctx: StepContext): Promise<StepDocumentResult[]> {
    const started = performance.now();
    const document = this.progressDocument;
    let part = await stepPart(ctx.progress, document);
    const result = (finished: boolean) =>
      stepDocumentResult(document, this.spec.document, part, started, finished);
    if (part.state === 'copied') return result(true);
    const select = await this.select(ctx);
    const columns = await selectColumns(ctx.source, select);
    const keyIndex = columns.indexOf(this.spec.key);
    const limit = stepChunkRows(ctx.config.options.bulkSize);
    const table = this.table(ctx.config);
    let last = part.lastKey?.[0] ?? null;
    for (;;) {
      await ctx.throttle?.wait(ctx.stop);
      const chunkStarted = performance.now();
      const rows = await readSelectChunk(ctx.source, select, columns, this.spec.key, last, limit);
      const complete = rows.length < limit;
      const lastKey = rows.at(-1)?.[keyIndex] ?? null;
      part = await commitStepChunk(ctx, part, {
        document,
        plan: null,
        table,
        columns,
        rows,
        mark: {
          document,
          part: part.part,
          lastKey: lastKey === null ? null : [lastKey],
          done: complete,
          method: 'magento',
          started: chunkStarted,
        },
        write: (tx, chunkRows) => this.write(ctx, tx, columns, chunkRows),
      });
      last = lastKey ?? last;
      if (complete) return result(true);
      if (ctx.stop.requested) return result(false);
    }
  }

  /**
   * Puts source rows in through their handlers (id lookups loaded in `tx`); rows a handler
   * refuses become rejected-rows entries.
   */
  private async write(ctx: StepContext, tx: Queryable, columns: string[], rows: Value[][]) {
    const document = this.progressDocument;
    const table = this.table(ctx.config);
    const keyIndex = columns.indexOf(this.spec.key);
    const lookups = await columnHandlerLookups(
      ctx.idMaps,
      this.spec.document,
      columns,
      this.spec.transforms,
      rows,
      tx,
    );
    const good: Value[][] = [];
    const entries: Array<Omit<RejectedEntry, 'at'>> = [];
    for (const row of rows) {
      const transformed = applyColumnHandlers(
        this.spec.document,
        columns,
        row,
        this.spec.transforms,
        lookups,
      );
      if (transformed.ok) good.push(transformed.values);
      else
        entries.push({
          document,
          stage: 'transform',
          table,
          columns,
          values: encodeValues(row),
          key: encodeValues([row[keyIndex] ?? null]),
          error: transformed.reason,
          code: 'HANDLER_REJECTED',
        });
    }
    const written = await writeStepRows(ctx, tx, table, columns, good);
    return { written: written.written, refused: written.rejected, entries };
  }

  /**
   * Delta: the select rows the changes touch (by each source's `by` column) are read again
   * and, in one destination transaction, the destination rows under the same values are
   * deleted and the re-read rows written through the handlers. An entity gone from the source
   * is thereby gone from the destination; one changed is written as the source has it now.
   */
  private async applyChanges(
    ctx: StepContext,
    sources: readonly SelectSource[],
    changes: readonly StepChange[],
  ): Promise<StepDeltaResult> {
    const touched = new Map<string, Map<string, Value>>();
    for (const source of sources) {
      const by = source.by ?? this.spec.key;
      const values = touched.get(by) ?? new Map<string, Value>();
      for (const change of changes) {
        if (change.table !== source.table) continue;
        const value = change.values[source.column];
        if (value !== null && value !== undefined) values.set(String(value), value);
      }
      if (values.size > 0) touched.set(by, values);
    }
    if (touched.size === 0) return { upserted: 0, deleted: 0, rejected: 0 };
    const select = await this.select(ctx);
    const columns = await selectColumns(ctx.source, select);
    const keyIndex = columns.indexOf(this.spec.key);
    const rows = new Map<string, Value[]>();
    for (const [by, values] of touched)
      for (const row of await readSelectRowsIn(ctx.source, select, columns, by, [...values.values()]))
        rows.set(String(row[keyIndex]), row);
    const table = this.table(ctx.config);
    let removed = 0;
    const counts = await new ChunkSink({
      destination: ctx.destination,
      rejected: ctx.rejected,
      idMaps: ctx.idMaps,
    }).commit({
      document: this.progressDocument,
      plan: null,
      table,
      columns,
      rows: [...rows.values()],
      write: async (tx, chunkRows) => {
        for (const [by, values] of touched)
          removed += await deleteRowsByKey(
            tx,
            { schema: ctx.destination.schema, table, key: [by] },
            [...values.values()].map((v) => [v]),
          );
        return this.write(ctx, tx, columns, chunkRows);
      },
    });
    return {
      upserted: counts.written,
      deleted: Math.max(0, removed - counts.written),
      rejected: counts.rejected,
    };
  }

  /**
   * Every source row, through its handlers, against the destination row with its key: each
   * column compared in the form the destination column stores. Rows the run rejected are
   * counted apart (they are in the rejected-rows file, not missing).
   */
  async verify(ctx: StepContext): Promise<StepCheck[]> {
    const select = await this.select(ctx);
    const columns = await selectColumns(ctx.source, select);
    const keyIndex = columns.indexOf(this.spec.key);
    const tableName = this.table(ctx.config);
    const info = (await readSchema(ctx.destination, ctx.destination.schema)).get(tableName);
    if (!info) throw new Error(`${tableName} vanished from the destination`);
    const shapes = columns.map((c) => columnShape(info, c));
    const expected = await countSelect(ctx.source, select);
    const rejected = (await ctx.progress.parts(this.progressDocument)).reduce(
      (n, p) => n + p.rowsRejected,
      0,
    );
    let matching = 0;
    let differing = 0;
    let missing = 0;
    let first: string | undefined;
    let firstMissing: string | undefined;
    let last: Value | null = null;
    for (;;) {
      const rows = await readSelectChunk(ctx.source, select, columns, this.spec.key, last, VERIFY_CHUNK);
      if (rows.length === 0) break;
      last = rows.at(-1)?.[keyIndex] ?? null;
      const lookups = await columnHandlerLookups(
        ctx.idMaps,
        this.spec.document,
        columns,
        this.spec.transforms,
        rows,
      );
      const stored = await readRowsByKey(
        ctx.destination,
        {
          schema: ctx.destination.schema,
          table: tableName,
          columns,
          types: shapes.map((s) => s.dataType),
          key: [this.spec.key],
        },
        rows.map((r) => [r[keyIndex] ?? null]),
      );
      const byKey = new Map(stored.map((r) => [String(r[keyIndex]), r]));
      for (const row of rows) {
        const transformed = applyColumnHandlers(
          this.spec.document,
          columns,
          row,
          this.spec.transforms,
          lookups,
        );
        if (!transformed.ok) continue; // a rejected row: counted from the progress store
        const found = byKey.get(String(row[keyIndex]));
        const entity =
          this.spec.describe?.(transformed.row) ?? `${this.spec.document} ${String(row[keyIndex])}`;
        if (!found) {
          // A row the destination refused (in the rejected-rows file) is missing too: the totals tell.
          missing++;
          firstMissing ??= `${entity}: missing from the destination`;
          continue;
        }
        const difference = firstDifference(columns, shapes, transformed.values, found);
        if (difference === undefined) matching++;
        else {
          differing++;
          first ??= `${entity}: ${difference}`;
        }
      }
      if (rows.length < VERIFY_CHUNK) break;
    }
    const actual = matching + rejected;
    // Rows refused by a handler are skipped above, rows refused by the destination are missing:
    // both are in `rejected`, so a missing row beyond those is one the run lost.
    const lost = actual < expected ? firstMissing : undefined;
    first ??= lost;
    return [
      await orphanCheck(ctx, [tableName], `${this.spec.document} foreign keys`),
      {
        document: this.spec.document,
        expected,
        actual,
        ok: expected === actual && differing === 0,
        note:
          `entities equal column by column: ${matching} equal, ${rejected} rejected, ${differing} different, ${missing} missing` +
          (first ? ` (first: ${first})` : ''),
      },
    ];
  }

  async reset(ctx: StepContext): Promise<void> {
    await emptyTable(ctx.destination, this.table(ctx.config));
    await ctx.progress.clear([this.progressDocument]);
  }
}

function columnShape(table: TableInfo, column: string) {
  const info = table.columns.find((c) => c.name === column);
  if (!info) throw new Error(`${table.name} has no column ${column}`);
  return info;
}

/** The first column whose stored form differs, as `column: "source" in 1.9, "stored" in 2.4`. */
function firstDifference(
  columns: readonly string[],
  shapes: readonly Parameters<typeof canonicalValue>[1][],
  expected: readonly Value[],
  stored: readonly Value[],
): string | undefined {
  for (let i = 0; i < columns.length; i++) {
    const shape = shapes[i];
    if (!shape) continue;
    const want = canonicalValue(expected[i] ?? null, shape);
    const have = canonicalValue(stored[i] ?? null, shape);
    if (!sameValue(want, have)) {
      return `${columns[i]}: ${shown(want)} in 1.9, ${shown(have)} in 2.4`;
    }
  }
  return undefined;
}

function sameValue(a: Value, b: Value): boolean {
  if (a === null || b === null) return a === b;
  return Buffer.from(a).equals(Buffer.from(b));
}

function shown(value: Value): string {
  if (value === null) return 'NULL';
  return JSON.stringify(Buffer.isBuffer(value) ? value.toString('utf8') : value);
}

/**
 * A small lookup table 2.4's installer seeds and a 1.9 shop extends (order statuses, their
 * labels and states): rows whose natural key the destination has are kept as the installer
 * wrote them, the others are inserted. The tables hold tens of rows by nature (one per status
 * a shop defines), so the source is read in one chunk and written in one transaction with its
 * progress mark (invariant 2); a rerun inserts nothing twice.
 */
import type { Database, Queryable } from '../../db/database.js';
import { readSelectChunk, selectColumns } from '../../db/keyed-chunk.js';
import { readRowsByKey } from '../../db/rows-by-key.js';
import { ChunkSink } from '../../engine/chunk-sink.js';
import type {
  Step,
  StepCheck,
  StepContext,
  StepDelta,
  StepDeltaResult,
  StepDocumentResult,
} from '../../engine/step.js';
import { commitStepChunk, stepDocumentResult, stepPart, writeStepRows } from '../../engine/step-parts.js';
import type { FieldHandler, Value } from '../../handlers/contract.js';
import { encodeValues } from '../../steps/data/rejected-log.js';
import { applyColumnHandlers, columnHandlerLookups } from './column-handlers.js';

export interface MissingRowsDocument {
  document: string;
  /** Destination columns that identify a row (the table's primary key). */
  naturalKey: readonly string[];
  select(source: Database, prefix: string): string;
  transforms?: Readonly<Record<string, FieldHandler>>;
  /**
   * Delta: the source tables the select reads. Any change there inserts the rows still
   * missing (a status the shop added during the migration); nothing is ever deleted, since
   * the installer's rows and the inserted ones cannot be told apart.
   */
  sources?: readonly string[];
}

/** More rows than a lookup table of statuses ever has: the step refuses rather than read unbounded. */
const MAX_ROWS = 10_000;

export class MissingRowsStep implements Step {
  readonly name: string;
  readonly documents: readonly string[];
  readonly delta?: StepDelta;

  constructor(readonly spec: MissingRowsDocument) {
    this.name = `magento ${spec.document}`;
    this.documents = [spec.document];
    if (spec.sources?.length)
      this.delta = {
        // Any column does: every change leads to the whole (small) table.
        sources: spec.sources.map((table) => ({ table, columns: [spec.naturalKey[0] ?? 'status'] })),
        apply: (ctx) => this.insertMissing(ctx),
      };
  }

  get progressDocument(): string {
    return `magento:${this.spec.document}`;
  }

  /** Source rows through their handlers; refused rows apart with the reason. */
  private async sourceRows(ctx: StepContext) {
    const select = this.spec.select(ctx.source, ctx.config.options.sourcePrefix);
    const columns = await selectColumns(ctx.source, select);
    const rows = await readSelectChunk(
      ctx.source,
      select,
      columns,
      this.spec.naturalKey[0] ?? '',
      null,
      MAX_ROWS + 1,
    );
    if (rows.length > MAX_ROWS) {
      throw new Error(
        `${this.spec.document}: more than ${MAX_ROWS} rows in the source; this is not a lookup table`,
      );
    }
    const lookups = await columnHandlerLookups(
      ctx.idMaps,
      this.spec.document,
      columns,
      this.spec.transforms,
      rows,
    );
    const good: Value[][] = [];
    const refused: { values: Value[]; reason: string }[] = [];
    for (const values of rows) {
      const handled = applyColumnHandlers(this.spec.document, columns, values, this.spec.transforms, lookups);
      if (handled.ok) good.push(handled.values);
      else refused.push({ values, reason: handled.reason });
    }
    const keyIndexes = this.spec.naturalKey.map((k) => columns.indexOf(k));
    return {
      columns,
      good,
      refused,
      keyOf: (row: readonly Value[]) => keyIndexes.map((i) => row[i] ?? null),
    };
  }

  private async present(ctx: StepContext, keys: Value[][], tx?: Queryable): Promise<Set<string>> {
    const found = await readRowsByKey(
      tx ?? ctx.destination,
      {
        schema: ctx.destination.schema,
        table: `${ctx.config.options.destPrefix}${this.spec.document}`,
        columns: this.spec.naturalKey,
        types: this.spec.naturalKey.map(() => 'varchar'),
        key: this.spec.naturalKey,
      },
      keys,
    );
    return new Set(found.map((k) => keyText(k)));
  }

  async run(ctx: StepContext): Promise<StepDocumentResult[]> {
    const started = performance.now();
    const document = this.progressDocument;
    let part = await stepPart(ctx.progress, document);
    const result = () => stepDocumentResult(document, this.spec.document, part, started, true);
    if (part.state === 'copied') return result();
    const { columns, good, refused, keyOf } = await this.sourceRows(ctx);
    const table = `${ctx.config.options.destPrefix}${this.spec.document}`;
    // The rows a handler refused ride along so the ledger reads every source row.
    const rows = [...good, ...refused.map((r) => r.values)];
    part = await commitStepChunk(ctx, part, {
      document,
      plan: null,
      table,
      columns,
      rows,
      mark: { document, part: part.part, lastKey: null, done: true, method: 'magento', started },
      write: (tx) => this.writeMissing(ctx, tx, { columns, good, refused, keyOf }),
    });
    return result();
  }

  /** Inserts the good rows whose natural key the destination lacks; refused rows become entries. */
  private async writeMissing(
    ctx: StepContext,
    tx: Queryable,
    { columns, good, refused, keyOf }: Awaited<ReturnType<MissingRowsStep['sourceRows']>>,
  ) {
    const table = `${ctx.config.options.destPrefix}${this.spec.document}`;
    const present = await this.present(ctx, good.map(keyOf), tx);
    const missing = good.filter((r) => !present.has(keyText(keyOf(r))));
    const written = await writeStepRows(ctx, tx, table, columns, missing);
    return {
      // Rows the installer already has count as done, as a merge counts a matched row.
      written: written.written + (good.length - missing.length),
      inserted: written.written,
      refused: written.rejected,
      entries: refused.map((r) => ({
        document: this.progressDocument,
        stage: 'transform' as const,
        table,
        columns: [...columns],
        values: encodeValues(r.values),
        error: r.reason,
        code: 'HANDLER_REJECTED',
      })),
    };
  }

  /** Delta: the source rows still missing in the destination are inserted, in one transaction. */
  private async insertMissing(ctx: StepContext): Promise<StepDeltaResult> {
    const source = await this.sourceRows(ctx);
    let inserted = 0;
    const counts = await new ChunkSink({ destination: ctx.destination, rejected: ctx.rejected }).commit({
      document: this.progressDocument,
      plan: null,
      table: `${ctx.config.options.destPrefix}${this.spec.document}`,
      columns: source.columns,
      rows: source.good,
      write: async (tx) => {
        const outcome = await this.writeMissing(ctx, tx, source);
        inserted = outcome.inserted;
        return outcome;
      },
    });
    return { upserted: inserted, deleted: 0, rejected: counts.rejected };
  }

  /** Every source row's natural key is in the destination (kept or inserted). */
  async verify(ctx: StepContext): Promise<StepCheck[]> {
    const { good, refused, keyOf } = await this.sourceRows(ctx);
    const present = await this.present(ctx, good.map(keyOf));
    const absent = good.filter((r) => !present.has(keyText(keyOf(r))));
    return [
      {
        document: this.spec.document,
        expected: good.length + refused.length,
        actual: good.length - absent.length + refused.length,
        ok: absent.length === 0,
        note:
          `source rows whose ${this.spec.naturalKey.join(', ')} 2.4 has (seeded or inserted), ${refused.length} rejected` +
          (absent[0] ? ` (first absent: ${keyText(keyOf(absent[0]))})` : ''),
      },
    ];
  }

  async reset(ctx: StepContext): Promise<void> {
    // Inserted rows are indistinguishable from the installer's; a reset forgets progress only.
    await ctx.progress.clear([this.progressDocument]);
  }
}

function keyText(key: readonly Value[]): string {
  return JSON.stringify(key.map((v) => (v === null ? null : String(v))));
}

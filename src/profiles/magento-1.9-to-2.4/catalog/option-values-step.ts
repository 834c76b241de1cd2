/**
 * Option values follow their options: a product's value of a select (an option id) or a
 * multiselect (option ids, comma-separated) is copied as 1.9 wrote it, then rewritten here
 * through the `eav_attribute_option` id map, chunk by chunk, each chunk and its progress mark
 * in one transaction (so a resumed run never maps an id twice). The copy cannot do it with
 * `mapId`: whether a value is an option id depends on its attribute, and an int value of
 * `status` must stay 1. An option id the map does not know is left as it is and counted as
 * rejected (the rejected-rows file names the value), never guessed.
 */
import {
  optionBackedAttributeIds,
  readOptionValueChunk,
  rewriteValues,
} from '../../../db/magento-option-values.js';
import type { Step, StepContext, StepDocumentResult } from '../../../engine/step.js';
import { commitStepChunk, stepChunkRows, stepDocumentResult, stepPart } from '../../../engine/step-parts.js';
import type { RejectedEntry } from '../../../steps/data/rejected-log.js';

export class OptionValuesStep implements Step {
  readonly name: string;
  readonly documents: readonly string[] = [];
  /** The map copies the values as 1.9 wrote them; this step maps the option ids (see above). */
  readonly rewrites: readonly string[];

  constructor(
    /** A 2.4 value table, e.g. catalog_product_entity_int. */
    readonly table: string,
    readonly entityTypeCode: string,
  ) {
    this.name = `option values ${table}`;
    this.rewrites = [table];
  }

  get progressDocument(): string {
    return `option-values:${this.table}`;
  }

  async run(ctx: StepContext): Promise<StepDocumentResult[]> {
    const started = performance.now();
    const document = this.progressDocument;
    let part = await stepPart(ctx.progress, document);
    const result = (finished: boolean) => stepDocumentResult(document, this.table, part, started, finished);
    if (part.state === 'copied') return result(true);
    const { schema } = ctx.destination;
    const prefix = ctx.config.options.destPrefix;
    const table = `${prefix}${this.table}`;
    // Which attributes hold option ids is read from 1.9 (an attribute whose 1.9 source model 2.4
    // has no class arrives with none, and would look option-backed there).
    const sourceAttributes = await optionBackedAttributeIds(
      ctx.source,
      ctx.source.schema,
      ctx.config.options.sourcePrefix,
      this.entityTypeCode,
    );
    const attributes = (await ctx.idMaps.lookup('eav_attribute', sourceAttributes)).map(
      (e) => e.destinationId,
    );
    const limit = stepChunkRows(ctx.config.options.bulkSize);
    let last = part.lastKey?.[0] ?? null;
    for (;;) {
      await ctx.throttle?.wait(ctx.stop);
      const chunkStarted = performance.now();
      const rows = await readOptionValueChunk(
        ctx.destination,
        schema,
        table,
        attributes,
        last === null ? null : String(last),
        limit,
      );
      const complete = rows.length < limit;
      const lastKey = rows.at(-1)?.valueId ?? null;
      part = await commitStepChunk(ctx, part, {
        document,
        plan: null,
        table,
        columns: ['value_id', 'value'],
        rows: rows.map((r) => [r.valueId, r.value]),
        mark: {
          document,
          part: part.part,
          lastKey: lastKey === null ? null : [lastKey],
          done: complete,
          method: 'option ids',
          started: chunkStarted,
        },
        write: async (tx) => {
          const ids = rows.flatMap((r) => (r.value === null || r.value === '' ? [] : r.value.split(',')));
          const map = new Map(
            (await ctx.idMaps.lookup('eav_attribute_option', ids, tx)).map((e) => [
              e.sourceId,
              e.destinationId,
            ]),
          );
          const rewritten: Array<{ valueId: string; value: string | null }> = [];
          const refused: Array<Omit<RejectedEntry, 'at'>> = [];
          for (const row of rows) {
            if (row.value === null || row.value === '') continue; // no option: nothing to follow
            const parts = row.value.split(',');
            const mapped = parts.map((p) => map.get(p));
            if (mapped.some((m) => m === undefined)) {
              refused.push({
                document,
                stage: 'transform',
                table,
                columns: ['value_id', 'value'],
                values: [row.valueId, row.value],
                error: `option id(s) ${parts.filter((_, i) => mapped[i] === undefined).join(',')} not in the eav_attribute_option id map; the value is left as 1.9 wrote it`,
                code: 'HANDLER_REJECTED',
              });
              continue;
            }
            rewritten.push({ valueId: row.valueId, value: mapped.join(',') });
          }
          await rewriteValues(tx, schema, table, rewritten);
          // Every row is accounted for: rewritten, refused, or holding no option (left as it is).
          return { written: rows.length - refused.length, entries: refused };
        },
      });
      last = lastKey ?? last;
      if (complete) return result(true);
      if (ctx.stop.requested) return result(false);
    }
  }

  async reset(ctx: StepContext): Promise<void> {
    // The value table itself is emptied by the copy's reset; only this step's mark is forgotten.
    await ctx.progress.clear([this.progressDocument]);
  }
}

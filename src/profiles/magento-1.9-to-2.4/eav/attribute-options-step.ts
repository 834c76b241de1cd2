/**
 * Attribute options and their labels. A 1.9 option becomes 2.4's option of the same attribute
 * with the same admin label when 2.4 has one (2.4's own labels kept), else a new option with
 * all its store labels (store ids through the `store` map). The `eav_attribute_option` id map
 * it fills is what product values of selects and multiselects follow (option-values-step.ts).
 * A merge by natural key cannot do it: the label lives in another table, and neither option
 * ids nor sort orders identify an option. Chunk, id map entries and progress commit together.
 */

import type { IdMapEntry } from '../../../db/id-map-store.js';
import {
  countOptions,
  destinationOptionsByLabel,
  insertOption,
  insertOptionValues,
  optionKey,
  readSourceOptions,
  readSourceOptionValues,
} from '../../../db/magento-options.js';
import type { Step, StepCheck, StepContext, StepDocumentResult } from '../../../engine/step.js';
import { commitStepChunk, stepChunkRows, stepDocumentResult, stepPart } from '../../../engine/step-parts.js';
import type { RejectedEntry } from '../../../steps/data/rejected-log.js';

const MAP = 'eav_attribute_option';
const DOCUMENT = 'eav-options:eav_attribute_option';

export class AttributeOptionsStep implements Step {
  readonly name = 'attribute options';
  readonly documents: readonly string[] = ['eav_attribute_option', 'eav_attribute_option_value'];

  async run(ctx: StepContext): Promise<StepDocumentResult[]> {
    const started = performance.now();
    let part = await stepPart(ctx.progress, DOCUMENT);
    const result = (finished: boolean) =>
      stepDocumentResult(DOCUMENT, 'eav_attribute_option', part, started, finished);
    if (part.state === 'copied') return result(true);
    const source = { schema: ctx.source.schema, prefix: ctx.config.options.sourcePrefix };
    const destination = { schema: ctx.destination.schema, prefix: ctx.config.options.destPrefix };
    const limit = stepChunkRows(ctx.config.options.bulkSize);
    let last = part.lastKey?.[0] ?? null;
    for (;;) {
      await ctx.throttle?.wait(ctx.stop);
      const chunkStarted = performance.now();
      const options = await readSourceOptions(
        ctx.source,
        source.schema,
        source.prefix,
        last === null ? null : String(last),
        limit,
      );
      const values = await readSourceOptionValues(
        ctx.source,
        source.schema,
        source.prefix,
        options.map((o) => o.optionId),
      );
      const complete = options.length < limit;
      const lastKey = options.at(-1)?.optionId ?? null;
      part = await commitStepChunk(ctx, part, {
        document: 'eav_attribute_option',
        plan: null,
        table: `${destination.prefix}eav_attribute_option`,
        columns: ['option_id', 'attribute_id'],
        rows: options.map((o) => [o.optionId, o.attributeId]),
        mark: {
          document: DOCUMENT,
          part: part.part,
          lastKey: lastKey === null ? null : [lastKey],
          done: complete,
          method: 'options by label',
          started: chunkStarted,
        },
        write: async (tx) => {
          const known = new Set(
            (
              await ctx.idMaps.lookup(
                MAP,
                options.map((o) => o.optionId),
                tx,
              )
            ).map((e) => e.sourceId),
          );
          const attributes = new Map(
            (
              await ctx.idMaps.lookup(
                'eav_attribute',
                options.map((o) => o.attributeId),
                tx,
              )
            ).map((e) => [e.sourceId, e.destinationId]),
          );
          const stores = new Map(
            (
              await ctx.idMaps.lookup(
                'store',
                values.map((v) => v.storeId),
                tx,
              )
            ).map((e) => [e.sourceId, e.destinationId]),
          );
          const existing = await destinationOptionsByLabel(tx, destination.schema, destination.prefix, [
            ...new Set(attributes.values()),
          ]);
          const entries: IdMapEntry[] = [];
          let alreadyMapped = 0;
          const rejected: Array<Omit<RejectedEntry, 'at'>> = [];
          const reject = (o: { optionId: string; attributeId: string }, error: string) =>
            rejected.push({
              document: 'eav_attribute_option',
              stage: 'transform',
              table: `${source.prefix}eav_attribute_option`,
              columns: ['option_id', 'attribute_id'],
              values: [o.optionId, o.attributeId],
              error,
              code: 'HANDLER_REJECTED',
            });
          for (const option of options) {
            if (known.has(option.optionId)) {
              alreadyMapped++; // mapped by an earlier run
              continue;
            }
            const attributeId = attributes.get(option.attributeId);
            if (attributeId === undefined) {
              reject(option, `id map eav_attribute has no entry for source id ${option.attributeId}`);
              continue;
            }
            const match = existing.get(optionKey(attributeId, option.label));
            if (match !== undefined && option.label !== null) {
              entries.push({ sourceId: option.optionId, destinationId: match, created: false });
              continue;
            }
            const created = await insertOption(
              tx,
              destination.schema,
              destination.prefix,
              attributeId,
              option.sortOrder,
            );
            const labels = values.filter((v) => v.optionId === option.optionId);
            const unknownStore = labels.find((v) => !stores.has(v.storeId));
            if (unknownStore) {
              throw new Error(
                `option ${option.optionId} has a label on store ${unknownStore.storeId}, which the store id map lacks`,
              );
            }
            await insertOptionValues(
              tx,
              destination.schema,
              destination.prefix,
              labels.map((v) => ({
                optionId: created,
                storeId: stores.get(v.storeId) ?? '',
                value: v.value,
              })),
            );
            existing.set(optionKey(attributeId, option.label), created);
            entries.push({ sourceId: option.optionId, destinationId: created, created: true });
          }
          await ctx.idMaps.record(tx, MAP, entries);
          return { written: entries.length + alreadyMapped, entries: rejected };
        },
      });
      last = lastKey ?? last;
      if (complete) return result(true);
      if (ctx.stop.requested) return result(false);
    }
  }

  async verify(ctx: StepContext): Promise<StepCheck[]> {
    const expected = await countOptions(ctx.source, ctx.source.schema, ctx.config.options.sourcePrefix);
    const { entries, created } = await ctx.idMaps.counts(MAP);
    const rejected = (await ctx.progress.parts(DOCUMENT)).reduce((n, p) => n + p.rowsRejected, 0);
    return [
      {
        document: 'eav_attribute_option',
        expected,
        actual: entries + rejected,
        ok: entries + rejected === expected,
        note: `source options with an id map entry (${entries - created} matched by attribute and admin label, ${created} created with their labels) or rejected (${rejected})`,
      },
    ];
  }

  async reset(ctx: StepContext): Promise<void> {
    // Deleting a created option deletes its labels too (2.4's foreign key cascades).
    await ctx.idMaps.removeCreated(MAP, `${ctx.config.options.destPrefix}eav_attribute_option`, 'option_id');
    await ctx.progress.clear([DOCUMENT]);
  }
}

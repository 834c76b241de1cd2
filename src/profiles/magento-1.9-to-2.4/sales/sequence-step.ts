/**
 * Per-store sales sequences: 2.4 numbers a store's orders, invoices, credit memos and shipments
 * from sequence_<type>_<store_id> tables registered in sales_sequence_meta/_profile, and its
 * installer creates them only for the stores it made. Every destination store gets all four
 * (a second store view could not take an order without them), and each sequence's next value
 * comes after the highest increment id migrated for that store, so new orders continue the
 * 1.9 numbering instead of colliding with it.
 */
import {
  destinationStoreIds,
  ensureSequence,
  highestIncrementIds,
  nextSequenceValue,
  SEQUENCE_SOURCES,
  type SequenceType,
} from '../../../db/magento-sales.js';
import type {
  Step,
  StepChange,
  StepCheck,
  StepContext,
  StepDelta,
  StepDeltaResult,
  StepDocumentResult,
} from '../../../engine/step.js';
import type { Value } from '../../../handlers/contract.js';

const TYPES = Object.keys(SEQUENCE_SOURCES) as SequenceType[];

export class SalesSequenceStep implements Step {
  readonly name = 'magento sales sequences';
  readonly documents = ['sales_sequence_meta', 'sales_sequence_profile'];
  /** Orders, invoices, credit memos and shipments placed during delta move their store's sequence on. */
  readonly delta: StepDelta = {
    sources: TYPES.map((type) => ({ table: SEQUENCE_SOURCES[type], columns: ['entity_id'] })),
    apply: (ctx, changes) => this.continueSequences(ctx, changes),
  };

  /** Destination store id -> the highest migrated increment number of `type` there. */
  private async highest(
    ctx: StepContext,
    type: SequenceType,
    entityIds?: readonly Value[],
  ): Promise<Map<string, bigint>> {
    const bySource = await highestIncrementIds(ctx.source, ctx.config.options.sourcePrefix, type, entityIds);
    const entries = await ctx.idMaps.lookup('store', [...bySource.keys()]);
    const byDestination = new Map<string, bigint>();
    for (const entry of entries) {
      const value = bySource.get(entry.sourceId) ?? 0n;
      const known = byDestination.get(entry.destinationId) ?? 0n;
      byDestination.set(entry.destinationId, value > known ? value : known);
    }
    return byDestination;
  }

  async run(ctx: StepContext): Promise<StepDocumentResult[]> {
    const started = performance.now();
    const prefix = ctx.config.options.destPrefix;
    const stores = await destinationStoreIds(ctx.destination, prefix);
    let sequences = 0;
    for (const type of TYPES) {
      const highest = await this.highest(ctx, type);
      for (const store of stores) {
        await ensureSequence(ctx.destination, prefix, type, store, highest.get(store) ?? 0n);
        sequences++;
      }
    }
    ctx.onRows('sales_sequence_meta', sequences);
    return [
      {
        document: 'magento:sales sequences',
        destination: 'sales_sequence_meta',
        rows: sequences,
        rejected: 0,
        seconds: (performance.now() - started) / 1000,
        finished: true,
      },
    ];
  }

  /**
   * Delta: the documents of each type that were added or changed are read by id, and each
   * store's sequence is raised past the highest increment id among them (never lowered: the
   * documents before them were covered by the run or an earlier batch). Reading by id keeps a
   * batch from scanning every order of a store.
   */
  private async continueSequences(
    ctx: StepContext,
    changes: readonly StepChange[],
  ): Promise<StepDeltaResult> {
    const prefix = ctx.config.options.destPrefix;
    let raised = 0;
    for (const type of TYPES) {
      const ids = new Map<string, Value>();
      for (const change of changes) {
        const id = change.values.entity_id;
        if (change.table === SEQUENCE_SOURCES[type] && change.op !== 'D' && id != null)
          ids.set(String(id), id);
      }
      if (ids.size === 0) continue;
      const highest = await this.highest(ctx, type, [...ids.values()]);
      for (const [store, value] of highest) {
        await ensureSequence(ctx.destination, prefix, type, store, value);
        raised++;
      }
    }
    return { upserted: raised, deleted: 0, rejected: 0 };
  }

  /** Every store has its four sequences, each continuing after the store's highest migrated id. */
  async verify(ctx: StepContext): Promise<StepCheck[]> {
    const prefix = ctx.config.options.destPrefix;
    const stores = await destinationStoreIds(ctx.destination, prefix);
    let right = 0;
    let first: string | undefined;
    for (const type of TYPES) {
      const highest = await this.highest(ctx, type);
      for (const store of stores) {
        const table = `sequence_${type}_${store}`;
        let next: bigint | undefined;
        try {
          next = await nextSequenceValue(ctx.destination, prefix, table);
        } catch {
          next = undefined;
        }
        const after = highest.get(store) ?? 0n;
        if (next !== undefined && next > after) right++;
        else
          first ??= `${table}: ${next === undefined ? 'missing' : `next ${next}`}, highest migrated ${after}`;
      }
    }
    const expected = stores.length * TYPES.length;
    return [
      {
        document: 'sales sequences',
        expected,
        actual: right,
        ok: right === expected,
        note: `store sequences continuing after the highest migrated increment id${first ? ` (first wrong: ${first})` : ''}`,
      },
    ];
  }
}

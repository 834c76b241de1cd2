/**
 * Verification by natural key (issue 15, "a mismatch names the entity and the attribute"):
 * every product's every attribute value, compared as (sku, attribute code, store code) -> value
 * between 1.9 and 2.4, and every value of the categories the tool created as (path, attribute
 * code, store code). Ids play no part, so a value written on the wrong attribute, store or
 * product shows up even when every count matches. The root categories 2.4's installer made keep
 * 2.4's values (the merge keeps them) and are not compared. Read a range of ids at a time.
 */
import {
  type EntityValue,
  maxEntityId,
  optionBackedAttributeCodes,
  readEntityValues,
  VALUE_TYPES,
  type ValueTables,
} from '../../../db/magento-catalog-values.js';
import type { Step, StepCheck, StepContext } from '../../../engine/step.js';

/** Entity ids compared per read. */
const RANGE = 500;
/** Mismatches named in a check's note. */
const NAMED = 3;

export class CatalogValuesCheck implements Step {
  readonly name = 'catalog values by natural key';
  readonly documents: readonly string[] = [];

  async run() {
    return [];
  }

  async verify(ctx: StepContext): Promise<StepCheck[]> {
    const source: ValueTables = {
      schema: ctx.source.schema,
      prefix: ctx.config.options.sourcePrefix,
      storeTable: 'core_store',
    };
    const destination: ValueTables = {
      schema: ctx.destination.schema,
      prefix: ctx.config.options.destPrefix,
      storeTable: 'store',
    };
    const checks: StepCheck[] = [];
    for (const kind of ['product', 'category'] as const) {
      const last = await maxEntityId(ctx.source, source, kind);
      // Option-backed as 1.9 defines them, read as labels on both sides.
      const optionCodes = await optionBackedAttributeCodes(ctx.source, source, `catalog_${kind}`);
      for (const type of VALUE_TYPES) {
        let expected = 0;
        let equal = 0;
        const named: string[] = [];
        for (let after = 0; after < last; after += RANGE) {
          let ids: string[] | undefined;
          if (kind === 'category') {
            ids = await this.createdCategories(ctx, after, after + RANGE);
            if (ids.length === 0) continue;
          }
          const before = await readEntityValues(
            ctx.source,
            source,
            kind,
            type,
            after,
            after + RANGE,
            optionCodes,
            ids,
          );
          const now = byKey(
            await readEntityValues(
              ctx.destination,
              destination,
              kind,
              type,
              after,
              after + RANGE,
              optionCodes,
              ids,
            ),
          );
          expected += before.length;
          for (const value of before) {
            const found = now.get(key(value));
            if (found !== undefined && found.value === value.value) equal++;
            else if (named.length < NAMED) named.push(mismatch(kind, value, found));
          }
        }
        const ok = equal === expected;
        checks.push({
          document: `catalog_${kind}_entity_${type}`,
          expected,
          actual: equal,
          ok,
          note: ok
            ? `values equal by ${kind === 'product' ? 'sku' : 'path'}, attribute code and store code${kind === 'category' ? ' (categories the tool created)' : ''}`
            : `values differ: ${named.join('; ')}${expected - equal > named.length ? '; ...' : ''}`,
        });
      }
    }
    return checks;
  }

  /** Source category ids in (after, upTo] whose 2.4 row the tool created (not 2.4's own roots). */
  private async createdCategories(ctx: StepContext, after: number, upTo: number): Promise<string[]> {
    const ids = Array.from({ length: upTo - after }, (_, i) => String(after + i + 1));
    const entries = await ctx.idMaps.lookup('catalog_category_entity', ids);
    return entries.filter((e) => e.created).map((e) => e.sourceId);
  }
}

function key(v: EntityValue): string {
  return JSON.stringify([v.entity.toLowerCase(), v.attribute, v.store]);
}

function byKey(values: readonly EntityValue[]): Map<string, EntityValue> {
  return new Map(values.map((v) => [key(v), v]));
}

function mismatch(kind: 'product' | 'category', value: EntityValue, found: EntityValue | undefined): string {
  const entity = `${kind === 'product' ? 'sku' : 'category'} ${value.entity} attribute ${value.attribute} store ${value.store}`;
  return found === undefined
    ? `${entity}: missing in 2.4 (1.9 has ${JSON.stringify(value.value)})`
    : `${entity}: 1.9 ${JSON.stringify(value.value)}, 2.4 ${JSON.stringify(found.value)}`;
}

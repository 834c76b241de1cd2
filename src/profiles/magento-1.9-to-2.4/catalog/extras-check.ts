/**
 * Verification by natural key of the catalog's extras (media gallery, tier and group prices,
 * custom options, bundle option titles and selection prices): each row of 1.9 as (sku, store
 * code, website code, group code, file...) -> value against 2.4's, so a price on the wrong
 * website or group, an image on the wrong product or store, shows up even when every count
 * and every id matches. A mismatch names the product and what differs. The orphan check on
 * 2.4's foreign keys is the select steps' own and `migrate check`'s.
 */
import {
  EXTRAS_KINDS,
  type ExtrasSide,
  type KeyedValue,
  maxProductId,
  readExtras,
} from '../../../db/magento-catalog-extras-keys.js';
import type { Step, StepCheck, StepContext } from '../../../engine/step.js';

/** Product ids compared per read. */
const RANGE = 1000;
/** Mismatches named in a check's note. */
const NAMED = 3;

export class CatalogExtrasCheck implements Step {
  readonly name = 'catalog extras by natural key';
  readonly documents: readonly string[] = [];

  async run() {
    return [];
  }

  async verify(ctx: StepContext): Promise<StepCheck[]> {
    const source: ExtrasSide = {
      schema: ctx.source.schema,
      prefix: ctx.config.options.sourcePrefix,
      version: '1.9',
    };
    const destination: ExtrasSide = {
      schema: ctx.destination.schema,
      prefix: ctx.config.options.destPrefix,
      version: '2.4',
    };
    const last = await maxProductId(ctx.source, source);
    const checks: StepCheck[] = [];
    for (const kind of EXTRAS_KINDS) {
      let expected = 0;
      let equal = 0;
      const named: string[] = [];
      for (let after = 0; after < last; after += RANGE) {
        // Sorted as the destination's values are, so a repeated key pairs its values in order.
        const before = (await readExtras(ctx.source, source, kind, after, after + RANGE)).sort(
          (a, b) => compare(a.key, b.key) || compare(a.value, b.value),
        );
        const now = byKey(await readExtras(ctx.destination, destination, kind, after, after + RANGE));
        expected += before.length;
        for (const row of before) {
          const found = now.get(row.key);
          if (found?.[0] === row.value) {
            found.shift();
            equal++;
          } else if (named.length < NAMED) named.push(mismatch(row, found));
        }
      }
      const ok = equal === expected;
      checks.push({
        document: `${kind} (by natural key)`,
        expected,
        actual: equal,
        ok,
        note: ok
          ? 'rows equal by sku, store, website, group and attribute codes'
          : `rows differ: ${named.join('; ')}${expected - equal > named.length ? '; ...' : ''}`,
      });
    }
    return checks;
  }
}

/** The destination's values by key (a key can repeat: two images of one file on one product). */
function byKey(rows: readonly KeyedValue[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const row of rows) {
    const list = map.get(row.key);
    if (list) list.push(row.value);
    else map.set(row.key, [row.value]);
  }
  for (const list of map.values()) list.sort(compare);
  return map;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function mismatch(row: KeyedValue, found: string[] | undefined): string {
  return found === undefined || found.length === 0
    ? `${row.key}: missing in 2.4 (1.9 has ${JSON.stringify(row.value)})`
    : `${row.key}: 1.9 ${JSON.stringify(row.value)}, 2.4 ${JSON.stringify(found[0])}`;
}

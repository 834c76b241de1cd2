/**
 * Defaults of the websites and store groups the tool created: a website's default group and a
 * group's default store view point at rows merged in the same run (a cycle: websites before
 * groups before views), so the map writes 0 and this step sets them through the id maps once
 * all three are merged. Rows 2.4's installer made (admin, base) keep their own. Setting a value
 * it already has changes nothing, so a rerun or a resumed run is harmless. A website without its
 * default group cannot take orders in 2.4.
 */
import { readDefaults, writeDefault } from '../../../db/magento-store-defaults.js';
import type { Step, StepCheck, StepContext, StepDocumentResult } from '../../../engine/step.js';

const LINKS = [
  {
    source: 'core_website',
    table: 'store_website',
    id: 'website_id',
    column: 'default_group_id',
    of: 'store_website',
    to: 'store_group',
  },
  {
    source: 'core_store_group',
    table: 'store_group',
    id: 'group_id',
    column: 'default_store_id',
    of: 'store_group',
    to: 'store',
  },
] as const;

export class StoreDefaultsStep implements Step {
  readonly name = 'store defaults';
  readonly documents: readonly string[] = [];

  /** The 2.4 (row id, default id) each created row must get. */
  private async wanted(ctx: StepContext, link: (typeof LINKS)[number]) {
    const rows = await readDefaults(
      ctx.source,
      ctx.source.schema,
      `${ctx.config.options.sourcePrefix}${link.source}`,
      link.id,
      link.column,
    );
    const own = new Map(
      (
        await ctx.idMaps.lookup(
          link.of,
          rows.map((r) => r.id),
        )
      ).map((e) => [e.sourceId, e]),
    );
    const targets = new Map(
      (
        await ctx.idMaps.lookup(
          link.to,
          rows.map((r) => r.defaultId),
        )
      ).map((e) => [e.sourceId, e.destinationId]),
    );
    return rows.flatMap((r) => {
      const entry = own.get(r.id);
      if (!entry?.created) return [];
      return [{ sourceId: r.id, id: entry.destinationId, defaultId: targets.get(r.defaultId) }];
    });
  }

  async run(ctx: StepContext): Promise<StepDocumentResult[]> {
    const started = performance.now();
    let changed = 0;
    for (const link of LINKS) {
      const wanted = await this.wanted(ctx, link);
      await ctx.destination.transaction(async (tx) => {
        for (const w of wanted) {
          if (w.defaultId === undefined) continue; // reported by verify
          changed += await writeDefault(
            tx,
            ctx.destination.schema,
            `${ctx.config.options.destPrefix}${link.table}`,
            link.id,
            link.column,
            w.id,
            w.defaultId,
          );
        }
      });
    }
    return [
      {
        document: 'store defaults',
        destination: 'store_website, store_group',
        rows: changed,
        rejected: 0,
        seconds: (performance.now() - started) / 1000,
        finished: true,
      },
    ];
  }

  async verify(ctx: StepContext): Promise<StepCheck[]> {
    const checks: StepCheck[] = [];
    for (const link of LINKS) {
      const wanted = await this.wanted(ctx, link);
      const actual = new Map(
        (
          await readDefaults(
            ctx.destination,
            ctx.destination.schema,
            `${ctx.config.options.destPrefix}${link.table}`,
            link.id,
            link.column,
          )
        ).map((r) => [r.id, r.defaultId]),
      );
      const wrong = wanted.filter((w) => w.defaultId === undefined || actual.get(w.id) !== w.defaultId);
      checks.push({
        document: `${link.table}.${link.column}`,
        expected: wanted.length,
        actual: wanted.length - wrong.length,
        ok: wrong.length === 0,
        note:
          wrong.length === 0
            ? `created rows point at their 1.9 default through the ${link.to} id map`
            : `wrong default for 1.9 ${link.id} ${wrong.map((w) => w.sourceId).join(', ')}`,
      });
    }
    return checks;
  }
}

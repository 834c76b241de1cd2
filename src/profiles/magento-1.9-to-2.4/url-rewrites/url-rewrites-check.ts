/**
 * Verification of the URL rewrites by natural key: every 1.9 rewrite's request path on its
 * store code must lead in 2.4 to the same target, with the same redirect, to the same entity.
 * Rewrite ids are kept, so both sides are read by the same id range; a mismatch names the
 * request path and store.
 */
import { maxRewriteId, type RewriteByPath, readRewrites } from '../../../db/magento-url-rewrites.js';
import type { Step, StepCheck, StepContext } from '../../../engine/step.js';

const RANGE = 2000;
const NAMED = 3;

export class UrlRewritesCheck implements Step {
  readonly name = 'url rewrites by request path';
  readonly documents: readonly string[] = [];

  async run() {
    return [];
  }

  async verify(ctx: StepContext): Promise<StepCheck[]> {
    const { sourcePrefix, destPrefix } = ctx.config.options;
    const last = await maxRewriteId(ctx.source, ctx.source.schema, `${sourcePrefix}core_url_rewrite`);
    const key = (r: RewriteByPath) => JSON.stringify([r.requestPath.toLowerCase(), r.store]);
    let expected = 0;
    let equal = 0;
    const named: string[] = [];
    for (let after = 0; after < last; after += RANGE) {
      const before = await readRewrites(
        ctx.source,
        { schema: ctx.source.schema, prefix: sourcePrefix, version: '1.9' },
        after,
        after + RANGE,
      );
      const now = new Map(
        (
          await readRewrites(
            ctx.destination,
            { schema: ctx.destination.schema, prefix: destPrefix, version: '2.4' },
            after,
            after + RANGE,
          )
        ).map((r) => [key(r), r]),
      );
      expected += before.length;
      for (const rewrite of before) {
        const found = now.get(key(rewrite));
        if (found?.leadsTo === rewrite.leadsTo) equal++;
        else if (named.length < NAMED)
          named.push(
            `${rewrite.requestPath} on ${rewrite.store}: 1.9 ${rewrite.leadsTo}, 2.4 ${found ? found.leadsTo : 'missing'}`,
          );
      }
    }
    const ok = equal === expected;
    return [
      {
        document: 'url_rewrite (by request path)',
        expected,
        actual: equal,
        ok,
        note: ok
          ? 'every 1.9 request path and store leads to the same target, redirect and entity'
          : `rewrites differ: ${named.join('; ')}${expected - equal > named.length ? '; ...' : ''}`,
      },
    ];
  }
}

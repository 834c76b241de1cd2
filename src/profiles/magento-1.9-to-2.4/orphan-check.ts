/**
 * The orphan rows of the destination's foreign keys from some tables to their parents, as one
 * step check. The profile's steps write with foreign key checks off, and `migrate check` verifies
 * only the map's documents' keys, so each step proves here that none of its rows points at nothing.
 */
import { readForeignKeys } from '../../db/foreign-keys.js';
import { findOrphanRows } from '../../db/orphan-rows.js';
import type { StepCheck, StepContext } from '../../engine/step.js';

/** `tables` are destination table names (dest_prefix included); `document` names the check. */
export async function orphanCheck(
  ctx: StepContext,
  tables: readonly string[],
  document: string,
): Promise<StepCheck> {
  const wanted = new Set(tables);
  const keys = (await readForeignKeys(ctx.destination, ctx.destination.schema)).filter((k) =>
    wanted.has(k.table),
  );
  let orphans = 0;
  const violated: string[] = [];
  for (const key of keys) {
    const found = await findOrphanRows(ctx.destination, key, 0);
    orphans += found.count;
    const table = wanted.size > 1 ? `${key.table}.` : '';
    if (found.count > 0)
      violated.push(`${table}${key.columns.join(', ')} -> ${key.parentTable}: ${found.count}`);
  }
  return {
    document,
    expected: 0,
    actual: orphans,
    ok: orphans === 0,
    note:
      `orphan rows in ${keys.length} foreign keys to parents` +
      (violated.length > 0 ? ` (${violated.join('; ')})` : ''),
  };
}

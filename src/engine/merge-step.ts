/**
 * Merge into a seeded destination: a destination document the new platform's installer already
 * filled (attributes, stores, root categories) is merged by natural key instead of refused.
 *
 * Rules, per source row (after the map's handlers, so the natural key is compared in the
 * destination's shape; a key column can itself go through `mapId`, which is how a natural key
 * refers to another id map):
 * - a destination row with the same natural key (compared as the table's collation would, case
 *   aside) exists: the source id is mapped to it; that row is kept as it is, not overwritten;
 * - none exists: the row is inserted without its id column, the destination gives it a new id,
 *   and the entry is flagged `created`; several source rows with one natural key become one
 *   destination row (the first in key order is the one written);
 * - destination rows no source row matches are kept;
 * - `--reset` deletes only the rows flagged `created`, then forgets the map.
 * Keeping ids (`destination.documents.keepIds`): the natural key is the destination's own
 * one-column primary key, filled by the map (possibly through `mapId`), and a missing row is
 * inserted with it: for tables whose id is not generated (catalog_eav_attribute's attribute_id)
 * or whose ids other rows spell out (a category's path holds its ancestors' ids).
 * The map is named after the destination document, and is kept in the id map table.
 */
import type { Queryable } from '../db/database.js';
import { type IdMapEntry, rowsByNaturalKey } from '../db/id-map-store.js';
import { countTable, readTableChunk } from '../db/keyed-chunk.js';
import { writeRows } from '../db/row-writer.js';
import type { Value } from '../handlers/contract.js';
import type { DocumentPlan } from '../mappings/plan.js';
import type { Problem } from '../mappings/problems.js';
import { encodeValues, type RejectedEntry, refusedEntries } from '../steps/data/rejected-log.js';
import { transformRow } from '../steps/data/transform-row.js';
import { chunkLookups, idMapsNeeded } from './id-map.js';
import type { Step, StepCheck, StepContext, StepDocumentResult, StepIntegrityContext } from './step.js';
import { commitStepChunk, stepChunkRows, stepDocumentResult, stepPart } from './step-parts.js';

export class MergeStep implements Step {
  readonly name: string;
  readonly documents: readonly string[];

  constructor(
    /** The destination document merged; also the id map's name. */
    readonly document: string,
    readonly naturalKey: readonly string[],
    /** Rows keep their id: the natural key is the destination's primary key (see above). */
    readonly keepIds = false,
  ) {
    this.name = `merge ${document}`;
    // The map's plan fills it; the step only changes how. Nothing to claim from the resolver.
    this.documents = [];
  }

  /** The map's plan for this document; undefined when the map does not fill it. */
  planOf(plans: readonly DocumentPlan[]): DocumentPlan | undefined {
    return plans.find((p) => p.destinationDocument === this.document);
  }

  /** The destination column the source id arrives in (untransformed, unless ids are kept). */
  private idColumn(plan: DocumentPlan): string | undefined {
    if (this.keepIds) return this.naturalKey.length === 1 ? this.naturalKey[0] : undefined;
    const sourceId = plan.key?.length === 1 ? plan.key[0] : undefined;
    return plan.columns.find((c) => c.source === sourceId)?.destination;
  }

  async integrity(ctx: StepIntegrityContext): Promise<Problem[]> {
    const problem = (message: string, fix: string): Problem[] => [
      { severity: 'error', code: 'MERGE_INVALID', document: this.document, message, fix },
    ];
    const plan = this.planOf(ctx.plans);
    if (!plan) {
      return problem(
        `destination.documents.merge names ${this.document}, which no source document is mapped to`,
        'map a source document to it (source.documents.rename), or remove it from destination.documents.merge',
      );
    }
    const idColumn = this.idColumn(plan);
    const table = ctx.destinationSchema.get(plan.destinationTable);
    const idInfo = table?.columns.find((c) => c.name === idColumn);
    if (this.keepIds) {
      const filled = plan.columns.some((c) => c.destination === idColumn);
      if (!idColumn || plan.key?.length !== 1 || !filled || table?.primaryKey.join() !== idColumn) {
        return problem(
          `${this.document} cannot be merged keeping ids: its natural key must be its one-column primary key, filled by the map from the source's one-column key`,
          `give destination.documents.merge.${this.document} the destination's primary key column, or remove ${this.document} from destination.documents.keepIds`,
        );
      }
      return [];
    }
    if (!idColumn || !idInfo?.autoIncrement || table?.primaryKey.join() !== idColumn) {
      return problem(
        `${this.document} cannot be merged: the source's one-column primary key must arrive untransformed in the destination's auto-increment primary key`,
        `map the source id column of ${plan.document} to the destination's id column, or copy ${this.document} without merge`,
      );
    }
    const written = new Set(plan.columns.map((c) => c.destination));
    const missing = this.naturalKey.filter((k) => !written.has(k) || k === idColumn);
    if (missing.length > 0) {
      return problem(
        `the natural key of ${this.document} names ${missing.join(', ')}, which the map does not fill (or is the id)`,
        `use destination columns the map fills in destination.documents.merge.${this.document}`,
      );
    }
    return [];
  }

  async run(ctx: StepContext): Promise<StepDocumentResult[]> {
    const plan = this.planOf(ctx.plans);
    const idColumn = plan && this.idColumn(plan);
    const key = plan?.key;
    if (!plan || !idColumn || !key) throw new Error(`${this.name}: its integrity check was not passed`);
    const started = performance.now();
    let part = await stepPart(ctx.progress, plan.document);
    const result = (finished: boolean) =>
      stepDocumentResult(plan.document, this.document, part, started, finished);
    if (part.state === 'copied') return result(true);
    const limit = stepChunkRows(ctx.config.options.bulkSize);
    const keyIndex = plan.sourceColumns.indexOf(key[0] ?? '');
    const insertColumns = plan.columns
      .map((c) => c.destination)
      .filter((c) => this.keepIds || c !== idColumn);
    const insertIndexes = insertColumns.map((c) => plan.columns.findIndex((m) => m.destination === c));
    const naturalIndexes = this.naturalKey.map((k) => plan.columns.findIndex((m) => m.destination === k));
    let last = part.lastKey;
    for (;;) {
      await ctx.throttle?.wait(ctx.stop);
      const chunkStarted = performance.now();
      const rows = await readTableChunk(
        ctx.source,
        ctx.source.schema,
        { name: plan.sourceTable, columns: plan.sourceColumns, types: plan.sourceTypes, key },
        last,
        limit,
      );
      const complete = rows.length < limit;
      const lastRow = rows.at(-1);
      const lastKey = lastRow ? [lastRow[keyIndex] ?? null] : null;
      part = await commitStepChunk(
        ctx,
        plan.document,
        part,
        { lastKey, done: complete, method: 'merge', started: chunkStarted },
        async (tx) => {
          const lookups = await chunkLookups(ctx.idMaps, plan, rows, tx);
          const sourceIds = rows.map((row) => text(row[keyIndex] ?? null));
          const known = new Set(
            (await ctx.idMaps.lookup(this.document, sourceIds, tx)).map((e) => e.sourceId),
          );
          const at = new Date().toISOString();
          const rejected: RejectedEntry[] = [];
          const fresh: Array<{ sourceId: string; values: Value[]; natural: Value[] }> = [];
          for (const [i, row] of rows.entries()) {
            const sourceId = sourceIds[i] ?? '';
            if (known.has(sourceId)) continue; // mapped by an earlier run: same id, nothing to write
            const transformed = transformRow(plan, row, lookups);
            if (!transformed.ok) {
              rejected.push(rejectedEntry(plan, row, transformed.reason, transformed.code, at));
              continue;
            }
            const values = transformed.values;
            fresh.push({ sourceId, values, natural: naturalIndexes.map((n) => values[n] ?? null) });
          }
          const entries: IdMapEntry[] = [];
          const existing = await this.destinationIds(
            ctx,
            tx,
            plan,
            idColumn,
            fresh.map((f) => f.natural),
          );
          const toInsert = new Map<string, Array<(typeof fresh)[number]>>();
          for (const row of fresh) {
            const natural = naturalKeyText(row.natural);
            const destinationId = existing.get(natural);
            if (destinationId !== undefined) {
              entries.push({ sourceId: row.sourceId, destinationId, created: false });
            } else {
              toInsert.set(natural, [...(toInsert.get(natural) ?? []), row]);
            }
          }
          const firsts = [...toInsert.values()].map((group) => group[0]).filter((r) => r !== undefined);
          if (firsts.length > 0) {
            const written = await writeRows(
              tx,
              firsts.map((r) => insertIndexes.map((n) => r.values[n] ?? null)),
              {
                table: plan.destinationTable,
                columns: insertColumns,
                maxAllowedPacket: ctx.maxAllowedPacket,
                useLoadData: false,
              },
            );
            rejected.push(
              ...refusedEntries(plan.document, plan.destinationTable, insertColumns, written.rejected, at),
            );
            const created = await this.destinationIds(
              ctx,
              tx,
              plan,
              idColumn,
              firsts.map((r) => r.natural),
            );
            for (const [natural, group] of toInsert) {
              const destinationId = created.get(natural);
              if (destinationId === undefined) continue; // refused by the destination: in the rejected-rows file
              for (const [n, row] of group.entries())
                entries.push({ sourceId: row.sourceId, destinationId, created: n === 0 });
            }
          }
          await ctx.idMaps.record(tx, this.document, entries);
          ctx.rejected.append(rejected);
          // The ledger counts rows this chunk accounted for; rows an earlier run mapped were counted then.
          return {
            read: entries.length + rejected.length,
            copied: entries.length,
            rejected: rejected.length,
          };
        },
      );
      last = lastKey ?? last;
      if (complete) return result(true);
      if (ctx.stop.requested) return result(false);
    }
  }

  /** Destination ids by natural key (as text) for the given natural keys: one query. */
  private async destinationIds(
    ctx: StepContext,
    tx: Queryable,
    plan: DocumentPlan,
    idColumn: string,
    keys: readonly Value[][],
  ): Promise<Map<string, string>> {
    const complete = keys.filter((k) => k.every((v) => v !== null));
    const rows = await rowsByNaturalKey(
      tx,
      ctx.destination.schema,
      plan.destinationTable,
      idColumn,
      this.naturalKey,
      complete,
    );
    return new Map(rows.map((row) => [naturalKeyText(row.slice(1)), text(row[0] ?? null)]));
  }

  async verify(ctx: StepContext): Promise<StepCheck[]> {
    const plan = this.planOf(ctx.plans);
    if (!plan) return [];
    const expected = await countTable(ctx.source, ctx.source.schema, plan.sourceTable);
    const { entries, created } = await ctx.idMaps.counts(this.document);
    const rejected = (await ctx.progress.parts(plan.document)).reduce((n, p) => n + p.rowsRejected, 0);
    return [
      {
        document: this.document,
        expected,
        actual: entries + rejected,
        ok: entries + rejected === expected,
        note: `source rows with an id map entry (${entries - created} matched, ${created} created) or rejected (${rejected})`,
      },
    ];
  }

  async reset(ctx: StepContext): Promise<void> {
    const plan = this.planOf(ctx.plans);
    const idColumn = plan && this.idColumn(plan);
    if (!plan || !idColumn) return;
    const removed = await ctx.idMaps.removeCreated(this.document, plan.destinationTable, idColumn);
    await ctx.progress.clear([plan.document]);
    ctx.log.info(
      `reset: ${removed} rows the tool created in ${plan.destinationTable} removed; seeded rows kept`,
    );
  }

  /** True when this merge must wait for the merge filling `map` (its handlers look ids up there). */
  dependsOn(plans: readonly DocumentPlan[], map: string): boolean {
    const plan = this.planOf(plans);
    return plan !== undefined && idMapsNeeded(plan).includes(map);
  }
}

/** Merge steps in an order where every id map a merge's handlers use is filled before it. */
export function orderMerges(merges: readonly MergeStep[], plans: readonly DocumentPlan[]): MergeStep[] {
  const ordered: MergeStep[] = [];
  const left = [...merges];
  while (left.length > 0) {
    const ready = left.findIndex((m) => !left.some((o) => o !== m && m.dependsOn(plans, o.document)));
    const [next] = left.splice(ready < 0 ? 0 : ready, 1); // a cycle: keep the map's order
    if (next) ordered.push(next);
  }
  return ordered;
}

function text(value: Value): string {
  return value === null ? '' : Buffer.isBuffer(value) ? value.toString('utf8') : value;
}

/** A natural key as one string, case folded as the usual case-insensitive collations compare. */
function naturalKeyText(values: readonly Value[]): string {
  return JSON.stringify(values.map((v) => (v === null ? null : text(v).toLowerCase())));
}

function rejectedEntry(
  plan: DocumentPlan,
  row: readonly Value[],
  reason: string,
  code: string | undefined,
  at: string,
): RejectedEntry {
  return {
    document: plan.document,
    stage: 'transform',
    table: plan.sourceTable,
    columns: plan.sourceColumns,
    values: encodeValues(row),
    error: reason,
    code: code ?? 'HANDLER_REJECTED',
    at,
  };
}

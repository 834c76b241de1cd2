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
 * or whose ids other rows spell out (a category's path holds its ancestors' ids). The id map
 * entry is then keyed by the id the row keeps (the map serves `--reset` and the checks; nothing
 * looks ids up in it).
 * The map is named after the destination document, and is kept in the id map table.
 */
import type { Queryable } from '../db/database.js';
import { type IdMapEntry, rowsByNaturalKey } from '../db/id-map-store.js';
import { countTable, readTableChunk } from '../db/keyed-chunk.js';
import { type RejectedRow, writeRows } from '../db/row-writer.js';
import type { Value } from '../handlers/contract.js';
import type { DocumentPlan } from '../mappings/plan.js';
import type { Problem } from '../mappings/problems.js';
import { encodeValues, type RejectedEntry } from '../steps/data/rejected-log.js';
import type { ChunkWriteOutcome } from './chunk-sink.js';
import { idMapsNeeded } from './id-map.js';
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
      // Rows an earlier run mapped keep their id and are not written or counted again.
      const known = new Set(
        (
          await ctx.idMaps.lookup(
            this.document,
            rows.map((row) => text(row[keyIndex] ?? null)),
          )
        ).map((e) => e.sourceId),
      );
      // Keeping ids, entries are keyed by the id the row keeps (see mergeRows), not the source's.
      const fresh =
        known.size && !this.keepIds ? rows.filter((row) => !known.has(text(row[keyIndex] ?? null))) : rows;
      part = await commitStepChunk(ctx, part, {
        document: plan.document,
        plan,
        table: plan.destinationTable,
        columns: plan.columns.map((c) => c.destination),
        rows: fresh,
        mark: {
          document: plan.document,
          part: part.part,
          lastKey,
          done: complete,
          method: 'merge',
          started: chunkStarted,
        },
        write: (tx, values) => this.mergeRows(ctx, tx, plan, idColumn, values),
      });
      last = lastKey ?? last;
      if (complete) return result(true);
      if (ctx.stop.requested) return result(false);
    }
  }

  /**
   * Matches or inserts transformed rows (destination-shaped; the source id arrives untransformed
   * in `idColumn`) and records their id map entries, in the chunk's transaction. Every row is
   * accounted for: mapped (written), refused by the destination, or refused here.
   */
  private async mergeRows(
    ctx: StepContext,
    tx: Queryable,
    plan: DocumentPlan,
    idColumn: string,
    values: readonly Value[][],
  ): Promise<ChunkWriteOutcome> {
    const columns = plan.columns.map((c) => c.destination);
    const idIndex = columns.indexOf(idColumn);
    const insertColumns = columns.filter((c) => this.keepIds || c !== idColumn);
    const insertIndexes = insertColumns.map((c) => columns.indexOf(c));
    const naturalIndexes = this.naturalKey.map((k) => columns.indexOf(k));
    const unmatched: Array<Omit<RejectedEntry, 'at'>> = [];
    const unmatchable = (row: readonly Value[], error: string, code: string) =>
      unmatched.push({
        document: plan.document,
        stage: 'write',
        table: plan.destinationTable,
        columns,
        values: encodeValues(row),
        key: encodeValues([row[idIndex] ?? null]),
        error,
        code,
      });
    const fresh: Array<{ sourceId: string; values: readonly Value[]; natural: Value[] }> = [];
    for (const row of values) {
      const natural = naturalIndexes.map((n) => row[n] ?? null);
      if (natural.some((v) => v === null)) {
        // A NULL natural key matches nothing, and the row written could never be found again.
        unmatchable(
          row,
          `natural key (${this.naturalKey.join(', ')}) holds NULL: cannot be merged`,
          'MERGE_KEY_NULL',
        );
        continue;
      }
      fresh.push({ sourceId: text(row[idIndex] ?? null), values: row, natural });
    }
    const entries: IdMapEntry[] = [];
    let alreadyMapped = 0;
    if (this.keepIds && fresh.length > 0) {
      // Keeping ids, the id column may arrive through mapId: the entry is then keyed by the id the
      // row keeps, which run()'s check by source id cannot see. Such a row is mapped already.
      const recorded = new Set(
        (
          await ctx.idMaps.lookup(
            this.document,
            fresh.map((f) => f.sourceId),
            tx,
          )
        ).map((e) => e.sourceId),
      );
      const unrecorded = fresh.filter((f) => !recorded.has(f.sourceId));
      alreadyMapped = fresh.length - unrecorded.length;
      fresh.splice(0, fresh.length, ...unrecorded);
    }
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
    let refused: RejectedRow[] = [];
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
      refused = written.rejected;
      const created = await this.destinationIds(
        ctx,
        tx,
        plan,
        idColumn,
        firsts.map((r) => r.natural),
      );
      for (const [natural, group] of toInsert) {
        const destinationId = created.get(natural);
        if (destinationId === undefined) {
          // The first row was refused (in the rejected-rows file); the others had nothing to map to.
          for (const row of group.slice(1))
            unmatchable(
              row.values,
              'the row of the same natural key it merges into was refused',
              'MERGE_KEY_REFUSED',
            );
          continue;
        }
        for (const [n, row] of group.entries())
          entries.push({ sourceId: row.sourceId, destinationId, created: n === 0 });
      }
    }
    await ctx.idMaps.record(tx, this.document, entries);
    return {
      written: entries.length + alreadyMapped,
      refused,
      refusedColumns: insertColumns,
      entries: unmatched,
    };
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

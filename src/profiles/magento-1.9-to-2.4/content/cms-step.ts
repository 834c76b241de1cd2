/**
 * CMS pages or blocks of a 1.9 shop with their store views (cms_page + cms_page_store, or
 * cms_block + cms_block_store), ids kept (widgets and `{{block id="..."}}` directives name
 * blocks by id).
 *
 * 2.4's installer seeds pages (home, no-route, enable-cookies, privacy-policy-cookie-
 * restriction-mode) and a theme may seed blocks, with ids and identifiers that collide with
 * the shop's. The shop's content wins, as with the Magento Data Migration Tool (whose map step
 * empties these tables and copies 1.9's): a seeded row whose identifier the shop also has on
 * one of its store views (store 0 meaning all of them) is replaced by the shop's; a seeded row
 * the shop has no counterpart of is kept, moved to an id after the shop's when its id is one
 * of the shop's. So 2.4 never serves two pages for one identifier and store, no key collides,
 * and the run log names every seeded row it replaced or moved. That happens once, in the
 * transaction of the first chunk.
 *
 * The rows are read in chunks of entities by id, each with its store links, written together
 * with the chunk's progress mark (invariant 2). An entity whose store link cannot be mapped is
 * rejected whole, with the reason (never written without its store views). Verification is by
 * natural key: every 1.9 (identifier, store code) is served in 2.4 by the same entity, equal
 * column by column; no (identifier, store) has two entities; no store link points at nothing.
 */
import type { Database, Queryable } from '../../../db/database.js';
import { readSelectChunk, selectColumns } from '../../../db/keyed-chunk.js';
import {
  type CmsIdentity,
  type CmsKind,
  cmsEntitySelect,
  deleteCmsEntities,
  duplicateCmsIdentities,
  maxCmsId,
  moveCmsEntity,
  readCmsIdentities,
  readCmsLinks,
  readCmsStoreCodes,
} from '../../../db/magento-cms.js';
import { writeRows } from '../../../db/row-writer.js';
import { readRowsByKey } from '../../../db/rows-by-key.js';
import { readSchema } from '../../../db/schema.js';
import type {
  Step,
  StepCheck,
  StepContext,
  StepDocumentResult,
  StepIntegrityContext,
} from '../../../engine/step.js';
import { commitStepChunk, stepChunkRows, stepDocumentResult, stepPart } from '../../../engine/step-parts.js';
import { errorText } from '../../../errors.js';
import type { FieldHandler, Value } from '../../../handlers/contract.js';
import { mapId } from '../../../handlers/mapId.js';
import type { Problem } from '../../../mappings/problems.js';
import { canonicalValue } from '../../../steps/check/canonical-value.js';
import { encodeValues, type RejectedEntry } from '../../../steps/data/rejected-log.js';
import { applyColumnHandlers, columnHandlerLookups } from '../column-handlers.js';
import { orphanCheck } from '../orphan-check.js';

export interface CmsContent {
  kind: CmsKind;
  /** Handlers by destination column of the entity (page layouts). */
  transforms?: Readonly<Record<string, FieldHandler>>;
}

const LINK_COLUMNS = (kind: CmsKind) => [kind.id, 'store_id'];
const storeHandlers = { store_id: mapId.create({ map: 'store' }) };
const VERIFY_CHUNK = 500;

export class CmsStep implements Step {
  readonly name: string;
  readonly documents: readonly string[];

  constructor(readonly spec: CmsContent) {
    this.name = `magento ${spec.kind.table}`;
    this.documents = [spec.kind.table, spec.kind.links];
  }

  get progressDocument(): string {
    return `magento:${this.spec.kind.table}`;
  }

  /** The kind with the destination's table names (dest_prefix). */
  private destination(config: StepContext['config']): CmsKind {
    const prefix = config.options.destPrefix;
    return {
      ...this.spec.kind,
      table: `${prefix}${this.spec.kind.table}`,
      links: `${prefix}${this.spec.kind.links}`,
    };
  }

  async integrity(ctx: StepIntegrityContext): Promise<Problem[]> {
    const kind = this.destination(ctx.config);
    const problem = (message: string, fix: string): Problem[] => [
      { severity: 'error', code: 'COMPUTED_INVALID', document: this.spec.kind.table, message, fix },
    ];
    const table = ctx.destinationSchema.get(kind.table);
    if (!table || !ctx.destinationSchema.get(kind.links)) {
      return problem(
        `${kind.table} or ${kind.links} does not exist in the destination`,
        'the destination is not a Magento 2.4 install: point config.xml at one',
      );
    }
    try {
      const columns = await selectColumns(
        ctx.source,
        cmsEntitySelect(ctx.config.options.sourcePrefix, this.spec.kind),
      );
      const known = new Set(table.columns.map((c) => c.name));
      const unknown = columns.filter((c) => !known.has(c));
      if (unknown.length > 0) {
        return problem(
          `${kind.table} has no column ${unknown.join(', ')} the profile fills`,
          'the destination is not a Magento 2.4 install: point config.xml at one',
        );
      }
    } catch (error) {
      return problem(
        `the profile's select for ${this.spec.kind.table} fails on the source: ${errorText(error)}`,
        'the source is not a Magento 1.9 store (or source_prefix is wrong): check config.xml',
      );
    }
    return [];
  }

  async run(ctx: StepContext): Promise<StepDocumentResult[]> {
    const started = performance.now();
    const document = this.progressDocument;
    const { kind } = this.spec;
    const sourcePrefix = ctx.config.options.sourcePrefix;
    const destination = this.destination(ctx.config);
    let part = await stepPart(ctx.progress, document);
    const result = (finished: boolean) => stepDocumentResult(document, kind.table, part, started, finished);
    if (part.state === 'copied') return result(true);
    const select = cmsEntitySelect(sourcePrefix, kind);
    const columns = await selectColumns(ctx.source, select);
    const keyIndex = columns.indexOf(kind.id);
    const limit = stepChunkRows(ctx.config.options.bulkSize);
    let last = part.lastKey?.[0] ?? null;
    let first = last === null && part.rowsCopied === 0 && part.rowsRejected === 0;
    for (;;) {
      await ctx.throttle?.wait(ctx.stop);
      const chunkStarted = performance.now();
      const rows = await readSelectChunk(ctx.source, select, columns, kind.id, last, limit);
      const links = await readCmsLinks(
        ctx.source,
        sourcePrefix,
        kind,
        rows.map((r) => r[keyIndex] ?? null),
      );
      const complete = rows.length < limit;
      const lastKey = rows.at(-1)?.[keyIndex] ?? null;
      const room = first ? await this.seededRows(ctx) : undefined;
      part = await commitStepChunk(ctx, part, {
        document,
        plan: null,
        table: destination.table,
        columns,
        rows,
        mark: {
          document,
          part: part.part,
          lastKey: lastKey === null ? null : [lastKey],
          done: complete,
          method: 'magento',
          started: chunkStarted,
        },
        write: async (tx, chunkRows) => {
          if (room) await this.makeRoom(ctx, tx, destination, room);
          return this.writeChunk(ctx, tx, destination, columns, chunkRows, links);
        },
      });
      first = false;
      last = lastKey ?? last;
      if (complete) return result(true);
      if (ctx.stop.requested) return result(false);
    }
  }

  /**
   * What the seeded rows become: the ids of those the shop's content replaces, and the new ids
   * of those kept whose id the shop's content takes.
   */
  private async seededRows(ctx: StepContext) {
    const { kind } = this.spec;
    const sourcePrefix = ctx.config.options.sourcePrefix;
    const shop = await readCmsIdentities(ctx.source, sourcePrefix, kind);
    const seeded = await readCmsIdentities(ctx.destination, ctx.config.options.destPrefix, kind);
    const storeIds = [...new Set(shop.flatMap((e) => e.stores))];
    const mapped = new Map(
      (await ctx.idMaps.lookup('store', storeIds)).map((e) => [e.sourceId, e.destinationId] as const),
    );
    const shopStores = new Map<string, Set<string>>();
    for (const entity of shop) {
      const key = entity.identifier.toLowerCase();
      const stores = shopStores.get(key) ?? new Set<string>();
      for (const s of entity.stores) stores.add(mapped.get(s) ?? `unmapped ${s}`);
      shopStores.set(key, stores);
    }
    const shopIds = new Set(shop.map((e) => e.id));
    let next = Math.max(await maxCmsId(ctx.source, sourcePrefix, kind), ...seeded.map((e) => Number(e.id)));
    const replaced: CmsIdentity[] = [];
    const moved: { entity: CmsIdentity; to: string }[] = [];
    for (const entity of seeded) {
      const stores = shopStores.get(entity.identifier.toLowerCase());
      const collides =
        stores !== undefined &&
        (stores.has('0') || entity.stores.includes('0') || entity.stores.some((s) => stores.has(s)));
      if (collides) replaced.push(entity);
      else if (shopIds.has(entity.id)) moved.push({ entity, to: String(++next) });
    }
    return { replaced, moved };
  }

  private async makeRoom(
    ctx: StepContext,
    tx: Queryable,
    kind: CmsKind,
    room: Awaited<ReturnType<CmsStep['seededRows']>>,
  ): Promise<void> {
    await deleteCmsEntities(
      tx,
      kind,
      room.replaced.map((e) => e.id),
    );
    for (const { entity, to } of room.moved) await moveCmsEntity(tx, kind, entity.id, to);
    const name = (e: CmsIdentity) => `${e.identifier} (id ${e.id}, stores ${e.stores.join(',') || 'none'})`;
    if (room.replaced.length > 0) {
      ctx.log.info(
        `${kind.table}: the shop's content replaces 2.4's seeded ${kind.label}s ${room.replaced.map(name).join('; ')}`,
      );
    }
    for (const { entity, to } of room.moved) {
      ctx.log.info(`${kind.table}: 2.4's seeded ${kind.label} ${name(entity)} kept under id ${to}`);
    }
  }

  /** One chunk of entities with their store links; an entity whose links fail is rejected whole. */
  private async writeChunk(
    ctx: StepContext,
    tx: Queryable,
    kind: CmsKind,
    columns: readonly string[],
    rows: readonly Value[][],
    links: readonly Value[][],
  ) {
    const keyIndex = columns.indexOf(kind.id);
    const linkColumns = LINK_COLUMNS(kind);
    const entityLookups = await columnHandlerLookups(
      ctx.idMaps,
      kind.table,
      columns,
      this.spec.transforms,
      rows,
      tx,
    );
    const linkLookups = await columnHandlerLookups(
      ctx.idMaps,
      kind.links,
      linkColumns,
      storeHandlers,
      links,
      tx,
    );
    const linksOf = new Map<string, Value[][]>();
    for (const link of links) {
      const key = String(link[0]);
      linksOf.set(key, [...(linksOf.get(key) ?? []), link]);
    }
    const good: Value[][] = [];
    const goodLinks = new Map<string, Value[][]>();
    const entries: Array<Omit<RejectedEntry, 'at'>> = [];
    for (const row of rows) {
      const id = String(row[keyIndex]);
      const reject = (error: string) =>
        entries.push({
          document: this.progressDocument,
          stage: 'transform',
          table: kind.table,
          columns: [...columns],
          values: encodeValues(row),
          key: encodeValues([row[keyIndex] ?? null]),
          error,
          code: 'HANDLER_REJECTED',
        });
      const entity = applyColumnHandlers(kind.table, columns, row, this.spec.transforms, entityLookups);
      if (!entity.ok) {
        reject(entity.reason);
        continue;
      }
      const handledLinks = (linksOf.get(id) ?? []).map((l) =>
        applyColumnHandlers(kind.links, linkColumns, l, storeHandlers, linkLookups),
      );
      const failed = handledLinks.find((l) => !l.ok);
      if (failed && !failed.ok) {
        reject(`${kind.label} ${id}'s store view: ${failed.reason}`);
        continue;
      }
      good.push(entity.values);
      goodLinks.set(
        id,
        handledLinks.flatMap((l) => (l.ok ? [l.values] : [])),
      );
    }
    const options = { maxAllowedPacket: ctx.maxAllowedPacket, useLoadData: false };
    const written =
      good.length === 0
        ? { written: 0, rejected: [] }
        : await writeRows(tx, good, { ...options, table: kind.table, columns });
    const refused = new Set(written.rejected.map((r) => String(r.values[keyIndex])));
    const linkRows = [...goodLinks].filter(([id]) => !refused.has(id)).flatMap(([, l]) => l);
    if (linkRows.length > 0) {
      const linked = await writeRows(tx, linkRows, { ...options, table: kind.links, columns: linkColumns });
      const [refusedLink] = linked.rejected;
      if (refusedLink) {
        // A written entity without one of its store views would be a silent loss: fail the chunk.
        throw new Error(
          `${kind.links}: 2.4 refused ${kind.label} ${String(refusedLink.values[0])}'s store view ${String(refusedLink.values[1])}: ${refusedLink.error}`,
        );
      }
    }
    return { written: written.written, refused: written.rejected, entries };
  }

  /**
   * By natural key: each 1.9 (identifier, store view) pair is served in 2.4 by the entity with
   * the same id and store view, equal column by column; rejected entities are counted apart.
   */
  async verify(ctx: StepContext): Promise<StepCheck[]> {
    const { kind } = this.spec;
    const sourcePrefix = ctx.config.options.sourcePrefix;
    const destination = this.destination(ctx.config);
    const select = cmsEntitySelect(sourcePrefix, kind);
    const columns = await selectColumns(ctx.source, select);
    const keyIndex = columns.indexOf(kind.id);
    const identifierIndex = columns.indexOf('identifier');
    const info = (await readSchema(ctx.destination, ctx.destination.schema)).get(destination.table);
    if (!info) throw new Error(`${destination.table} vanished from the destination`);
    const shapes = columns.map((c) => info.columns.find((i) => i.name === c));
    const codes = await storeCodes(ctx.source, sourcePrefix);
    const rejected = (await ctx.progress.parts(this.progressDocument)).reduce(
      (n, p) => n + p.rowsRejected,
      0,
    );
    let pairs = 0;
    let equal = 0;
    let first: string | undefined;
    let last: Value | null = null;
    for (;;) {
      const rows = await readSelectChunk(ctx.source, select, columns, kind.id, last, VERIFY_CHUNK);
      if (rows.length === 0) break;
      last = rows.at(-1)?.[keyIndex] ?? null;
      const ids = rows.map((r) => r[keyIndex] ?? null);
      const links = await readCmsLinks(ctx.source, sourcePrefix, kind, ids);
      const entityLookups = await columnHandlerLookups(
        ctx.idMaps,
        kind.table,
        columns,
        this.spec.transforms,
        rows,
      );
      const linkLookups = await columnHandlerLookups(
        ctx.idMaps,
        kind.links,
        LINK_COLUMNS(kind),
        storeHandlers,
        links,
      );
      const stored = new Map(
        (
          await readRowsByKey(
            ctx.destination,
            {
              schema: ctx.destination.schema,
              table: destination.table,
              columns,
              types: shapes.map((s) => s?.dataType ?? 'varchar'),
              key: [kind.id],
            },
            ids.map((id) => [id]),
          )
        ).map((r) => [String(r[keyIndex]), r]),
      );
      const storedLinks = new Set(
        (
          await readRowsByKey(
            ctx.destination,
            {
              schema: ctx.destination.schema,
              table: destination.links,
              columns: LINK_COLUMNS(kind),
              types: ['int', 'int'],
              key: [kind.id],
            },
            ids.map((id) => [id]),
          )
        ).map((l) => `${String(l[0])}/${String(l[1])}`),
      );
      for (const row of rows) {
        const id = String(row[keyIndex]);
        const entity = applyColumnHandlers(kind.table, columns, row, this.spec.transforms, entityLookups);
        const own = links.filter((l) => String(l[0]) === id);
        const handled = own.map((l) =>
          applyColumnHandlers(kind.links, LINK_COLUMNS(kind), l, storeHandlers, linkLookups),
        );
        if (!entity.ok || handled.some((l) => !l.ok)) continue; // rejected: counted from the progress store
        const found = stored.get(id);
        const difference = found
          ? firstDifference(columns, shapes, entity.values, found)
          : 'missing from 2.4';
        if (own.length === 0) {
          // On no store view in 1.9 (not served there either): the row itself must still be equal.
          pairs++;
          if (difference === undefined) equal++;
          else first ??= `${kind.label} ${String(row[identifierIndex])} (no store view): ${difference}`;
        }
        for (const [i, link] of handled.entries()) {
          if (!link.ok) continue;
          pairs++;
          const store = String(own[i]?.[1]);
          const name = `${kind.label} ${String(row[identifierIndex])} on store ${codes.get(store) ?? store}`;
          const problem =
            difference ??
            (storedLinks.has(`${id}/${String(link.values[1])}`)
              ? undefined
              : 'not linked to this store view in 2.4');
          if (problem === undefined) equal++;
          else first ??= `${name}: ${problem}`;
        }
      }
      if (rows.length < VERIFY_CHUNK) break;
    }
    const duplicates = await duplicateCmsIdentities(ctx.destination, destination);
    return [
      {
        document: `${kind.table} (by identifier and store)`,
        expected: pairs + rejected,
        actual: equal + rejected,
        ok: pairs === equal,
        note:
          `1.9 ${kind.label}s served in 2.4 on the same store view, equal column by column: ${equal} of ${pairs} equal, ${rejected} rejected` +
          (first ? ` (first: ${first})` : ''),
      },
      {
        document: `${kind.table} (one per identifier and store)`,
        expected: 0,
        actual: duplicates.length,
        ok: duplicates.length === 0,
        note:
          `identifiers 2.4 has twice on one store view` + (duplicates[0] ? ` (first: ${duplicates[0]})` : ''),
      },
      await orphanCheck(ctx, [destination.links], `${destination.links} foreign keys`),
    ];
  }

  async reset(ctx: StepContext): Promise<void> {
    // The shop's rows only (ids kept): the installer's rows moved aside stay; replaced ones are gone.
    const shop = await readCmsIdentities(ctx.source, ctx.config.options.sourcePrefix, this.spec.kind);
    const destination = this.destination(ctx.config);
    await ctx.destination.transaction((tx) =>
      deleteCmsEntities(
        tx,
        destination,
        shop.map((e) => e.id),
      ),
    );
    await ctx.progress.clear([this.progressDocument]);
  }
}

/** 1.9 store codes by id, for names in reports. */
async function storeCodes(source: Database, prefix: string): Promise<Map<string, string>> {
  const stores = await readCmsStoreCodes(source, prefix);
  return new Map(stores.map((s) => [s.id, s.code]));
}

function firstDifference(
  columns: readonly string[],
  shapes: readonly (Parameters<typeof canonicalValue>[1] | undefined)[],
  expected: readonly Value[],
  stored: readonly Value[],
): string | undefined {
  for (let i = 0; i < columns.length; i++) {
    const shape = shapes[i];
    if (!shape) continue;
    const want = canonicalValue(expected[i] ?? null, shape);
    const have = canonicalValue(stored[i] ?? null, shape);
    const same = want === null || have === null ? want === have : Buffer.from(want).equals(Buffer.from(have));
    if (!same) return `${columns[i]}: ${shown(want)} in 1.9, ${shown(have)} in 2.4`;
  }
  return undefined;
}

function shown(value: Value): string {
  if (value === null) return 'NULL';
  const text = Buffer.isBuffer(value) ? value.toString('utf8') : value;
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}...` : text);
}

/**
 * Builds the two CheckSides of one document: by SQL on both servers when the plan copies by
 * SQL alone and every column's stored text can be reproduced in SQL, otherwise by streaming
 * both sides through the tool. Documents are compared by the destination key (the source key
 * columns arrive in it unchanged); without one they are compared as a whole.
 */

import type { IdMapStore } from '../../db/id-map-store.js';
import type { ColumnInfo, TableInfo } from '../../db/schema.js';
import { readColumns } from '../../db/select-list.js';
import { chunkLookups, idMapsNeeded } from '../../engine/id-map.js';
import { MigrateError } from '../../errors.js';
import type { Value } from '../../handlers/contract.js';
import type { DocumentPlan } from '../../mappings/plan.js';
import { isIdentity, transformRow } from '../data/transform-row.js';
import type { Connections } from '../plan-stage.js';
import { type ColumnShape, canonicalValue } from './canonical-value.js';
import { ALIAS, KeyedTable } from './keyed-table.js';
import { rejectedDigest, rowDigest } from './row-hash.js';
import type { CheckSide } from './side.js';
import { type ColumnPair, type ServerFlavor, sqlHashForms } from './sql-hash-forms.js';
import { SqlSide } from './sql-side.js';
import { type RowDigester, StreamSide } from './stream-side.js';

export type HashMethod = 'sql' | 'stream';

export interface DocumentSides {
  method: HashMethod;
  /** False when the document has no key, or its key is transformed: compared as a whole. */
  keyed: boolean;
  source: CheckSide;
  destination: CheckSide;
  /** Why the document is not compared the preferred way, for the report. */
  notes: string[];
  /** Brings key values (as stored on either side) to the destination's form. */
  canonicalKey(values: readonly Value[]): Value[];
}

export function documentSides(
  plan: DocumentPlan,
  connections: Connections,
  tables: { source: TableInfo; destination: TableInfo },
  flavor: ServerFlavor,
  /** The id map table: a plan whose handlers look ids up (mapId) is compared with mapped ids. */
  idMaps?: IdMapStore,
): DocumentSides {
  const pairs = columnPairs(plan, tables.source, tables.destination);
  const shapes = pairs.map((p) => p.destination);
  const keyed = plan.key !== null && plan.destinationKey !== null;
  const notes: string[] = [];
  if (!plan.key) notes.push('no usable key: compared as a whole table (row count and checksum)');
  else if (!plan.destinationKey)
    notes.push('its key is transformed on the way: compared as a whole table (row count and checksum)');
  const destinationKey = keyed ? (plan.destinationKey ?? []) : [];
  const unlike = keyed ? keysSortUnlike(plan, tables.source, tables.destination) : [];
  if (unlike.length > 0) {
    notes.push(
      `key columns ${unlike.join(', ')} may sort differently on the two sides: a row near a chunk edge can show as missing and extra at once`,
    );
  }
  const keyShapes = destinationKey.map((name) => shapeOf(shapes, name));
  const sourceTable = new KeyedTable(
    connections.source,
    plan.sourceTable,
    keyed ? plan.key : null,
    keyShapes,
  );
  const destinationTable = new KeyedTable(
    connections.destination,
    plan.destinationTable,
    keyed ? destinationKey : null,
    keyShapes,
  );

  const forms = sqlHashForms(plan, pairs, flavor);
  if (forms.ok) {
    return {
      method: 'sql',
      keyed,
      source: new SqlSide(sourceTable, forms.source),
      destination: new SqlSide(destinationTable, forms.destination),
      notes,
      canonicalKey: (values) => destinationTable.canonicalKey(values),
    };
  }
  if (plan.sqlExpressible) notes.push(`hashed by the tool, not the database: ${forms.reason}`);
  return {
    method: 'stream',
    keyed,
    source: new StreamSide(sourceTable, sourceDigester(plan, shapes, sourceTable, idMaps)),
    destination: new StreamSide(destinationTable, destinationDigester(plan, shapes, destinationTable)),
    notes,
    canonicalKey: (values) => destinationTable.canonicalKey(values),
  };
}

function columnPairs(plan: DocumentPlan, source: TableInfo, destination: TableInfo): ColumnPair[] {
  const transformedSource = new Set(plan.sourceHandlers.map((h) => h.field));
  const transformedDestination = new Set(plan.destinationHandlers.map((h) => h.field));
  return plan.columns.map((c) => {
    const to = destination.columns.find((d) => d.name === c.destination);
    if (!to) {
      throw new MigrateError(
        `${plan.destinationTable}.${c.destination} is in the plan but not in the destination database`,
        {
          code: 'CHECK_SCHEMA_CHANGED',
          hint: 'the destination schema changed while the check ran; run the check again',
          context: { step: 'check', document: plan.document },
        },
      );
    }
    const direct =
      c.source !== null && !transformedSource.has(c.source) && !transformedDestination.has(c.destination);
    const from = direct ? (source.columns.find((s) => s.name === c.source) ?? null) : null;
    return { destination: to, source: from };
  });
}

/** Key columns whose order can differ between the sides: text in different character sets, or text against numbers. */
function keysSortUnlike(plan: DocumentPlan, source: TableInfo, destination: TableInfo): string[] {
  const text = (c: ColumnInfo | undefined) => c?.charset !== null && c?.charset !== undefined;
  return (plan.key ?? []).flatMap((name, i) => {
    const from = source.columns.find((c) => c.name === name);
    const to = destination.columns.find((c) => c.name === plan.destinationKey?.[i]);
    const differ = text(from) !== text(to) || (text(from) && from?.charset !== to?.charset);
    return differ ? [name] : [];
  });
}

function shapeOf(shapes: readonly ColumnInfo[], name: string): ColumnShape {
  const shape = shapes.find((s) => s.name === name);
  if (!shape) throw new Error(`key column ${name} is not among the destination columns`);
  return shape;
}

/** Source rows through the plan (handlers and renames), then into the destination's stored form. */
function sourceDigester(
  plan: DocumentPlan,
  shapes: readonly ColumnShape[],
  table: KeyedTable,
  idMaps: IdMapStore | undefined,
): RowDigester {
  const keyIndexes = (plan.key ?? []).map((k) => plan.sourceColumns.indexOf(k));
  const identity = isIdentity(plan);
  const indexes = plan.columns.map((c) => (c.source === null ? -1 : plan.sourceColumns.indexOf(c.source)));
  const canonical = (values: readonly Value[]) => values.map((v, i) => canonicalValue(v, shapes[i] ?? TEXT));
  return {
    select: readColumns(plan.sourceColumns, plan.sourceTypes, ALIAS),
    digest(row, lookups) {
      if (identity) return rowDigest(canonical(indexes.map((i) => (i < 0 ? null : (row[i] ?? null)))));
      const result = transformRow(plan, row, lookups);
      return result.ok ? rowDigest(canonical(result.values)) : rejectedDigest(result.reason);
    },
    key: (row) => table.canonicalKey(keyIndexes.map((i) => row[i] ?? null)),
    ...(idMaps && idMapsNeeded(plan).length > 0 && { lookups: (rows) => chunkLookups(idMaps, plan, rows) }),
  };
}

/** Destination rows as stored, in the same form. */
function destinationDigester(
  plan: DocumentPlan,
  shapes: readonly ColumnShape[],
  table: KeyedTable,
): RowDigester {
  const columns = plan.columns.map((c) => c.destination);
  const keyIndexes = (plan.destinationKey ?? []).map((k) => columns.indexOf(k));
  return {
    select: readColumns(columns, plan.destinationTypes, ALIAS),
    digest: (row) => rowDigest(row.map((v, i) => canonicalValue(v, shapes[i] ?? TEXT))),
    key: (row) => table.canonicalKey(keyIndexes.map((i) => row[i] ?? null)),
  };
}

const TEXT: ColumnShape = { dataType: 'text', numericScale: null, datetimePrecision: null, maxLength: null };

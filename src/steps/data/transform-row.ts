/**
 * Runs one source row through a document's plan: source handlers, renames into destination
 * columns, destination handlers. A value a handler cannot convert makes the row a rejected
 * row with the handler's reason; it never stops the copy.
 */
import { HandlerRejection, type Row, type Value } from '../../handlers/contract.js';
import type { DocumentPlan } from '../../mappings/plan.js';
import { encodeValues, type RejectedEntry, sourceKeyOf } from './rejected-log.js';

export type TransformResult = { ok: true; values: Value[] } | { ok: false; reason: string };

/** True when the plan copies values unchanged, so rows can skip the handler machinery. */
export function isIdentity(plan: DocumentPlan): boolean {
  return plan.sourceHandlers.length === 0 && plan.destinationHandlers.length === 0;
}

/** `sourceValues` are in `plan.sourceColumns` order, as the readers return them. */
export function transformRow(plan: DocumentPlan, sourceValues: readonly Value[]): TransformResult {
  const row: Row = {};
  for (let i = 0; i < plan.sourceColumns.length; i++)
    row[plan.sourceColumns[i] ?? ''] = sourceValues[i] ?? null;
  let field = '';
  try {
    for (const bound of plan.sourceHandlers) {
      field = `${plan.document}.${bound.field}`;
      row[bound.field] = bound.handler.transform(row[bound.field] ?? null, row);
    }
    const destination: Row = {};
    for (const column of plan.columns) {
      destination[column.destination] = column.source === null ? null : (row[column.source] ?? null);
    }
    for (const bound of plan.destinationHandlers) {
      field = `${plan.destinationDocument}.${bound.field}`;
      destination[bound.field] = bound.handler.transform(destination[bound.field] ?? null, destination);
    }
    return { ok: true, values: plan.columns.map((c) => destination[c.destination] ?? null) };
  } catch (error) {
    const reason = error instanceof HandlerRejection ? error.message : `handler failed: ${String(error)}`;
    return { ok: false, reason: `${field}: ${reason}` };
  }
}

/** Transforms a chunk of rows (arrays in `plan.sourceColumns` order); refused rows come back apart, with their reason. */
export function transformChunk(
  plan: DocumentPlan,
  rows: Value[][],
): { values: Value[][]; rejected: Omit<RejectedEntry, 'at'>[] } {
  if (isIdentity(plan)) {
    const indexes = plan.columns.map((c) => (c.source === null ? -1 : plan.sourceColumns.indexOf(c.source)));
    const identical =
      indexes.every((index, i) => index === i) && indexes.length === plan.sourceColumns.length;
    return {
      values: identical ? rows : rows.map((row) => indexes.map((i) => (i < 0 ? null : (row[i] ?? null)))),
      rejected: [],
    };
  }
  const values: Value[][] = [];
  const rejected: Omit<RejectedEntry, 'at'>[] = [];
  for (const row of rows) {
    const result = transformRow(plan, row);
    if (result.ok) {
      values.push(result.values);
      continue;
    }
    const key = sourceKeyOf(plan, row);
    rejected.push({
      document: plan.document,
      stage: 'transform',
      table: plan.sourceTable,
      columns: plan.sourceColumns,
      values: encodeValues(row),
      ...(key ? { key: encodeValues(key) } : {}),
      error: result.reason,
      code: 'HANDLER_REJECTED',
    });
  }
  return { values, rejected };
}

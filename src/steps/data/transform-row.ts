/**
 * Runs one source row through a document's plan: source handlers, renames into destination
 * columns, destination handlers. A value a handler cannot convert makes the row a rejected
 * row with the handler's reason; it never stops the copy.
 */
import { HandlerRejection, type IdLookups, type Row, type Value } from '../../handlers/contract.js';
import { fieldName } from '../../mappings/field-name.js';
import type { DocumentPlan } from '../../mappings/plan.js';
import { inexactText, textSourceColumns } from './inexact-text.js';
import { encodeValues, type RejectedEntry, sourceKeyOf } from './rejected-log.js';

export type TransformResult =
  | { ok: true; values: Value[] }
  | { ok: false; reason: string /** Set when no handler refused the row. */; code?: string };

/** True when the plan copies values unchanged, so rows can skip the handler machinery. */
export function isIdentity(plan: DocumentPlan): boolean {
  return plan.sourceHandlers.length === 0 && plan.destinationHandlers.length === 0;
}

/** `sourceValues` are in `plan.sourceColumns` order, as the readers return them. */
export function transformRow(
  plan: DocumentPlan,
  sourceValues: readonly Value[],
  lookups?: IdLookups,
): TransformResult {
  const inexact = inexactText(plan, sourceValues);
  if (inexact !== null) return { ok: false, reason: inexact, code: 'TEXT_NOT_UTF8' };
  const row: Row = {};
  for (let i = 0; i < plan.sourceColumns.length; i++)
    row[plan.sourceColumns[i] ?? ''] = sourceValues[i] ?? null;
  let field = '';
  try {
    for (const bound of plan.sourceHandlers) {
      field = fieldName(plan.document, bound.field);
      row[bound.field] = bound.handler.transform(row[bound.field] ?? null, row, lookups);
    }
    const destination: Row = {};
    for (const column of plan.columns) {
      destination[column.destination] = column.source === null ? null : (row[column.source] ?? null);
    }
    for (const bound of plan.destinationHandlers) {
      field = fieldName(plan.destinationDocument, bound.field);
      destination[bound.field] = bound.handler.transform(
        destination[bound.field] ?? null,
        destination,
        lookups,
      );
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
  lookups?: IdLookups,
): { values: Value[][]; rejected: Omit<RejectedEntry, 'at'>[] } {
  if (isIdentity(plan) && !rows.some((row) => hasBytesIn(row, textSourceColumns(plan)))) {
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
    const result = transformRow(plan, row, lookups);
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
      code: result.code ?? 'HANDLER_REJECTED',
    });
  }
  return { values, rejected };
}

/** True when a text column of the row holds bytes: text that did not decode exactly (inexact-text.ts). */
function hasBytesIn(row: readonly Value[], text: readonly number[]): boolean {
  for (const i of text) {
    const value = row[i];
    if (typeof value === 'object' && value !== null) return true;
  }
  return false;
}

/**
 * Runs one source row through a document's plan: source handlers, renames into destination
 * columns, destination handlers. A value a handler cannot convert makes the row a rejected
 * row with the handler's reason; it never stops the copy.
 */
import { HandlerRejection, type Row, type Value } from '../../handlers/contract.js';
import type { DocumentPlan } from '../../mappings/plan.js';

export type TransformResult = { ok: true; values: Value[] } | { ok: false; reason: string; source: Row };

/** True when the plan copies values unchanged, so rows can skip the handler machinery. */
export function isIdentity(plan: DocumentPlan): boolean {
  return plan.sourceHandlers.length === 0 && plan.destinationHandlers.length === 0;
}

export function transformRow(plan: DocumentPlan, source: Row): TransformResult {
  const row: Row = { ...source };
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
    return { ok: false, reason: `${field}: ${reason}`, source };
  }
}

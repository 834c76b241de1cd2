/**
 * The select list that lets the database copy a document alone (`INSERT ... SELECT`): each
 * destination column's expression, built from source columns through the handlers' SQL forms,
 * in the same order the streaming path applies them.
 */
import mysql from 'mysql2';
import { quoteIdentifier } from '../../db/identifiers.js';
import type { DocumentPlan } from '../../mappings/plan.js';

export function selectList(plan: DocumentPlan, alias: string): string[] {
  const literal = (value: string) => mysql.escape(value);
  const source = new Map<string, string>(
    plan.sourceColumns.map((c) => [c, `${quoteIdentifier(alias)}.${quoteIdentifier(c)}`]),
  );
  for (const bound of plan.sourceHandlers) {
    const sql = bound.handler.sql;
    if (!sql) throw new Error(`handler ${bound.name} has no SQL form`);
    const self = source.get(bound.field) ?? 'NULL';
    source.set(bound.field, sql({ self, column: (name) => source.get(name) ?? 'NULL', literal }));
  }
  const destination = new Map<string, string>(
    plan.columns.map((c) => [c.destination, c.source === null ? 'NULL' : (source.get(c.source) ?? 'NULL')]),
  );
  for (const bound of plan.destinationHandlers) {
    const sql = bound.handler.sql;
    if (!sql) throw new Error(`handler ${bound.name} has no SQL form`);
    const self = destination.get(bound.field) ?? 'NULL';
    destination.set(bound.field, sql({ self, column: (name) => destination.get(name) ?? 'NULL', literal }));
  }
  return plan.columns.map((c) => destination.get(c.destination) ?? 'NULL');
}

/** The lines `migrate data` prints for the steps' own verification (src/engine/step.ts, verify). */
import type { StepCheck, StepDocumentResult } from '../engine/step.js';
import type { DocumentSummary } from '../steps/data/run-data.js';
import { textTable } from './table.js';

export function formatStepChecks(checks: readonly StepCheck[]): string {
  const rows = checks.map((c) => [
    c.document,
    String(c.expected),
    String(c.actual),
    c.ok ? 'match' : c.pending ? 'changes pending' : 'MISMATCH',
    c.note,
  ]);
  return `step checks:\n${textTable(['document', 'expected', 'found', 'state', 'what was counted'], rows, [
    'left',
    'right',
    'right',
    'left',
    'left',
  ])}`;
}

/** A step's documents as rows of the copy summary table; `method` says which kind of step wrote them. */
export function stepSummaries(results: readonly StepDocumentResult[], method: string): DocumentSummary[] {
  return results.map((r) => ({ ...r, method }));
}

/** The table printed at the end of a copy: per document its rows, time, speed and method. */
import type { DocumentSummary } from '../steps/data/run-data.js';
import { textTable } from './table.js';

export function formatSummary(summaries: readonly DocumentSummary[]): string {
  const rows = summaries.map((s) => [
    s.document,
    String(s.rows),
    String(s.rejected),
    s.seconds.toFixed(1),
    s.seconds > 0 ? String(Math.round(s.rows / s.seconds)) : '-',
    s.method,
    s.finished ? 'copied' : 'not finished',
  ]);
  return textTable(['document', 'rows', 'rejected', 'seconds', 'rows/s', 'method', 'state'], rows, [
    'left',
    'right',
    'right',
    'right',
    'right',
    'left',
    'left',
  ]);
}

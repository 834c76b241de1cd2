/** The check report on the console: a headline, one table row per document, then the differing keys. */
import type { CheckReport, DocumentReport } from './check-report.js';
import { keyText } from './key-text.js';
import { textTable } from './table.js';

export function formatCheck(report: CheckReport): string {
  const { totals } = report;
  const what = report.mode === 'deep' ? 'deep check' : 'check (row counts)';
  const head =
    totals.mismatch > 0
      ? `${what}: ${totals.mismatch} of ${totals.documents} documents differ`
      : `${what}: all ${totals.documents - totals.skipped} compared documents match${totals.skipped ? ` (${totals.skipped} skipped)` : ''}`;
  const table = textTable(
    [
      'document',
      'destination',
      'method',
      'source rows',
      'destination rows',
      'rejected',
      'missing',
      'extra',
      'changed',
      'status',
      'last run',
    ],
    report.documents.map((d) => [
      d.document,
      d.destination,
      d.method,
      String(d.sourceRows),
      String(d.destinationRows),
      String(d.rejectedRows),
      count(d, d.counts.missing),
      count(d, d.counts.extra),
      count(d, d.counts.changed),
      d.status,
      d.lastRun ? `${d.lastRun.state} ${d.lastRun.seconds.toFixed(1)}s` : 'never',
    ]),
    ['left', 'left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'left', 'left'],
  );
  const details = report.documents
    .filter((d) => d.status === 'mismatch' || (d.status === 'ok' && d.notes.length > 0))
    .map(detail);
  const skipped = report.documents.filter((d) => d.status === 'skipped');
  return [
    `${head} (ran ${report.startedAt}, ${report.seconds.toFixed(1)} s)`,
    `note: ${report.note}`,
    table,
    ...details,
    ...(skipped.length
      ? [`skipped (copied by migrate settings, which merges): ${skipped.map((d) => d.document).join(', ')}`]
      : []),
  ].join('\n');
}

/** Counts that are lower bounds (no key to name rows by) carry a `>=`. */
function count(d: DocumentReport, n: number): string {
  if (d.method === 'count' && d.status === 'skipped') return '-';
  return d.exact || n === 0 ? String(n) : `>=${n}`;
}

function detail(d: DocumentReport): string {
  const lines = [
    `${d.document} -> ${d.destination}${d.key ? ` (key ${d.key.join(', ')})` : ''}: ${d.status}`,
  ];
  for (const kind of ['missing', 'extra', 'changed'] as const) {
    const keys = d[kind];
    if (d.counts[kind] === 0) continue;
    const more = d.counts[kind] - keys.length;
    const listed = keys.map(keyText).join(' ');
    lines.push(
      `  ${kind} ${d.counts[kind]}${listed ? `: ${listed}` : ''}${more > 0 && listed ? ` ... and ${more} more` : ''}`,
    );
  }
  for (const note of d.notes) lines.push(`  note: ${note}`);
  return lines.join('\n');
}

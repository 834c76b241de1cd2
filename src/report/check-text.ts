/** The check report on the console: a headline, one table row per document, then the differing keys. */
import {
  type CheckReport,
  type DocumentReport,
  type LeftBehind,
  NOT_MEASURED_TEXT,
  type ReferentialIntegrity,
  type SettingsState,
  type VerificationReport,
} from './check-report.js';
import { keyText } from './key-text.js';
import { textTable } from './table.js';

export function formatCheck(report: CheckReport): string {
  const { totals } = report;
  const what = report.mode === 'deep' ? 'deep check' : 'check (row counts)';
  const orphans = report.referentialIntegrity.orphanRows;
  const head =
    (totals.mismatch > 0
      ? `${what}: ${totals.mismatch} of ${totals.documents} documents differ`
      : `${what}: all ${totals.documents - totals.skipped} compared documents match${totals.skipped ? ` (${totals.skipped} skipped)` : ''}`) +
    (orphans > 0 ? `, and ${orphans} rows point at nothing` : '') +
    (report.verifications.some((v) => v.status === 'failed') ? ', and a verification failed' : '');
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
      lastRunCell(d),
    ]),
    ['left', 'left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'left', 'left'],
  );
  const details = report.documents
    .filter((d) => d.status === 'mismatch' || (d.status === 'ok' && (d.notes.length > 0 || d.repair)))
    .map(detail);
  const skipped = report.documents.filter((d) => d.status === 'skipped');
  return [
    `${head} (ran ${report.startedAt}, ${report.seconds.toFixed(1)} s)`,
    `note: ${report.note}`,
    table,
    ...details,
    ...referentialLines(report.referentialIntegrity),
    ...report.verifications.flatMap(verificationLines),
    ...(skipped.length
      ? [`skipped (copied by migrate settings, which merges): ${skipped.map((d) => d.document).join(', ')}`]
      : []),
    ...(report.settings ? [settingsLine(report.settings)] : []),
    ...leftBehindLines(report.leftBehind),
    ...(report.mode === 'count'
      ? [
          `missing, extra and changed: ${NOT_MEASURED_TEXT} (not measured: row counts cannot tell which rows differ; run with --deep)`,
        ]
      : []),
  ].join('\n');
}

/** What the last data run did; a document merged by migrate settings never has one. */
function lastRunCell(d: DocumentReport): string {
  if (d.lastRun) return `${d.lastRun.state} ${d.lastRun.seconds.toFixed(1)}s`;
  return d.status === 'skipped' ? 'by settings' : 'never';
}

export function settingsLine(settings: SettingsState): string {
  return `settings (migrate settings): ${settings.status}: ${settings.detail}`;
}

const LISTED = 10;

/** The map's ignore rules at work: what was deliberately not migrated, both sides. */
export function leftBehindLines(left: LeftBehind): string[] {
  const lists: Array<[string, string[]]> = [
    ['source documents', left.source.documents],
    ['source fields', left.source.fields],
    ['destination documents', left.destination.documents],
    ['destination fields', left.destination.fields],
  ];
  const shown = lists.filter(([, names]) => names.length > 0);
  if (shown.length === 0) return [];
  return [
    'left behind on purpose (ignored by the map, not migrated):',
    ...shown.map(([label, names]) => {
      const more =
        names.length > LISTED ? ` ... and ${names.length - LISTED} more (all in --json/--html)` : '';
      return `  ${label} (${names.length}): ${names.slice(0, LISTED).join(', ')}${more}`;
    }),
  ];
}

/** Counts the check did not measure show a dash; lower bounds (no key to name rows by) carry a `>=`. */
function count(d: DocumentReport, n: number | null): string {
  if (n === null) return NOT_MEASURED_TEXT;
  return d.exact || n === 0 ? String(n) : `>=${n}`;
}

function detail(d: DocumentReport): string {
  const lines = [
    `${d.document} -> ${d.destination}${d.key ? ` (key ${d.key.join(', ')})` : ''}: ${d.status}`,
  ];
  for (const kind of ['missing', 'extra', 'changed'] as const) {
    const keys = d[kind];
    const n = d.counts[kind];
    if (n === null || n === 0) continue;
    const more = n - keys.length;
    const listed = keys.map(keyText).join(' ');
    lines.push(
      `  ${kind} ${n}${listed ? `: ${listed}` : ''}${more > 0 && listed ? ` ... and ${more} more` : ''}`,
    );
  }
  for (const note of d.notes) lines.push(`  note: ${note}`);
  if (d.repair) lines.push(`  repair: ${d.repair}`);
  return lines.join('\n');
}

/** Referential integrity: a summary line, then each violated foreign key with examples and repair. */
export function referentialLines(integrity: ReferentialIntegrity): string[] {
  if (integrity.constraints === 0)
    return [`referential integrity: no foreign key to verify (${integrity.scope})`];
  const violated = integrity.checked.filter((c) => c.orphans > 0);
  if (violated.length === 0) {
    return [`referential integrity: ${integrity.constraints} foreign keys verified, no orphan rows`];
  }
  const lines = [
    `referential integrity: ${integrity.orphanRows} orphan rows in ${violated.length} of ${integrity.constraints} foreign keys`,
  ];
  for (const c of violated) {
    const examples = c.examples.map((e) =>
      c.key ? `${keyText(e.key)} -> ${keyText(e.references)}` : keyText(e.references),
    );
    const more = c.orphans - c.examples.length;
    lines.push(
      `  ${c.document} (${c.columns.join(', ')}) -> ${c.parentTable} (${c.parentColumns.join(', ')}) [${c.constraint}]: ${c.orphans} orphan rows`,
      `    e.g. ${examples.join(', ')}${more > 0 ? ` ... and ${more} more` : ''}${c.key ? ` (${c.key.join(', ')} -> missing parent key)` : ''}`,
    );
    if (c.repair) lines.push(`    repair: ${c.repair}`);
  }
  return lines;
}

/** A step's or profile's own verification: its verdict, then each finding with its repair. */
export function verificationLines(v: VerificationReport): string[] {
  const lines = [`verification ${v.name}: ${v.status} (${v.scope})`];
  for (const f of v.findings) {
    const examples = f.examples.length ? `, e.g. ${f.examples.map(keyText).join(', ')}` : '';
    lines.push(`  ${f.document}: ${f.message}${f.rows === null ? '' : ` (${f.rows} rows)`}${examples}`);
    lines.push(`    repair: ${f.repair}`);
  }
  return lines;
}

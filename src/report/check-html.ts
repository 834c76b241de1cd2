/**
 * The check report as one self-contained HTML page for whoever signs off the cut-over: inline
 * CSS, no script, no external URL, so it opens from a mail attachment or a file share. Every
 * name and value is escaped: document names and key values may hold <, & and quotes.
 */
import {
  type CheckReport,
  type DocumentReport,
  type LeftBehind,
  NOT_MEASURED_TEXT,
  type ReferentialIntegrity,
  type ReportKey,
  type SettingsState,
  type VerificationReport,
} from './check-report.js';
import { durationText } from './duration-text.js';
import { keyText } from './key-text.js';

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

export const STYLE = `
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d2433;background:#f6f7f9}
main{max-width:1280px;margin:0 auto;padding:24px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px}
.meta{color:#5b6475;margin:2px 0}.note{background:#fff8e1;border-left:4px solid #f0b400;padding:8px 12px;margin:14px 0}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin:16px 0}
.card{background:#fff;border:1px solid #dde1e8;border-radius:6px;padding:8px 14px;min-width:90px}
.card b{display:block;font-size:20px}
.scroll{overflow-x:auto}table{border-collapse:collapse;width:100%;background:#fff;border:1px solid #dde1e8;font-size:14px}
th,td{padding:6px 8px;border-bottom:1px solid #eceef2;text-align:left;vertical-align:top}
th{background:#eef1f5;font-weight:600}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}td.run{white-space:nowrap;font-size:13px}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-weight:600;font-size:13px}
.ok .badge,.badge.ok{background:#dff3e4;color:#17672e}.mismatch .badge,.badge.mismatch{background:#fde2e1;color:#a11b12}
.skipped .badge,.badge.skipped{background:#eceef2;color:#5b6475}
tr.mismatch td{background:#fff6f5}
.keys{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px;word-break:break-all}
.doc{background:#fff;border:1px solid #dde1e8;border-radius:6px;padding:8px 16px;margin:12px 0}
footer{color:#8a92a3;font-size:12px;margin-top:32px}
`;

export function renderCheckHtml(report: CheckReport): string {
  const t = report.totals;
  const orphans = report.referentialIntegrity.orphanRows;
  const title = `Migration check: ${report.status === 'ok' ? 'all documents match' : t.mismatch > 0 ? `${t.mismatch} of ${t.documents} documents differ` : orphans > 0 ? `${orphans} rows point at nothing` : 'a verification failed'}`;
  const cards = [
    ['documents', t.documents],
    ['match', t.ok],
    ['differ', t.mismatch],
    ['skipped', t.skipped],
    ['missing rows', t.missing],
    ['extra rows', t.extra],
    ['changed rows', t.changed],
    ['rejected rows outstanding', t.rejectedRows],
    ['orphan rows', orphans],
  ]
    .map(
      ([label, value]) =>
        `<div class="card"><b>${value === null ? notMeasured() : value}</b>${escapeHtml(String(label))}</div>`,
    )
    .join('');
  const mismatches = report.documents.filter((d) => d.status === 'mismatch');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)} <span class="badge ${report.status}" id="overall-status">${report.status === 'ok' ? 'OK' : 'MISMATCH'}</span></h1>
<p class="meta">${report.mode === 'deep' ? 'Deep check: every row compared by key and checksum' : 'Row counts compared (run with --deep to compare values)'}</p>
<p class="meta">Started ${escapeHtml(report.startedAt)}, took ${escapeHtml(durationText(report.seconds))}. Source ${escapeHtml(report.source)}, destination ${escapeHtml(report.destination)}.</p>
<p class="meta">Configuration ${escapeHtml(report.config)}</p>
<p class="note">Note: ${escapeHtml(report.note)}.</p>
<div class="cards">${cards}</div>
<h2>Documents</h2>
<div class="scroll"><table id="documents">
<thead><tr><th>status</th><th>document &rarr; destination</th><th>compared by</th><th>source rows</th><th>destination rows</th><th>missing</th><th>extra</th><th>changed</th><th title="rows the copy rejected and --retry-rejected has not yet loaded">rejected, outstanding</th><th>last data run</th></tr></thead>
<tbody>
${byStatus(report.documents).map(documentRow).join('\n')}
</tbody>
</table></div>
${mismatches.length ? `<h2>Differences</h2>\n${mismatches.map(documentDetail).join('\n')}` : '<p class="meta">No differences found.</p>'}
${referentialSection(report.referentialIntegrity)}
${report.verifications.map(verificationSection).join('\n')}
${notesSection(report.documents)}
${settingsSection(report.settings)}
${leftBehindSection(report.leftBehind)}
<footer>${escapeHtml(report.tool)}, report format ${report.version}, generated ${escapeHtml(report.generatedAt)}</footer>
</main>
</body>
</html>
`;
}

/** A count the check did not measure: a dash that says so on hover and to a screen reader. */
function notMeasured(): string {
  return `<span title="not measured: row counts cannot tell which rows differ; run the check with --deep">${NOT_MEASURED_TEXT}</span>`;
}

function documentRow(d: DocumentReport): string {
  const number = (n: number | null) => `<td class="n">${n === null ? notMeasured() : n}</td>`;
  return `<tr class="${d.status}" data-document="${escapeHtml(d.document)}"><td><span class="badge">${d.status}</span></td><td>${escapeHtml(d.document)}<br><span class="meta">&rarr; ${escapeHtml(d.destination)}</span></td><td>${methodText(d)}</td><td class="n">${d.sourceRows}</td><td class="n">${d.destinationRows}</td>${number(d.counts.missing)}${number(d.counts.extra)}${number(d.counts.changed)}<td class="n">${d.rejectedRows}</td><td class="run">${lastRunText(d)}</td></tr>`;
}

/** What differs first, for the reader who signs off; otherwise the report's order. */
function byStatus(documents: readonly DocumentReport[]): DocumentReport[] {
  const rank = { mismatch: 0, ok: 1, skipped: 2 } as const;
  return [...documents].sort((a, b) => rank[a.status] - rank[b.status]);
}

function lastRunText(d: DocumentReport): string {
  const run = d.lastRun;
  if (!run) return d.status === 'skipped' ? 'merged by migrate settings (see Settings below)' : 'never run';
  const error = run.lastError ? `<br><span class="meta">${escapeHtml(run.lastError)}</span>` : '';
  // The copy's own count: delta may have added or removed rows since, so it can differ from the table now.
  const since =
    run.rows !== d.destinationRows
      ? `<br><span class="meta">the table holds ${d.destinationRows} now: delta applied the shop's later changes, or rows were retried</span>`
      : '';
  return `${escapeHtml(run.state)}: ${run.rows} rows written by the copy${since}, ${escapeHtml(durationText(run.seconds))}${run.method ? `<br><span class="meta">${escapeHtml(run.method)}</span>` : ''}${error}`;
}

function methodText(d: DocumentReport): string {
  switch (d.method) {
    case 'sql':
      return d.key ? 'database checksums' : 'whole-table checksum';
    case 'stream':
      return d.key ? 'tool checksums' : 'whole-table checksum (tool)';
    case 'count':
      return 'row count';
  }
}

function documentDetail(d: DocumentReport): string {
  const lists = (['missing', 'extra', 'changed'] as const)
    .filter((kind) => (d.counts[kind] ?? 0) > 0)
    .map((kind) => `<p><b>${d.counts[kind]} ${kind}</b>${keyList(d[kind], d.counts[kind] ?? 0)}</p>`)
    .join('');
  const why = {
    missing: 'in the source, not in the destination',
    extra: 'in the destination, not in the source',
    changed: 'in both, with different values',
  };
  const legend = `<p class="meta">Missing: ${why.missing}. Extra: ${why.extra}. Changed: ${why.changed}.${d.key ? ` Keys are values of ${escapeHtml(d.key.join(', '))}.` : ''}</p>`;
  return `<div class="doc mismatch" data-document="${escapeHtml(d.document)}"><h3>${escapeHtml(d.document)} &rarr; ${escapeHtml(d.destination)}</h3>${lists || `<p>${d.method === 'count' ? 'The row counts differ.' : 'The checksums differ.'}</p>`}${legend}${d.notes.map((n) => `<p class="meta">${escapeHtml(n)}</p>`).join('')}${repairText(d)}</div>`;
}

function keyList(keys: readonly ReportKey[], total: number): string {
  if (keys.length === 0) return '';
  const more = total - keys.length;
  return `: <span class="keys">${keys.map((k) => escapeHtml(keyText(k))).join(', ')}${more > 0 ? ` &hellip; and ${more} more` : ''}</span>`;
}

function repairText(d: DocumentReport): string {
  return d.repair ? `<p class="repair">To repair: ${escapeHtml(d.repair)}</p>` : '';
}

function notesSection(documents: readonly DocumentReport[]): string {
  const noted = documents.filter((d) => d.status !== 'mismatch' && (d.notes.length > 0 || d.repair));
  if (noted.length === 0) return '';
  const items = noted
    .map(
      (d) =>
        `<li><b>${escapeHtml(d.document)}</b>: ${d.notes.map(escapeHtml).join('; ')}${d.repair ? `${d.notes.length ? '; ' : ''}to repair: ${escapeHtml(d.repair)}` : ''}</li>`,
    )
    .join('');
  return `<h2>Notes</h2><ul>${items}</ul>`;
}

function settingsSection(settings: SettingsState | null): string {
  if (!settings) return '';
  const badge = settings.status === 'in-sync' ? 'ok' : 'mismatch';
  return `<h2>Settings</h2><p id="settings"><span class="badge ${badge}">${escapeHtml(settings.status)}</span> migrate settings: ${escapeHtml(settings.detail)}</p>`;
}

/** What the map's ignore rules keep out of the migration: signed off as deliberately not migrated. */
function leftBehindSection(left: LeftBehind): string {
  const lists: Array<[string, string[]]> = [
    ['Source documents', left.source.documents],
    ['Source fields', left.source.fields],
    ['Destination documents', left.destination.documents],
    ['Destination fields', left.destination.fields],
  ];
  const items = lists
    .filter(([, names]) => names.length > 0)
    .map(
      ([label, names]) =>
        `<li><b>${escapeHtml(label)} (${names.length})</b>: <span class="keys">${names.map(escapeHtml).join(', ')}</span></li>`,
    )
    .join('');
  return `<h2>Left behind on purpose</h2><div id="left-behind">${items ? `<p class="meta">Ignored by the map: not migrated, on purpose.</p><ul>${items}</ul>` : '<p class="meta">The map ignores nothing: every document and field is migrated.</p>'}</div>`;
}

/** Referential integrity: per foreign key, the rows that point at no parent row. */
function referentialSection(integrity: ReferentialIntegrity): string {
  const head = `<h2>Referential integrity</h2><p class="meta">${integrity.constraints} foreign keys verified (${escapeHtml(integrity.scope)}).</p>`;
  if (integrity.constraints === 0) return `${head}<div id="referential-integrity"></div>`;
  const rows = integrity.checked
    .map((c) => {
      const status = c.orphans > 0 ? 'mismatch' : 'ok';
      const examples = c.examples
        .map(
          (e) =>
            `${c.key ? `${escapeHtml(keyText(e.key))} &rarr; ` : ''}${escapeHtml(keyText(e.references))}`,
        )
        .join(', ');
      const more = c.orphans - c.examples.length;
      return `<tr class="${status}" data-constraint="${escapeHtml(c.constraint)}"><td><span class="badge">${status}</span></td><td>${escapeHtml(c.document)} (${escapeHtml(c.columns.join(', '))})<br><span class="meta">&rarr; ${escapeHtml(c.parentTable)} (${escapeHtml(c.parentColumns.join(', '))}), ${escapeHtml(c.constraint)}</span></td><td class="n">${c.orphans}</td><td><span class="keys">${examples}${more > 0 && examples ? ` &hellip; and ${more} more` : ''}</span>${c.repair ? `<p class="repair">To repair: ${escapeHtml(c.repair)}</p>` : ''}</td></tr>`;
    })
    .join('\n');
  return `${head}<div class="scroll"><table id="referential-integrity"><thead><tr><th>status</th><th>child document (columns) &rarr; parent</th><th>orphan rows</th><th>examples (child key &rarr; missing parent key)</th></tr></thead><tbody>\n${rows}\n</tbody></table></div>`;
}

/** A step's or profile's own verification. */
function verificationSection(v: VerificationReport): string {
  const badge = v.status === 'ok' ? 'ok' : 'mismatch';
  const items = v.findings
    .map(
      (f) =>
        `<li><b>${escapeHtml(f.document)}</b>: ${escapeHtml(f.message)}${f.rows === null ? '' : ` (${f.rows} rows)`}${f.examples.length ? `: <span class="keys">${f.examples.map((k) => escapeHtml(keyText(k))).join(', ')}</span>` : ''}<p class="repair">To repair: ${escapeHtml(f.repair)}</p></li>`,
    )
    .join('');
  return `<h2>Verification: ${escapeHtml(v.name)}</h2><p class="verification" data-name="${escapeHtml(v.name)}"><span class="badge ${badge}">${v.status}</span> ${escapeHtml(v.scope)}</p>${items ? `<ul>${items}</ul>` : ''}`;
}

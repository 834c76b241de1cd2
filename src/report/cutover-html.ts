/**
 * The cut-over report as one self-contained HTML page (the check report's style: inline CSS,
 * no script, no external URL): the downtime window phase by phase, the documents checked
 * before downtime, and what the window verified. Every name and value is escaped.
 */
import { escapeHtml, STYLE } from './check-html.js';
import { type CutoverReport, PHASE_TITLES } from './cutover-report.js';
import { durationText } from './duration-text.js';
import { keyText } from './key-text.js';

const PHASE_STYLE = `
.bar{display:flex;height:26px;border:1px solid #dde1e8;border-radius:4px;overflow:hidden;margin:10px 0;background:#fff}
.bar span{display:block;height:100%;font-size:12px;line-height:26px;padding:0 4px;white-space:nowrap;overflow:hidden;color:#1d2433}
.bar .w0{background:#cfe0fb}.bar .w1{background:#fde7c8}.bar .w2{background:#d9f0dc}.bar .w3{background:#eadcf7}.bar .w4{background:#f7d7d7}
`;

export function renderCutoverHtml(report: CutoverReport): string {
  const e = escapeHtml;
  const status = report.status === 'done' ? 'ok' : 'mismatch';
  const title = report.rehearsal
    ? `Cut-over rehearsal: ${report.status === 'done' ? 'the window would take' : 'would have aborted after'} ${durationText(report.window?.seconds ?? 0)}`
    : report.status === 'done'
      ? `Cut-over done: downtime ${durationText(report.window?.seconds ?? 0)}`
      : `Cut-over aborted in phase ${PHASE_TITLES[report.abort?.phase ?? 'before']}`;
  const window = report.phases.filter((p) => p.inWindow);
  const total = window.reduce((t, p) => t + p.seconds, 0) || 1;
  const bar = window
    .map(
      (p, i) =>
        `<span class="w${i % 5}" style="width:${Math.max(2, (100 * p.seconds) / total).toFixed(1)}%" title="${e(PHASE_TITLES[p.phase])} ${p.seconds.toFixed(1)} s">${e(PHASE_TITLES[p.phase])} ${p.seconds.toFixed(1)} s</span>`,
    )
    .join('');
  const phaseRows = report.phases
    .map(
      (p) =>
        `<tr class="${p.status === 'failed' ? 'mismatch' : ''}"><td>${e(PHASE_TITLES[p.phase])}</td><td class="n">${p.seconds.toFixed(1)}</td><td><span class="badge ${p.status === 'ok' ? 'ok' : p.status === 'failed' ? 'mismatch' : 'skipped'}">${e(p.status)}</span></td><td>${p.inWindow ? 'yes' : ''}</td><td>${p.details.map(e).join('<br>')}</td></tr>`,
    )
    .join('');
  const before = report.checkedBefore
    .map(
      (d) =>
        `<tr class="${d.status}"><td>${e(d.document)}</td><td class="n">${d.rows}</td><td class="n">${d.differences}</td><td><span class="badge">${e(d.status)}</span></td></tr>`,
    )
    .join('');
  const verify = report.verify
    .map((d) => {
      const keys = [
        ...d.missing.map((k) => `missing ${keyText(k)}`),
        ...d.extra.map((k) => `extra ${keyText(k)}`),
        ...d.changed.map((k) => `changed ${keyText(k)}`),
      ];
      return `<tr class="${d.status}"><td>${e(d.document)}</td><td>${e(d.destination)}</td><td class="n">${d.sourceRows}</td><td class="n">${d.destinationRows}</td><td class="n">${d.keysCompared ?? '–'}</td><td class="n">${d.counts.missing}</td><td class="n">${d.counts.extra}</td><td class="n">${d.counts.changed}</td><td><span class="badge">${e(d.status)}</span></td><td class="keys">${keys.map(e).join('<br>')}${d.notes.length ? `<br>${d.notes.map(e).join('<br>')}` : ''}</td></tr>`;
    })
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${e(title)}</title><style>${STYLE}${PHASE_STYLE}</style></head>
<body><main>
<h1><span class="badge ${status}">${e(report.status)}</span> ${e(title)}</h1>
<p class="meta">${e(report.source)} → ${e(report.destination)}</p>
<p class="meta">config ${e(report.config)}; started ${e(report.startedAt)}; report ${e(report.generatedAt)}</p>
${report.abort ? `<p class="note">Aborted in phase ${e(PHASE_TITLES[report.abort.phase])}: ${e(report.abort.reason)}. ${report.abort.hookRan ? 'The abort hook ran: the old shop is back in service.' : 'The abort hook did not run.'} Nothing was lost: the old store was only read and change tracking stays.</p>` : ''}
${report.window ? `<h2>The window: ${report.window.seconds.toFixed(1)} s</h2><div class="bar">${bar}</div><p class="meta">${e(report.window.startedAt)} to ${e(report.window.endedAt)}</p>` : ''}
<h2>Phases</h2>
<div class="scroll"><table><tr><th>phase</th><th>seconds</th><th>status</th><th>downtime</th><th>what happened</th></tr>${phaseRows}</table></div>
<h2>Checked in full before downtime</h2>
${before ? `<div class="scroll"><table><tr><th>document</th><th>rows</th><th>differences</th><th>status</th></tr>${before}</table></div>` : '<p class="meta">none: every document had been verified by an earlier full deep check</p>'}
<h2>Verified in the window</h2>
${verify ? `<div class="scroll"><table><tr><th>document</th><th>destination</th><th>source rows</th><th>destination rows</th><th>keys compared</th><th>missing</th><th>extra</th><th>changed</th><th>status</th><th>keys and notes</th></tr>${verify}</table></div>` : '<p class="meta">the window did not reach the verify</p>'}
<footer>${e(report.tool)}</footer>
</main></body></html>
`;
}

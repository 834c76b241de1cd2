/** The cut-over on the console: the window phase by phase, then what the verify compared. */
import { type CutoverReport, PHASE_TITLES } from './cutover-report.js';
import { keyText } from './key-text.js';
import { textTable } from './table.js';

/** The phase's last detail, cut to fit a terminal line (every detail is in the log and the reports). */
function short(text: string): string {
  return text.length > DETAIL_CHARS ? `${text.slice(0, DETAIL_CHARS - 1)}…` : text;
}

const DETAIL_CHARS = 80;

export function formatCutover(report: CutoverReport): string {
  const phases = textTable(
    ['phase', 'seconds', 'status', 'downtime', 'what happened'],
    report.phases.map((p) => [
      PHASE_TITLES[p.phase],
      p.seconds.toFixed(1),
      p.status,
      p.inWindow ? 'yes' : '',
      short(p.details.at(-1) ?? ''),
    ]),
    ['left', 'right', 'left', 'left', 'left'],
  );
  const lines = [phases];
  if (report.window) {
    lines.push(
      `${report.rehearsal ? 'the window would have taken' : 'downtime'}: ${report.window.seconds.toFixed(1)} s (${report.window.startedAt} to ${report.window.endedAt})`,
    );
  }
  if (report.verify.length > 0) {
    lines.push(
      textTable(
        [
          'document',
          'source rows',
          'destination rows',
          'keys compared',
          'missing',
          'extra',
          'changed',
          'status',
        ],
        report.verify.map((d) => [
          d.document,
          String(d.sourceRows),
          String(d.destinationRows),
          d.keysCompared === null ? '–' : String(d.keysCompared),
          String(d.counts.missing),
          String(d.counts.extra),
          String(d.counts.changed),
          d.status,
        ]),
        ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'left'],
      ),
    );
    for (const d of report.verify.filter((v) => v.status === 'mismatch')) {
      const keys = [
        ...d.missing.map((k) => `missing ${keyText(k)}`),
        ...d.extra.map((k) => `extra ${keyText(k)}`),
        ...d.changed.map((k) => `changed ${keyText(k)}`),
      ];
      if (keys.length) lines.push(`${d.document}: ${keys.join(', ')}`);
    }
  }
  return lines.join('\n');
}

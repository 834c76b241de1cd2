/** `migrate status` on the console: the data run per document, then the delta backlog. */
import type { DeferredIndex } from '../progress/deferred-index-store.js';
import type { RunStatus } from '../steps/check/run-status.js';
import { durationText } from './duration-text.js';
import { textTable } from './table.js';

export function formatStatus(status: RunStatus): string {
  const lines: string[] = [];
  if (!status.started) {
    lines.push(
      `no data run yet: the progress table ${status.progressTable} does not exist in ${status.destination}`,
    );
  } else {
    const t = status.totals;
    lines.push(
      `data run: ${t.copied} copied, ${t.copying} copying, ${t.pending} pending, ${t.failed} failed of ${status.documents.length} documents` +
        (status.lastActivity ? ` (last progress ${status.lastActivity})` : ''),
    );
    lines.push(
      textTable(
        [
          'document',
          'destination',
          'state',
          'parts',
          'rows',
          'of',
          'rejected',
          'time',
          'method',
          'last error',
        ],
        status.documents.map((d) => [
          d.document,
          d.destination ?? '(not in the mapping)',
          d.state,
          d.parts ? `${d.partsCopied}/${d.parts}` : '-',
          String(d.rows),
          d.estimatedRows === null ? '' : `~${d.estimatedRows}`,
          String(d.rejected),
          d.parts ? durationText(d.seconds) : '-',
          d.method ?? '-',
          oneLine(d.lastError),
        ]),
        ['left', 'left', 'left', 'right', 'right', 'right', 'right', 'right', 'left', 'left'],
      ),
    );
  }
  if (status.deferredIndexes.length > 0) lines.push(deferredIndexesText(status.deferredIndexes));
  if (status.delta) {
    const installed = status.delta.documents.filter((d) => d.rows !== null);
    const waiting = installed.reduce((total, d) => total + (d.rows ?? 0), 0);
    lines.push(
      `delta backlog: ${waiting} changes waiting in ${installed.length} of ${status.delta.documents.length} change logs (prefix ${status.delta.prefix}, from ${status.delta.file})`,
    );
    lines.push(
      textTable(
        ['document', 'change log', 'waiting'],
        status.delta.documents.map((d) => [
          d.document,
          d.changeLog,
          d.error
            ? `cannot count: ${oneLine(d.error)}`
            : d.rows === null
              ? 'tracking not installed'
              : String(d.rows),
        ]),
        ['left', 'left', 'right'],
      ),
    );
  } else {
    lines.push('delta backlog: no <deltalog_file> in config.xml, so no change tracking');
  }
  return lines.join('\n');
}

/** One line per destination table whose indexes the copy dropped and has not built yet. */
function deferredIndexesText(indexes: readonly DeferredIndex[]): string {
  const byTable = new Map<string, string[]>();
  for (const index of indexes) byTable.set(index.table, [...(byTable.get(index.table) ?? []), index.name]);
  const lines = [...byTable].map(
    ([table, names]) =>
      `  ${table}: ${names.length} index(es) deferred by the copy, not built yet (${names.join(', ')})`,
  );
  return `destination indexes the copy dropped for speed; \`migrate data\` builds them as soon as their document is copied:\n${lines.join('\n')}`;
}

function oneLine(text: string | null): string {
  if (!text) return '';
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 117)}...` : flat;
}

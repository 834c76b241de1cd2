/** The plan and the integrity problems as the operator reads them on the console. */
import type { DocumentPlan } from '../mappings/plan.js';
import type { Problem } from '../mappings/problems.js';
import { countBySeverity } from '../mappings/problems.js';
import type { Resolution } from '../mappings/resolve.js';
import type { CopyChoice } from '../steps/data/copy-method.js';
import { textTable } from './table.js';

/**
 * The plan table, with each document's copy method as the run will use it (`choices`, from
 * src/steps/data/copy-method.ts). When direct copy is configured, the documents it does not
 * reach are listed under the table with the reason.
 */
export function formatPlan(
  resolution: Resolution,
  choices: ReadonlyMap<string, CopyChoice>,
  directConfigured: boolean,
): string {
  const rows = resolution.plans.map((p) => [
    p.document,
    p.destinationDocument,
    String(p.columns.length),
    String(p.sourceHandlers.length + p.destinationHandlers.length),
    p.key ? p.key.join(',') : '(none: one read)',
    `~${p.estimatedRows}`,
    choices.get(p.document)?.label ?? '-',
  ]);
  const table = textTable(
    ['source document', 'destination', 'columns', 'handlers', 'paged by', 'rows', 'method'],
    rows,
    ['left', 'left', 'right', 'right', 'left', 'right', 'left'],
  );
  const ignored = resolution.ignored.length
    ? `\nignored source documents: ${resolution.ignored.map((i) => i.document).join(', ')}`
    : '';
  const hidden = formatHidden(resolution);
  const streamed = directConfigured ? formatNotDirect(resolution.plans, choices) : '';
  return `plan: ${resolution.plans.length} documents\n${table}${ignored}${hidden ? `\n${hidden}` : ''}${streamed ? `\n${streamed}` : ''}`;
}

/** Documents `<direct_document_copy>1` does not copy by INSERT..SELECT, and why; '' when none. */
function formatNotDirect(plans: readonly DocumentPlan[], choices: ReadonlyMap<string, CopyChoice>): string {
  const lines = plans.flatMap((p) => {
    const choice = choices.get(p.document);
    if (!choice || choice.method === 'insert-select' || choice.method === 'settings') return [];
    return [`  ${p.document}: ${choice.reason}`];
  });
  return lines.length ? `not copied by INSERT..SELECT:\n${lines.join('\n')}` : '';
}

/** The tables left out as the tool's own (change logs, the progress table), or '' when none. */
export function formatHidden(resolution: Pick<Resolution, 'hidden'>): string {
  if (resolution.hidden.length === 0) return '';
  const names = resolution.hidden.map((h) => `${h.side} ${JSON.stringify(h.table).slice(1, -1)} (${h.what})`);
  return `left out as the tool's own: ${names.join(', ')}`;
}

export function formatProblems(problems: readonly Problem[]): string {
  if (problems.length === 0) return 'integrity check: no problems';
  const counts = countBySeverity(problems);
  const order = { error: 0, warning: 1, info: 2 } as const;
  const sorted = [...problems].sort(
    (a, b) => order[a.severity] - order[b.severity] || a.document.localeCompare(b.document),
  );
  const lines = sorted.map((p) => `${p.severity.padEnd(7)} ${p.code}: ${p.message}\n        fix: ${p.fix}`);
  return `integrity check: ${counts.error} errors, ${counts.warning} warnings, ${counts.info} notes\n${lines.join('\n')}`;
}

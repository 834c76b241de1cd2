/**
 * The command that repairs what a check found, per document: a report that says "mismatch"
 * must also say what to run. Waiting changes are applied by delta; an unfinished copy is
 * resumed; rejected rows are written again once fixed; any other difference is re-copied.
 */
import { shellWord } from '../util/shell-word.js';
import type { DocumentReport } from './check-report.js';

export interface RepairContext {
  /** The config path as commands should name it. */
  config: string;
  /** Changes waiting in this document's change log when the check ended; undefined untracked. */
  waiting: number | undefined;
}

export function repairCommand(
  document: Pick<DocumentReport, 'document' | 'status' | 'rejectedRows' | 'lastRun'>,
  context: RepairContext,
): string | null {
  const config = shellWord(context.config);
  const only = `--only ${shellWord(document.document)}`;
  const checkAgain = `then \`migrate check ${config} --deep ${only}\``;
  if (document.status === 'skipped') return null;
  if (document.status === 'ok') {
    return document.rejectedRows > 0
      ? `fix the rows in the rejected-rows file, then \`migrate data ${config} --retry-rejected\``
      : null;
  }
  if ((context.waiting ?? 0) > 0) return `\`migrate delta ${config} --until-caught-up\`, ${checkAgain}`;
  if (document.lastRun?.state !== 'copied') {
    return `\`migrate data ${config} ${only}\` (finishes the copy), ${checkAgain}`;
  }
  return `\`migrate data ${config} --reset ${only}\` (empties and re-copies this document only), ${checkAgain}`;
}

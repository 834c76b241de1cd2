/** What `migrate data` says about earlier runs before it copies: a resume, or nothing to do. */
import type { PriorRun } from '../steps/data/prior-run.js';
import { shellWord } from '../util/shell-word.js';

/** The line a resume starts with. */
export function resumeText(prior: PriorRun): string {
  const when = prior.lastUpdate ? ` (last progress ${prior.lastUpdate.toISOString()})` : '';
  const begun = prior.begun.length
    ? `; continuing ${prior.begun.join(', ')} from their last committed chunk`
    : '';
  return `resuming from the last run${when}: ${prior.copied.length} of ${prior.documents} documents already copied, ${prior.rows} rows committed${begun}`;
}

/** What a rerun of a finished copy prints instead of the copy table. */
export function finishedText(prior: PriorRun, configPath: string): string {
  const config = shellWord(configPath);
  const when = prior.lastUpdate ? ` on ${prior.lastUpdate.toISOString()}` : '';
  return `nothing to do: every document was copied${when} (${prior.documents} documents, ${prior.rows} rows); \`migrate status ${config}\` shows that run; \`migrate data ${config} --reset --only <document>\` copies one again`;
}

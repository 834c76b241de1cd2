/**
 * `check` and `plan` go on with the documents that resolve when the mapping has integrity
 * errors; they say so once, pointing at the dry run that lists the errors.
 */
import type { Logger } from '../log.js';
import { countBySeverity, type Problem } from '../mappings/problems.js';

export function warnIntegrityErrors(
  log: Logger,
  problems: readonly Problem[],
  configPath: string,
  consequence: string,
) {
  const errors = countBySeverity(problems).error;
  if (errors === 0) return;
  log.warn(
    `the mapping has ${errors} integrity errors (see \`migrate data ${configPath} --dry-run\`); ${consequence}`,
  );
}

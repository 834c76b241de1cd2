/**
 * The documents `check`, `plan` and `status` look at: every planned document (the settings
 * step's too, which they list apart), narrowed by --only / --skip globs on the source or
 * destination name, as `migrate data` narrows its copy.
 */
import { ExitCode, MigrateError } from '../../errors.js';
import type { DocumentPlan } from '../../mappings/plan.js';
import { selectByGlobs } from '../../mappings/select-plans.js';

export function selectDocuments(
  plans: readonly DocumentPlan[],
  only?: readonly string[],
  skip?: readonly string[],
): DocumentPlan[] {
  const selected = selectByGlobs(plans, only, skip);
  if (selected.length === 0) {
    throw new MigrateError('no document matches --only / --skip', {
      code: 'NOTHING_SELECTED',
      exitCode: ExitCode.usage,
      hint: 'check the globs against the document names `migrate data <config> --dry-run` prints',
    });
  }
  return selected;
}

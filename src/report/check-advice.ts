/**
 * The line `migrate check` ends a mismatch with: what to do next, from what the report shows.
 * Before any copy, the next step is `migrate data`, not delta; without change tracking there is
 * no delta to wait for; otherwise delta may explain the differences of a live shop.
 */
import { shellWord } from '../util/shell-word.js';
import type { CheckReport } from './check-report.js';

export function mismatchAdvice(report: CheckReport, configPath: string, tracked: boolean): string {
  const orphans = report.referentialIntegrity.orphanRows;
  const failedVerifications = report.verifications.filter((v) => v.status === 'failed').map((v) => v.name);
  if (report.totals.mismatch === 0 && orphans === 0 && failedVerifications.length > 0) {
    return `every document matches, but the verification of ${failedVerifications.join(', ')} failed (see above); each finding names its repair`;
  }
  if (report.totals.mismatch === 0 && orphans > 0) {
    return `every document matches, but ${orphans} destination rows point at rows that do not exist (referential integrity above): the shop will show broken records; each foreign key above names its repair`;
  }
  const config = shellWord(configPath);
  const compared = report.documents.filter((d) => d.status !== 'skipped');
  if (compared.length > 0 && compared.every((d) => d.lastRun === null)) {
    return `nothing has been copied yet: run \`migrate data ${config}\` first, then check again`;
  }
  const perDocument = 'each differing document above names the command that repairs it';
  if (!tracked) {
    return `the destination differs from the source (see above); ${perDocument}. Without a <deltalog_file> no change is tracked, so the differences will not go away by themselves.`;
  }
  return `the destination differs from the source (see above). While the shop is live, run \`migrate delta ${config}\` until it has caught up, then check again; differences that remain are real: ${perDocument}.`;
}

/**
 * What every command's --help ends with: the exit statuses that command can end with, so a
 * cut-over script can be written from the help alone (README, "Exit statuses and
 * troubleshooting", has the full table with what to do for each).
 */

const MEANING: Record<number, string> = {
  0: 'done',
  1: 'the run failed, or rows were rejected; what was committed is kept',
  2: 'bad usage, config, mapping, connection or privileges; nothing was written',
  3: 'the integrity check failed; nothing was written',
  4: 'counts or rows differ',
  130: 'stopped by Ctrl+C (or SIGTERM) after committing the work in hand; run it again to resume',
};

/** The statuses each command can end with, and what a status means for it when it is special. */
const STATUSES: Record<string, Array<number | [number, string]>> = {
  preflight: [
    [0, 'both sides answer and every privilege is there'],
    [2, 'a privilege is missing (the GRANTs are printed), or bad config or connection'],
  ],
  plan: [0, 2],
  settings: [
    0,
    [1, 'a value was refused; the whole merge was rolled back'],
    2,
    3,
    [4, 'the verify after the merge found differences'],
    130,
  ],
  data: [0, 1, 2, 3, [4, 'the volume check found a mismatch no waiting change explains'], 130],
  delta: [[0, '--until-caught-up: every change log is empty'], 1, 2, 130],
  check: [
    [0, 'every compared document matches and no foreign key has orphan rows'],
    [1, 'the check (which changes nothing) failed'],
    2,
    [4, 'a document differs, or destination rows point at nothing: the report names each and its repair'],
  ],
  cutover: [
    [0, 'the new shop is live (--rehearse: the window would have succeeded)'],
    [1, 'refused before downtime (nothing touched), or aborted: a phase or hook failed; the abort hook ran'],
    [2, 'bad usage or config (a traffic hook missing); nothing was done'],
    [4, 'aborted: the verify found differences; the abort hook ran'],
    [5, 'another run (such as migrate delta) holds the run lock; nothing was done'],
    [130, 'Ctrl+C: before downtime nothing was touched; inside the window the abort hook ran'],
  ],
  status: [0, 2],
  cleanup: [0, [2, 'bad config or connection, or --drop-progress not confirmed']],
};

export function exitStatusEpilog(command: string): string {
  const lines = (STATUSES[command] ?? [0, 1, 2]).map((entry) => {
    const [status, meaning] = Array.isArray(entry) ? entry : [entry, MEANING[entry] ?? ''];
    return `  ${String(status).padEnd(4)}${meaning}`;
  });
  return `Exit status:\n${lines.join('\n')}\nREADME, "Exit statuses and troubleshooting", says what to do for each.`;
}

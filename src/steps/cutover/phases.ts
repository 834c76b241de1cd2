/**
 * The cut-over's phases as they happen: each timed, logged as it starts and ends, and kept
 * for the report. A phase that throws is recorded as failed and the error goes on up.
 */
import type { Logger } from '../../log.js';
import { PHASE_TITLES, type PhaseName, type PhaseRecord } from '../../report/cutover-report.js';

export class PhaseLog {
  readonly phases: PhaseRecord[] = [];

  constructor(private readonly log: Logger) {}

  /** Runs `work` as `phase`; `work` adds detail lines through `note`. */
  async run<T>(
    phase: PhaseName,
    inWindow: boolean,
    work: (note: (line: string) => void) => Promise<T>,
  ): Promise<T> {
    const record: PhaseRecord = {
      phase,
      startedAt: new Date().toISOString(),
      seconds: 0,
      status: 'ok',
      inWindow,
      details: [],
    };
    this.phases.push(record);
    const started = performance.now();
    this.log.info(`cutover: ${PHASE_TITLES[phase]}...`);
    const note = (line: string) => {
      record.details.push(line);
      this.log.info(`  ${line}`);
    };
    try {
      return await work(note);
    } catch (error) {
      if (record.status === 'ok') record.status = 'failed';
      throw error;
    } finally {
      record.seconds = (performance.now() - started) / 1000;
      this.log.info(`cutover: ${PHASE_TITLES[phase]} ${record.status} in ${record.seconds.toFixed(1)} s`);
    }
  }

  /** A phase that did not run (a traffic hook in a rehearsal, or a hook config.xml lacks). */
  skip(phase: PhaseName, inWindow: boolean, why: string): void {
    this.phases.push({
      phase,
      startedAt: new Date().toISOString(),
      seconds: 0,
      status: 'skipped',
      inWindow,
      details: [why],
    });
    this.log.info(`cutover: ${PHASE_TITLES[phase]} skipped: ${why}`);
  }

  /** Marks the last phase as ended by Ctrl+C rather than done. */
  markStopped(): void {
    const last = this.phases.at(-1);
    if (last && last.status === 'ok') last.status = 'stopped';
  }
}

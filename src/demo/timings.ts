/** How long each demo step took: the table the demo ends with, and the same numbers for its summary file. */
import { performance } from 'node:perf_hooks';
import { textTable } from '../report/table.js';

export interface StepTiming {
  step: string;
  seconds: number;
}

export class Timings {
  private readonly steps: StepTiming[] = [];
  private readonly started = performance.now();

  /** Runs `work` and records its duration under `step`, also when it fails. */
  async time<T>(step: string, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.steps.push({ step, seconds: (performance.now() - started) / 1000 });
    }
  }

  get list(): readonly StepTiming[] {
    return this.steps;
  }

  /** Seconds since the demo started. */
  get total(): number {
    return (performance.now() - this.started) / 1000;
  }

  render(): string {
    const rows = this.steps.map((s) => [s.step, s.seconds.toFixed(1)]);
    return textTable(['step', 'seconds'], [...rows, ['total', this.total.toFixed(1)]], ['left', 'right']);
  }
}

/**
 * What a process costs, read from Linux's /proc: the peak resident set (VmHWM, the kernel's own
 * high-water mark) and CPU seconds (utime + stime). A child is sampled every 50 ms while it
 * runs, so the values are those of the last sample before it exits; a long-lived process (the
 * server) is read before and after a contender.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const SAMPLE_MS = 50;

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU seconds (user + system) the process has used so far, or undefined once it is gone. */
export function cpuSeconds(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name in parentheses may contain spaces; the fields after it do not.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After ")": state is field 3, utime field 14, stime field 15 (proc(5)).
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return (utime + stime) / CLOCK_TICKS;
}

/** VmHWM in bytes, or undefined once the process is gone (or is a zombie). */
export function peakRss(pid: number): number | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(status);
  return match ? Number(match[1]) * 1024 : undefined;
}

export interface ProcessCost {
  /** The largest VmHWM seen, bytes (0 when never read). */
  peakRssBytes: number;
  /** CPU seconds at the last sample. */
  cpuSeconds: number;
}

/** Samples `pid` every 50 ms until `stop()` is called, which returns what was seen. */
export function sampleProcess(pid: number): { stop(): ProcessCost } {
  const cost: ProcessCost = { peakRssBytes: 0, cpuSeconds: 0 };
  const sample = () => {
    const rss = peakRss(pid);
    const cpu = cpuSeconds(pid);
    if (rss !== undefined) cost.peakRssBytes = Math.max(cost.peakRssBytes, rss);
    if (cpu !== undefined) cost.cpuSeconds = Math.max(cost.cpuSeconds, cpu);
  };
  sample();
  const timer = setInterval(sample, SAMPLE_MS);
  return {
    stop() {
      clearInterval(timer);
      return cost;
    },
  };
}

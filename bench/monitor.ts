/**
 * What a process costs, read from Linux's /proc: the peak resident set (VmHWM, the kernel's own
 * high-water mark) and CPU seconds (utime + stime). A child and its descendants are sampled
 * every 50 ms while they run, so the values are those of the last sample before each exits; a
 * long-lived process (the server) is read before and after a contender.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

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

/** CPU seconds the whole machine has been busy (all CPUs, everything but idle and iowait), from /proc/stat. */
export function machineBusySeconds(): number | undefined {
  let stat: string;
  try {
    stat = readFileSync('/proc/stat', 'utf8');
  } catch {
    return undefined;
  }
  const fields = (stat.split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS;
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
  /** The largest VmHWM of any one process of the tree, bytes (0 when never read). */
  peakRssBytes: number;
  /** CPU seconds of the whole tree: per process, its last sample, summed. */
  cpuSeconds: number;
}

/** The process ids of `pid`'s children (all its threads'), from /proc/<pid>/task/<tid>/children. */
function children(pid: number): number[] {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const found: number[] = [];
  for (const task of tasks) {
    try {
      for (const child of readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ')) {
        if (child.trim()) found.push(Number(child));
      }
    } catch {}
  }
  return found;
}

/**
 * Samples `pid` and its descendants (a shell pipeline's processes, say) every 50 ms until
 * `stop()` is called, which returns what was seen.
 */
export function sampleProcess(pid: number): { stop(): ProcessCost } {
  const hwm = new Map<number, number>();
  const cpu = new Map<number, number>();
  const sample = () => {
    const queue = [pid];
    for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
      const rss = peakRss(next);
      const used = cpuSeconds(next);
      if (rss !== undefined) hwm.set(next, Math.max(hwm.get(next) ?? 0, rss));
      if (used !== undefined) cpu.set(next, Math.max(cpu.get(next) ?? 0, used));
      queue.push(...children(next));
    }
  };
  sample();
  const timer = setInterval(sample, SAMPLE_MS);
  return {
    stop() {
      clearInterval(timer);
      return {
        peakRssBytes: Math.max(0, ...hwm.values()),
        cpuSeconds: [...cpu.values()].reduce((total, s) => total + s, 0),
      };
    },
  };
}

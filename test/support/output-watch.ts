/** Waiting on what a spawned `migrate` prints, for tests that act at a given moment of a run. */
import type { ChildProcess } from 'node:child_process';
import { type CliOptions, type CliResult, runCli } from './cli.js';

export interface StderrWatch {
  /** Everything the child wrote to stderr so far. */
  text(): string;
  /**
   * Resolves with the stderr so far once it matches `pattern` (also when it already did);
   * rejects after `timeoutMs`, or when the child ends without it.
   */
  until(pattern: RegExp, timeoutMs?: number): Promise<string>;
}

/** Starts collecting `child`'s stderr; call it in runCli's onSpawn so nothing is missed. */
export function watchStderr(child: ChildProcess): StderrWatch {
  let seen = '';
  let ended = false;
  const listeners = new Set<() => void>();
  child.stderr?.on('data', (chunk: Buffer) => {
    seen += chunk.toString();
    for (const listener of listeners) listener();
  });
  child.on('close', () => {
    ended = true;
    for (const listener of listeners) listener();
  });
  return {
    text: () => seen,
    until(pattern, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const finish = (error?: Error) => {
          clearTimeout(timer);
          listeners.delete(check);
          if (error) reject(error);
          else resolve(seen);
        };
        const check = () => {
          if (pattern.test(seen)) finish();
          else if (ended)
            finish(new Error(`the process ended before ${pattern} appeared in stderr:\n${seen}`));
        };
        const timer = setTimeout(
          () => finish(new Error(`no ${pattern} in stderr within ${timeoutMs} ms:\n${seen}`)),
          timeoutMs,
        );
        listeners.add(check);
        check();
      });
    },
  };
}

/** runCli with the child and a watch on its stderr at hand from the first byte. */
export function runWatched(
  args: readonly string[],
  options: Omit<CliOptions, 'onSpawn'> = {},
): { result: Promise<CliResult>; child: ChildProcess; stderr: StderrWatch } {
  let child!: ChildProcess;
  let stderr!: StderrWatch;
  const result = runCli(args, {
    ...options,
    onSpawn: (c) => {
      child = c;
      stderr = watchStderr(c);
    },
  });
  return { result, child, stderr };
}

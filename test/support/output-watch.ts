/** Waiting on what a spawned `migrate` prints, for tests that act at a given moment of a run. */
import type { ChildProcess } from 'node:child_process';

/** Resolves with the stderr seen so far once it matches `pattern`; rejects after `timeoutMs` or when the child ends first. */
export function waitForStderr(child: ChildProcess, pattern: RegExp, timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(
      () => done(new Error(`no ${pattern} in stderr within ${timeoutMs} ms:\n${seen}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      if (pattern.test(seen)) done();
    };
    const onClose = () => done(new Error(`the process ended before ${pattern} appeared in stderr:\n${seen}`));
    const done = (error?: Error) => {
      clearTimeout(timer);
      child.stderr?.off('data', onData);
      child.off('close', onClose);
      if (error) reject(error);
      else resolve(seen);
    };
    child.stderr?.on('data', onData);
    child.on('close', onClose);
  });
}

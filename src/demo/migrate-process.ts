/**
 * Runs `migrate <command> config.xml` as a child process of bin/migrate, with the terminal
 * inherited, so the demo shows exactly what an operator sees (progress bars included).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { constants } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../util/package-root.js';

/** How long a step may take to stop on its own (a Ctrl+C reaches it from the terminal too) before it is told to. */
const STOP_GRACE_MS = 3000;

export class MigrateRunner {
  private current: ChildProcess | undefined;

  constructor(
    /** The work folder: commands run there, so `config.xml` and report paths are short. */
    private readonly cwd: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** Runs one command to its end and resolves to its exit status (128 + n when killed by signal n). */
  run(args: readonly string[]): Promise<number> {
    const bin = join(packageRoot(), 'bin', 'migrate');
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: this.cwd,
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    this.current = child;
    return new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code, signal) => {
        if (this.current === child) this.current = undefined;
        resolve(code ?? 128 + (signal ? constants.signals[signal] : 0));
      });
    });
  }

  /**
   * Asks the running command to stop. A Ctrl+C in the terminal has reached it already, and it
   * stops after the work in hand; SIGTERM follows only if it is still running after a grace
   * period (say the demo alone got the signal).
   */
  stop(): void {
    const child = this.current;
    if (!child) return;
    setTimeout(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    }, STOP_GRACE_MS).unref();
  }
}

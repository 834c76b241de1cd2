/**
 * The operator's hooks (config.xml `<hooks>`): shell commands `migrate cutover` runs at its
 * phases, say one that turns on the old shop's maintenance mode. Each runs with /bin/sh -c in
 * the config file's folder, in a process group of its own (a Ctrl+C in the terminal reaches the
 * tool, not a half-run hook), with MIGRATE_PHASE and MIGRATE_CONFIG set and the variables that
 * hold config.xml's passwords removed. Its output goes, line by line, into the log. A non-zero
 * exit, a signal or its timeout is a failing hook, and so a failing phase.
 */
import { spawn } from 'node:child_process';
import { dirname } from 'node:path';
import type { Config, HookName } from '../../config/types.js';
import { ExitCode, MigrateError } from '../../errors.js';
import type { Logger } from '../../log.js';

/** After the timeout, SIGTERM; this long after that, SIGKILL. */
const KILL_GRACE_MS = 2000;
/** How long output may still arrive after the hook's shell exited. */
const OUTPUT_WAIT_MS = 500;
/** Lines of a hook's output kept for its error message and the report. */
const OUTPUT_LINES_KEPT = 20;

export interface HookRun {
  hook: HookName;
  command: string;
  seconds: number;
  /** Exit status; null when ended by a signal (the timeout's included). */
  exitCode: number | null;
  timedOut: boolean;
  /** Its last lines of output (stdout and stderr together). */
  output: string[];
}

/** Whether config.xml has this hook. */
export function hasHook(config: Config, hook: HookName): boolean {
  return config.hooks?.commands[hook] !== undefined;
}

/**
 * Runs `hook` if config.xml has it (resolves to undefined otherwise); throws HOOK_FAILED when it
 * fails or outlives its timeout. `phase` is what MIGRATE_PHASE says.
 */
export async function runHook(
  config: Config,
  hook: HookName,
  phase: string,
  log: Logger,
): Promise<HookRun | undefined> {
  const spec = config.hooks?.commands[hook];
  if (!spec) return undefined;
  log.info(`hook ${hook}: running \`${spec.command}\` (timeout ${spec.timeoutSeconds} s)`);
  const run = await execute(spec.command, spec.timeoutSeconds * 1000, hookEnvironment(config, phase), {
    cwd: dirname(config.file),
    onLine: (line) => log.info(`hook ${hook}: ${line}`),
  });
  const result: HookRun = { hook, ...run, command: spec.command };
  if (run.exitCode === 0 && !run.timedOut) return result;
  const why = run.timedOut
    ? `did not end within its timeout of ${spec.timeoutSeconds} s and was killed`
    : run.exitCode === null
      ? 'was killed by a signal'
      : `exited with status ${run.exitCode}`;
  throw new HookFailed(result, `the ${hook} hook \`${spec.command}\` ${why}`, {
    code: 'HOOK_FAILED',
    exitCode: ExitCode.failed,
    hint: run.timedOut
      ? `make the command finish sooner, or raise its timeout: <${hook} timeout="...">`
      : `its output is in the log above${config.options.logFile ? ` and in ${config.options.logFile}` : ''}; run it by hand to see why it fails`,
    context: { step: 'cutover' },
  });
}

/** A hook that failed, with what it did. */
export class HookFailed extends MigrateError {
  constructor(
    readonly run: HookRun,
    message: string,
    options: ConstructorParameters<typeof MigrateError>[1],
  ) {
    super(message, options);
  }
}

/** The tool's environment, minus config.xml's password variables, plus the phase and the config. */
export function hookEnvironment(config: Config, phase: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, MIGRATE_PHASE: phase, MIGRATE_CONFIG: config.file };
  for (const name of config.hooks?.secretVariables ?? []) delete env[name];
  return env;
}

interface Execution {
  seconds: number;
  exitCode: number | null;
  timedOut: boolean;
  output: string[];
}

function execute(
  command: string,
  timeoutMs: number,
  env: NodeJS.ProcessEnv,
  options: { cwd: string; onLine: (line: string) => void },
): Promise<Execution> {
  const started = performance.now();
  const output: string[] = [];
  const child = spawn('/bin/sh', ['-c', command], {
    cwd: options.cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const lines = lineSplitter((line) => {
    output.push(line);
    if (output.length > OUTPUT_LINES_KEPT) output.shift();
    options.onLine(line);
  });
  child.stdout.on('data', lines.write);
  child.stderr.on('data', lines.write);
  let timedOut = false;
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  let killTimer: NodeJS.Timeout | undefined;
  const timer = setTimeout(() => {
    timedOut = true;
    signalGroup('SIGTERM');
    killTimer = setTimeout(() => signalGroup('SIGKILL'), KILL_GRACE_MS);
  }, timeoutMs);
  return new Promise((resolve) => {
    let done = false;
    const finish = (exitCode: number | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearTimeout(killTimer);
      lines.end();
      resolve({ seconds: (performance.now() - started) / 1000, exitCode, timedOut, output });
    };
    child.on('error', (error) => {
      output.push(error.message);
      finish(127);
    });
    // A hook that leaves a background process holding its output open has still ended.
    child.on('exit', (code) => setTimeout(() => finish(code), OUTPUT_WAIT_MS).unref());
    child.on('close', (code) => finish(code));
  });
}

/** Feeds whole lines to `onLine`, whichever stream they came from. */
function lineSplitter(onLine: (line: string) => void) {
  let rest = '';
  return {
    write: (chunk: Buffer | string) => {
      const parts = (rest + chunk.toString()).split('\n');
      rest = parts.pop() ?? '';
      for (const line of parts) onLine(line.replace(/\r$/, ''));
    },
    end: () => {
      if (rest !== '') onLine(rest);
      rest = '';
    },
  };
}

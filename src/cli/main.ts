/**
 * The `migrate` command line: yargs parses, one module per command does the work, and this
 * file turns results and errors into exit statuses (DESIGN.md) and one readable message.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import yargs, { type Argv } from 'yargs';
import { ExitCode, formatError, MigrateError } from '../errors.js';
import { packageRoot } from '../util/package-root.js';
import { withConfigPath } from './config-path-text.js';
import { exitStatusEpilog } from './help-text.js';
import { rememberCommandLine } from './run-header.js';
import { explainUnexpected } from './unexpected-errors.js';
import { type CommandOptions, commandHelp, explainUsage } from './usage-errors.js';

interface CommandModule<A> {
  command: string;
  describe: string;
  builder(yargs: Argv): Argv<A>;
  handler(args: A): Promise<number>;
}

/**
 * Each command's module, loaded when it is needed: a run loads only the command it names (each
 * brings its own share of the libraries), help and usage errors load them all.
 */
const COMMANDS: ReadonlyArray<readonly [string, () => Promise<unknown>]> = [
  // In the order an operator uses them.
  ['preflight', () => import('./commands/preflight.js')],
  ['plan', () => import('./commands/plan.js')],
  ['settings', () => import('./commands/settings.js')],
  ['data', () => import('./commands/data.js')],
  ['delta', () => import('./commands/delta.js')],
  ['check', () => import('./commands/check.js')],
  ['cutover', () => import('./commands/cutover.js')],
  ['status', () => import('./commands/status.js')],
  ['cleanup', () => import('./commands/cleanup.js')],
];

/** The modules of the command `argv` names, or of every command when it names none (help, a typo). */
async function loadCommands(argv: readonly string[]): Promise<CommandModule<never>[]> {
  const named = argv.find((word) => !word.startsWith('-'));
  const wanted = COMMANDS.filter(([name]) => name === named);
  const modules = await Promise.all((wanted.length > 0 ? wanted : COMMANDS).map(([, load]) => load()));
  return modules as CommandModule<never>[];
}

/** A usage error found by yargs: explained once every command's options are loaded (commandOptions). */
class UsageFailure extends Error {}

/** Runs the CLI and resolves to the exit status; `main` sets it on the process. */
export async function run(argv: readonly string[]): Promise<number> {
  rememberCommandLine(argv);
  let status: number = ExitCode.ok;
  /** The config path as the operator typed it, once a command has parsed it. */
  let configPath: string | undefined;
  const register = <A>(y: Argv, module: CommandModule<A>): Argv =>
    y.command(
      module.command,
      module.describe,
      (command) => withHelpLayout(module.builder(command), module.command.split(' ')[0] ?? ''),
      async (args) => {
        configPath = typeof args.config === 'string' ? args.config : undefined;
        status = await module.handler(args as unknown as A);
      },
    );
  const commands = await loadCommands(argv);
  let cli: Argv = yargs([...argv])
    .scriptName('migrate')
    .usage('$0 <command> <config.xml> [options]')
    .option('verbose', { alias: 'v', type: 'count', describe: 'more detail (-vv for debug output)' })
    .option('quiet', { alias: 'q', type: 'boolean', describe: 'only results and errors' })
    .version('version', 'show the version number', version())
    .help('help', 'show help for the command')
    .alias('help', 'h')
    .strict()
    .demandCommand(1, 'name a command: migrate <command> <config.xml>')
    .recommendCommands()
    .wrap(Math.min(110, process.stdout.columns || 110))
    .exitProcess(false)
    .fail((message, error) => {
      if (error instanceof MigrateError && error.code === 'USAGE') throw withCommandHelp(error, argv);
      throw error ?? new UsageFailure(message);
    });
  for (const module of commands) cli = register(cli, module);
  try {
    await cli.parseAsync();
  } catch (thrown) {
    const error = explainUnexpected(
      thrown instanceof UsageFailure
        ? explainUsage(thrown.message, argv, commandOptions(await loadCommands([])))
        : thrown,
    );
    const text = formatError(error);
    process.stderr.write(`${configPath ? namedInNextLines(text, configPath) : text}\n`);
    if (error instanceof MigrateError) return error.exitCode;
    if (process.env.MIGRATE_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return ExitCode.failed;
  }
  return status;
}

export async function main(argv: readonly string[]): Promise<void> {
  process.exitCode = await run(argv);
}

const GLOBAL_HELP_OPTIONS = ['verbose', 'quiet', 'help', 'version'];

/** A command's help: its own options first, then the global ones, then its exit statuses. */
function withHelpLayout<A>(command: Argv<A>, name: string): Argv<A> {
  const declared = (command as unknown as { getOptions(): { key: Record<string, unknown> } }).getOptions();
  const own = Object.keys(declared.key).filter(
    (key) => key !== 'config' && key.length > 1 && !GLOBAL_HELP_OPTIONS.includes(key),
  );
  return command
    .group(own, 'Options:')
    .group(GLOBAL_HELP_OPTIONS, 'Global options:')
    .epilog(exitStatusEpilog(name));
}

/** Each command's options, read from its own builder, for "did you mean" on a misspelt one. */
function commandOptions(commands: readonly CommandModule<never>[]): Map<string, CommandOptions> {
  const options = new Map<string, CommandOptions>();
  for (const module of commands) {
    const declared = (
      module.builder(yargs([])) as unknown as {
        getOptions(): { key: Record<string, unknown>; array: string[] };
      }
    ).getOptions();
    options.set(module.command.split(' ')[0] ?? '', {
      names: Object.keys(declared.key),
      arrays: declared.array,
    });
  }
  return options;
}

/** A usage error a command's own check raised points at that command's help. */
function withCommandHelp(error: MigrateError, argv: readonly string[]): MigrateError {
  const command = argv.find((word) => !word.startsWith('-'));
  const known = COMMANDS.some(([name]) => name === command);
  return new MigrateError(error.message, {
    code: error.code, // its exit status comes with it (src/error-codes.ts)
    hint:
      error.hint && error.hint !== 'see migrate --help'
        ? error.hint
        : commandHelp(known ? command : undefined),
    context: error.context,
  });
}

/** `next:` lines name the config file the operator typed, not `<config>` or the absolute path. */
function namedInNextLines(text: string, configPath: string): string {
  return text
    .split('\n')
    .map((line) =>
      line.startsWith('  next:') ? withConfigPath(line, configPath, resolve(configPath)) : line,
    )
    .join('\n');
}

function version(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

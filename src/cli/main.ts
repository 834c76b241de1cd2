/**
 * The `migrate` command line: yargs parses, one module per command does the work, and this
 * file turns results and errors into exit statuses (DESIGN.md) and one readable message.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yargs, { type Argv } from 'yargs';
import { ExitCode, formatError, MigrateError } from '../errors.js';
import { packageRoot } from '../util/package-root.js';
import * as check from './commands/check.js';
import * as cleanup from './commands/cleanup.js';
import * as data from './commands/data.js';
import * as delta from './commands/delta.js';
import * as plan from './commands/plan.js';
import * as preflight from './commands/preflight.js';
import * as settings from './commands/settings.js';
import * as statusCommand from './commands/status.js';

interface CommandModule<A> {
  command: string;
  describe: string;
  builder(yargs: Argv): Argv<A>;
  handler(args: A): Promise<number>;
}

/** Runs the CLI and resolves to the exit status; `main` sets it on the process. */
export async function run(argv: readonly string[]): Promise<number> {
  let status: number = ExitCode.ok;
  const register = <A>(y: Argv, module: CommandModule<A>): Argv =>
    y.command(module.command, module.describe, module.builder, async (args) => {
      status = await module.handler(args as unknown as A);
    });
  let cli: Argv = yargs([...argv])
    .scriptName('migrate')
    .usage('$0 <command> <config.xml> [options]')
    .option('verbose', { alias: 'v', type: 'count', describe: 'more detail (-vv for debug output)' })
    .option('quiet', { alias: 'q', type: 'boolean', describe: 'only results and errors' })
    .version(version())
    .help()
    .alias('help', 'h')
    .strict()
    .demandCommand(1, 'name a command: migrate <command> <config.xml>')
    .recommendCommands()
    .wrap(Math.min(110, process.stdout.columns || 110))
    .exitProcess(false)
    .fail((message, error) => {
      throw (
        error ??
        new MigrateError(message, { code: 'USAGE', exitCode: ExitCode.usage, hint: 'see migrate --help' })
      );
    });
  // In the order an operator uses them.
  cli = register(cli, preflight);
  cli = register(cli, plan);
  cli = register(cli, settings);
  cli = register(cli, data);
  cli = register(cli, delta);
  cli = register(cli, check);
  cli = register(cli, statusCommand);
  cli = register(cli, cleanup);
  try {
    await cli.parseAsync();
  } catch (error) {
    process.stderr.write(`${formatError(error)}\n`);
    if (error instanceof MigrateError) return error.exitCode;
    if (process.env.MIGRATE_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return ExitCode.failed;
  }
  return status;
}

export async function main(argv: readonly string[]): Promise<void> {
  process.exitCode = await run(argv);
}

function version(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

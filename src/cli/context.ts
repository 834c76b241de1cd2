/**
 * What every command shares: the logger built from -v/-vv/--quiet and the config file, and the
 * exit status a command ends with. Commands parse, call the library and render; they never
 * hold migration logic.
 */
import { loadConfig } from '../config/load-config.js';
import type { Config } from '../config/types.js';
import { createLogger, type Logger, type Verbosity } from '../log.js';
import { runHeader } from './run-header.js';

export interface GlobalArgs {
  verbose?: number;
  quiet?: boolean;
}

export function verbosityOf(args: GlobalArgs): Verbosity {
  if (args.quiet) return 'quiet';
  if ((args.verbose ?? 0) >= 2) return 'debug';
  if ((args.verbose ?? 0) === 1) return 'verbose';
  return 'normal';
}

export interface CommandContext {
  log: Logger;
  config: Config;
}

export async function commandContext(args: GlobalArgs & { config: string }): Promise<CommandContext> {
  const log = createLogger(verbosityOf(args));
  const config = await loadConfig(args.config);
  if (config.options.logFile) {
    log.attachFile(config.options.logFile);
    log.verbose(runHeader()); // -v shows it too; the log file always gets it
  }
  return { log, config };
}

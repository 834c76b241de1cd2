/**
 * Usage errors that say what went wrong and what to type instead. yargs reports a misspelt
 * option followed by the config path as "Not enough non-option arguments" (the unknown option
 * took the path as its value), and `--only a b config.xml` the same way (an array option takes
 * every word after it). This module reads the command line again, names the misspelt option
 * with the nearest real one, and points at the command's own help rather than the global one.
 */
import { ExitCode, MigrateError } from '../errors.js';
import { nearest } from '../util/nearest.js';
import { shellWord } from '../util/shell-word.js';

/** What a command accepts: option names (long and short, as declared) and which take lists. */
export interface CommandOptions {
  names: readonly string[];
  arrays: readonly string[];
}

/** The options every command takes (main.ts declares them). */
export const GLOBAL_OPTIONS: readonly string[] = ['verbose', 'v', 'quiet', 'q', 'help', 'h', 'version'];

export function commandHelp(command: string | undefined): string {
  return command ? `see \`migrate ${command} --help\`` : 'see `migrate --help`';
}

/** The usage error an operator can act on, from yargs' message and the command line. */
export function explainUsage(
  message: string,
  argv: readonly string[],
  commands: ReadonlyMap<string, CommandOptions>,
): MigrateError {
  const command = argv.find((word) => !word.startsWith('-'));
  const options = command ? commands.get(command) : undefined;
  const help = commandHelp(options ? command : undefined);
  const error = (text: string, hint = help) =>
    new MigrateError(text, { code: 'USAGE', exitCode: ExitCode.usage, hint });
  const guessed = /^Did you mean (\w+)\?/.exec(message)?.[1];
  if (command && !options && guessed) {
    return error(`unknown command ${command}: did you mean ${guessed}?`, commandHelp(guessed));
  }
  if (!command || !options) return error(message);

  const known = [...options.names, ...GLOBAL_OPTIONS];
  const unknown = unknownOptions(argv, known);
  if (unknown.length > 0) {
    const named = unknown.map((word) => {
      const guess = nearest(
        optionName(word),
        known.filter((n) => n.length > 1),
      );
      return `${word}${guess ? ` (did you mean --${guess}?)` : ''}`;
    });
    const tookPath = /not enough non-option arguments/i.test(message)
      ? '; it took the word after it as its value, so no config path was left'
      : '';
    return error(`unknown option ${named.join(', ')}${tookPath}`);
  }
  if (/not enough non-option arguments/i.test(message)) {
    const list = argv.find((word) => word.startsWith('--') && options.arrays.includes(optionName(word)));
    const path = [...argv].reverse().find((word) => /\.xml$/i.test(word));
    if (list && path) {
      const rest = argv.filter((word) => word !== command && word !== path).map(shellWord);
      return error(
        `${list} takes every word after it, so it took ${path} as one of its values and no config path was left`,
        `put the config path first: \`migrate ${command} ${path} ${rest.join(' ')}\` (${help.replace(/^see /, '')})`,
      );
    }
    return error(`name the config file: migrate ${command} <config.xml>`);
  }
  return error(message);
}

/** Words that look like options (`--name`, `--name=value`, `--no-name`) the command does not know. */
function unknownOptions(argv: readonly string[], known: readonly string[]): string[] {
  const names = new Set(known.flatMap((n) => [n, camelCase(n)]));
  return argv
    .filter((word) => word.startsWith('--') && word.length > 2)
    .map((word) => word.split('=')[0] ?? word)
    .filter((word) => {
      const name = word.slice(2);
      return !names.has(name) && !(name.startsWith('no-') && names.has(name.slice(3)));
    });
}

function optionName(word: string): string {
  return (word.split('=')[0] ?? word).replace(/^--?/, '');
}

function camelCase(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/**
 * The line each run writes first to `<log_file>`, which runs append to: which command, with
 * which arguments, by which version, when. Without it, appended runs cannot be told apart.
 * Passwords never reach the command line (config.xml reads them from the environment), but an
 * option whose name speaks of a secret is masked all the same.
 */
import { toolName } from '../report/tool-name.js';

let commandLine: readonly string[] = [];

/** main.ts records the arguments as given, before yargs parses them. */
export function rememberCommandLine(argv: readonly string[]): void {
  commandLine = [...argv];
}

export function runHeader(now: Date = new Date(), argv: readonly string[] = commandLine): string {
  return `=== migrate ${maskSecrets(argv).join(' ')} | ${toolName()} | node ${process.version} | pid ${process.pid} | started ${now.toISOString()}`;
}

const SECRET = /pass(word)?|secret|token|key$/i;

export function maskSecrets(argv: readonly string[]): string[] {
  const masked: string[] = [];
  for (const [i, word] of argv.entries()) {
    const previous = argv[i - 1] ?? '';
    if (/^--[^=]+=/.test(word) && SECRET.test(word.slice(2, word.indexOf('=')))) {
      masked.push(`${word.slice(0, word.indexOf('='))}=***`);
    } else if (
      previous.startsWith('--') &&
      !previous.includes('=') &&
      SECRET.test(previous.slice(2)) &&
      !word.startsWith('-')
    ) {
      masked.push('***');
    } else masked.push(word);
  }
  return masked;
}

/** Asks the operator a yes/no question on a terminal; refuses to guess when there is none. */
import { createInterface } from 'node:readline/promises';
import { ConfigError } from '../errors.js';

export async function confirm(question: string, assumeYes: boolean | undefined): Promise<boolean> {
  if (assumeYes) return true;
  if (!process.stdin.isTTY) {
    // Say what would happen: the operator adding --yes must know what they confirm.
    throw new ConfigError(`${question} This needs a confirmation and there is no terminal to ask on`, {
      code: 'CONFIRMATION_NEEDED',
      hint: 'add --yes to confirm, once you are sure; or narrow it with --only <documents>',
    });
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question} Type "yes" to continue: `);
    return answer.trim().toLowerCase() === 'yes';
  } finally {
    rl.close();
  }
}

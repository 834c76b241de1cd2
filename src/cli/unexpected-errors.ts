/**
 * A database refusal that reached the top without a code of ours, turned into one the operator
 * can act on. `--skip-preflight` skips the privilege check, so a missing GRANT surfaces as the
 * server's ER_*ACCESS_DENIED* in the middle of a run; it is still a missing privilege, and
 * preflight prints the GRANT that fixes it.
 */
import { ExitCode, errorText, MigrateError } from '../errors.js';

const PRIVILEGE_ERRORS = new Set([
  'ER_TABLEACCESS_DENIED_ERROR',
  'ER_COLUMNACCESS_DENIED_ERROR',
  'ER_DBACCESS_DENIED_ERROR',
  'ER_SPECIFIC_ACCESS_DENIED_ERROR',
  'ER_PROCACCESS_DENIED_ERROR',
]);

/** The error as rendered: a privilege refusal gets PRIVILEGES_MISSING and the next step; others pass. */
export function explainUnexpected(error: unknown): unknown {
  const refusal = privilegeRefusal(error);
  if (!refusal) return error;
  const where = error instanceof MigrateError ? error.context : {};
  return new MigrateError(`the database refused an operation: ${errorText(refusal)}`, {
    code: 'PRIVILEGES_MISSING',
    context: where,
    exitCode: ExitCode.usage,
    hint: 'run `migrate preflight <config>`: it lists every missing privilege with the GRANT that fixes it; then run the same command again (what was committed is kept)',
    cause: error,
  });
}

/** The privilege error itself, or the one a wrapper holds as its cause. */
function privilegeRefusal(error: unknown): unknown {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof MigrateError && e.code === 'PRIVILEGES_MISSING') return undefined;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && PRIVILEGE_ERRORS.has(code)) return e;
  }
  return undefined;
}

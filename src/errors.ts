/**
 * One error type for the whole library. The CLI renders it; the library only throws it.
 * Every error carries a stable `code`, the exit status it maps to, where it happened, and
 * `hint`: what the operator should do next.
 */

import { ERROR_CODES, type ErrorCode, ExitCode, type ExitOf, type UsageErrorCode } from './error-codes.js';

export { ERROR_CODES, type ErrorCode, ExitCode } from './error-codes.js';

/** Where an error happened, as far as it is known. */
export interface ErrorContext {
  step?: string;
  document?: string;
  keyRange?: string;
  file?: string;
  line?: number;
  column?: number;
}

export interface MigrateErrorOptions<C extends ErrorCode = ErrorCode> {
  /** A code of the catalogue (src/error-codes.ts). */
  code: C;
  /**
   * The catalogue's status for the code, given only to say so at the call site
   * (test/error-codes.test.ts checks every one in src against the catalogue).
   */
  exitCode?: ExitOf<ErrorCode>;
  /** What to do next; the catalogue's default next step when absent. */
  hint?: string;
  context?: ErrorContext;
  cause?: unknown;
}

export class MigrateError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: ExitCode;
  readonly hint: string;
  readonly context: ErrorContext;

  constructor(message: string, options: MigrateErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MigrateError';
    this.code = options.code;
    const entry = ERROR_CODES[options.code];
    this.exitCode = options.exitCode ?? entry.exit;
    this.hint = options.hint ?? entry.next;
    this.context = options.context ?? {};
  }
}

/** Bad usage, config.xml or mapping file: exit 2, nothing was written. */
export class ConfigError extends MigrateError {
  constructor(message: string, options: Omit<MigrateErrorOptions<UsageErrorCode>, 'exitCode'>) {
    super(message, { ...options, exitCode: ExitCode.usage });
    this.name = 'ConfigError';
  }
}

/** Renders an error as the one or two lines an operator reads. Never includes a stack. */
export function formatError(error: unknown): string {
  if (error instanceof MigrateError) {
    const where = formatContext(error.context);
    const head = `error ${error.code}${where ? ` (${where})` : ''}: ${error.message}`;
    return `${head}\n  next: ${error.hint}`;
  }
  return `error UNEXPECTED: ${errorText(error)}`;
}

const MAX_ERROR_TEXT = 500;

/**
 * The text of any error, fit for a console line and a log: the server's own message when
 * there is one (knex prefixes `message` with the whole statement, which may be megabytes of
 * row data), cut to a readable length.
 */
export function errorText(error: unknown): string {
  const e = error as { sqlMessage?: unknown; code?: unknown; message?: unknown };
  let text: string;
  if (typeof e?.sqlMessage === 'string')
    text = typeof e.code === 'string' ? `${e.code}: ${e.sqlMessage}` : e.sqlMessage;
  else if (typeof e?.message === 'string') text = e.message;
  else text = String(error);
  return text.length > MAX_ERROR_TEXT ? `${text.slice(0, MAX_ERROR_TEXT)}...` : text;
}

function formatContext(context: ErrorContext): string {
  const parts: string[] = [];
  if (context.file) {
    let at = context.file;
    if (context.line !== undefined) at += `:${context.line}`;
    if (context.column !== undefined) at += `:${context.column}`;
    parts.push(at);
  }
  if (context.step) parts.push(`step ${context.step}`);
  if (context.document) parts.push(`document ${context.document}`);
  if (context.keyRange) parts.push(`keys ${context.keyRange}`);
  return parts.join(', ');
}

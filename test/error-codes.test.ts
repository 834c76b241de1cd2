import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { ERROR_CODES, type ErrorCode } from '../src/error-codes.js';
import { ConfigError, ExitCode, formatError, MigrateError } from '../src/errors.js';
import { packageRoot } from '../src/util/package-root.js';

/** code -> status from the first `| code | status |` table of README's "Exit statuses and troubleshooting". */
async function readmeCodes(): Promise<Map<string, number>> {
  const readme = await readFile(join(packageRoot(), 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Exit statuses and troubleshooting'));
  const table = section.slice(section.indexOf('| code | status |'));
  const rows = table.slice(0, table.indexOf('\n\n')).split('\n').slice(2);
  const codes = new Map<string, number>();
  for (const row of rows) {
    const [, first = '', status = ''] = row.split('|').map((cell) => cell.trim());
    assert.match(status, /^\d+$/, `one exit status per row: ${row}`);
    const names = [...first.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1] as string);
    assert.ok(names.length > 0, `a row names its codes in backticks: ${row}`);
    for (const name of names) {
      assert.ok(!codes.has(name), `${name} is listed twice`);
      codes.set(name, Number(status));
    }
  }
  return codes;
}

test("README's error-code table lists exactly the catalogue's codes, with the same exit statuses", async () => {
  const readme = await readmeCodes();
  const catalogue = new Map(Object.entries(ERROR_CODES).map(([code, entry]) => [code, entry.exit as number]));
  const missing = [...catalogue.keys()].filter((c) => !readme.has(c));
  const extra = [...readme.keys()].filter((c) => !catalogue.has(c));
  assert.deepEqual({ missing, extra }, { missing: [], extra: [] });
  for (const [code, exit] of catalogue) assert.equal(readme.get(code), exit, `exit status of ${code}`);
});

test('an error without a hint or exit status takes them from the catalogue', () => {
  const error = new MigrateError('the copy failed', { code: 'COPY_FAILED' });
  assert.equal(error.exitCode, ExitCode.failed);
  assert.equal(error.hint, ERROR_CODES.COPY_FAILED.next);
  assert.match(formatError(error), /\n {2}next: fix the cause/);
  const locked = new MigrateError('held', { code: 'RUN_LOCKED' });
  assert.equal(locked.exitCode, ExitCode.locked);
  const given = new ConfigError('bad', { code: 'CONFIG_MISSING', hint: 'add <source>' });
  assert.equal(given.hint, 'add <source>');
  assert.equal(given.exitCode, ExitCode.usage);
});

/** The arguments of the call whose `(` ends just before `from`, up to its matching `)`. */
function callText(text: string, from: number): string {
  let depth = 1;
  let i = from;
  while (depth > 0 && i < text.length) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') depth--;
    i++;
  }
  return text.slice(from, i);
}

/** Every `new MigrateError(...)` / `new ConfigError(...)` in src with a literal code, and the exit status it states. */
async function thrownInSource(): Promise<Array<{ where: string; code: string; exit: number | undefined }>> {
  const files = (await readdir(join(packageRoot(), 'src'), { recursive: true })).filter((f) =>
    f.endsWith('.ts'),
  );
  const found: Array<{ where: string; code: string; exit: number | undefined }> = [];
  for (const file of files) {
    const text = await readFile(join(packageRoot(), 'src', file), 'utf8');
    for (const match of text.matchAll(/new (MigrateError|ConfigError)\(/g)) {
      const call = callText(text, match.index + match[0].length);
      const code = /\bcode: '([A-Z0-9_]+)'/.exec(call)?.[1];
      if (!code) continue;
      const stated = /\bexitCode: ExitCode\.(\w+)/.exec(call)?.[1];
      const exit =
        match[1] === 'ConfigError'
          ? ExitCode.usage
          : stated
            ? ExitCode[stated as keyof typeof ExitCode]
            : undefined;
      found.push({ where: `src/${file}:${text.slice(0, match.index).split('\n').length}`, code, exit });
    }
  }
  return found;
}

test('every error src throws states its catalogue exit status or none', async () => {
  const thrown = await thrownInSource();
  assert.ok(thrown.length > 50, `found ${thrown.length} errors`);
  const wrong = thrown.filter(
    (t) => t.exit !== undefined && t.exit !== ERROR_CODES[t.code as ErrorCode]?.exit,
  );
  assert.deepEqual(wrong, []);
});

test('every catalogue entry has a next step and a meaning; only codes of the catalogue type-check', () => {
  for (const [code, entry] of Object.entries(ERROR_CODES)) {
    assert.match(code, /^[A-Z][A-Z0-9_]*$/);
    assert.ok(entry.next.length > 0 && entry.meaning.length > 0, code);
  }
  // tsc runs over test/: these lines fail the typecheck if the checks below stop holding.
  // @ts-expect-error a code that is not in the catalogue
  const unknown: ErrorCode = 'NO_SUCH_CODE';
  // @ts-expect-error a ConfigError takes only codes whose status is 2
  new ConfigError('x', { code: 'COPY_FAILED' });
  assert.equal(unknown, 'NO_SUCH_CODE');
});

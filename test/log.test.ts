import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createLogger } from '../src/log.js';
import { fullDisk } from './support/full-disk.js';

function capture() {
  const err: string[] = [];
  const out: string[] = [];
  return { err, out, streams: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) } };
}

test('the log file is readable by its owner only', async () => {
  const file = join(await mkdtemp(join(tmpdir(), 'log-mode-')), 'migration.log');
  const log = createLogger('quiet', capture().streams);
  log.attachFile(file);
  log.info('hello');
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.match(readFileSync(file, 'utf8'), /INFO hello\n$/);
});

test('a log file on a full disk: one warning naming the file and the error, the run goes on, and the gap is noted once it can write again', async (t) => {
  const disk = await fullDisk();
  if ('unavailable' in disk) {
    t.skip(disk.unavailable);
    return;
  }
  try {
    const file = join(disk.dir, 'migration.log');
    const { err, streams } = capture();
    // Even --quiet says it: a log that silently stops is what the operator must know about.
    const log = createLogger('quiet', streams);
    log.attachFile(file);
    log.info('before');
    disk.fill();
    for (let i = 0; i < 50; i++) log.info(`line ${i} ${'x'.repeat(200)}`);
    const warnings = err.filter((l) => l.includes(file));
    assert.equal(warnings.length, 1, err.join('\n'));
    assert.match(warnings[0] ?? '', /could not be written.*(ENOSPC|no space)/i);
    assert.match(warnings[0] ?? '', /goes on/);
    disk.free();
    log.info('after');
    const text = readFileSync(file, 'utf8');
    assert.match(text, /INFO before\n/);
    assert.match(text, /WARN \d+ log lines? could not be written .*ENOSPC/);
    assert.match(text, /INFO after\n$/);
    // No line is left cut short by the failed writes.
    for (const line of text.trim().split('\n')) assert.match(line, /^\d{4}-\d\d-\d\dT\S+ [A-Z]+ /);
  } finally {
    disk.unmount();
  }
});

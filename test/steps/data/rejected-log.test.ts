import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { MigrateError } from '../../../src/errors.js';
import { type RejectedEntry, RejectedLog, rejectedFileName } from '../../../src/steps/data/rejected-log.js';
import { fullDisk } from '../../support/full-disk.js';

function entry(document: string, value: string): RejectedEntry {
  return {
    document,
    stage: 'write',
    table: document,
    columns: ['id', 'v'],
    values: ['1', value],
    key: ['1'],
    error: 'Data too long',
    code: 'ER_DATA_TOO_LONG',
    at: new Date(0).toISOString(),
  };
}

test('documents whose names differ only in odd characters get files of their own; plain names keep theirs', () => {
  assert.equal(rejectedFileName('sales_flat_order'), 'sales_flat_order.jsonl');
  assert.equal(rejectedFileName('Mixed.Case-1'), 'Mixed.Case-1.jsonl');
  const names = ['a b', 'a_b', 'a%20b', 'a/b', 'a?b', 'ä', 'a\nb', '..'].map(rejectedFileName);
  assert.equal(new Set(names).size, names.length, names.join(' '));
  for (const name of names) assert.match(name, /^[A-Za-z0-9_.%~-]+\.jsonl$/);
  assert.equal(rejectedFileName('a b'), 'a%20b.jsonl');
  assert.equal(rejectedFileName('..'), '...jsonl');
  // A file name stays within what file systems allow, and long names stay apart.
  const long = (c: string) => `${'é'.repeat(63)}${c}`;
  assert.ok(rejectedFileName(long('a')).length <= 255);
  assert.notEqual(rejectedFileName(long('a')), rejectedFileName(long('b')));
});

test('rejected files are readable by their owner only, in a folder only the owner can enter', async () => {
  const dir = join(await mkdtemp(join(tmpdir(), 'rejected-mode-')), 'rejected');
  const log = new RejectedLog(dir);
  log.append([entry('t', 'x')]);
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  assert.equal(statSync(log.pathOf('t')).mode & 0o777, 0o600);
  // A file an older version left readable by all is made private on the next write.
  writeFileSync(log.pathOf('u'), `${JSON.stringify(entry('u', 'y'))}\n`, { mode: 0o644 });
  log.append([entry('u', 'z')]);
  assert.equal(statSync(log.pathOf('u')).mode & 0o777, 0o600);
});

test('a line cut short by an interrupted write is dropped before the next entries, never glued to them', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'rejected-torn-'));
  const log = new RejectedLog(dir);
  const whole = `${JSON.stringify(entry('t', 'a'))}\n`;
  writeFileSync(log.pathOf('t'), `${whole}{"document":"t","stage":"wr`);
  log.append([entry('t', 'b')]);
  const lines = readFileSync(log.pathOf('t'), 'utf8').split('\n');
  assert.equal(lines.at(-1), '');
  assert.deepEqual(
    lines.slice(0, -1).map((l) => JSON.parse(l).values[1]),
    ['a', 'b'],
  );
});

test('--reset archives a document rejected file under a name no retry reads', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'rejected-archive-'));
  const log = new RejectedLog(dir);
  assert.equal(log.archive('t', 'reset'), undefined);
  log.append([entry('t', 'a')]);
  const archived = log.archive('t', 'reset');
  assert.ok(archived);
  assert.equal(existsSync(log.pathOf('t')), false);
  assert.match(archived, /t\.jsonl\.\d{8}T\d{6}(\.\d+)?Z\.reset$/);
  assert.deepEqual(
    readdirSync(dir).filter((f) => f.endsWith('.jsonl')),
    [],
  );
  assert.equal(statSync(archived).mode & 0o777, 0o600);
});

test('a full disk: the write fails with REJECTED_WRITE_FAILED naming the file, and leaves no partial line', async (t) => {
  const disk = await fullDisk();
  if ('unavailable' in disk) {
    t.skip(disk.unavailable);
    return;
  }
  try {
    const dir = join(disk.dir, 'rejected');
    const log = new RejectedLog(dir);
    log.append([entry('t', 'first')]);
    const before = readFileSync(log.pathOf('t'), 'utf8');
    disk.fill(1); // one page left: the batch below needs more
    const big = Array.from({ length: 200 }, (_, i) => entry('t', `value ${i} ${'x'.repeat(100)}`));
    assert.throws(
      () => log.append(big),
      (error: unknown) => {
        assert.ok(error instanceof MigrateError);
        assert.equal(error.code, 'REJECTED_WRITE_FAILED');
        assert.ok(error.message.includes(log.pathOf('t')), error.message);
        assert.match(error.message, /ENOSPC|no space/i);
        assert.match(error.hint ?? '', /free space|rejected_dir/);
        assert.equal(error.context.file, log.pathOf('t'));
        return true;
      },
    );
    // What was there before stays; nothing of the failed batch is left half-written.
    assert.equal(readFileSync(log.pathOf('t'), 'utf8'), before);
    disk.free();
    log.append(big);
    const lines = readFileSync(log.pathOf('t'), 'utf8').trim().split('\n');
    assert.equal(lines.length, 201);
    for (const line of lines) JSON.parse(line);
  } finally {
    disk.unmount();
  }
});

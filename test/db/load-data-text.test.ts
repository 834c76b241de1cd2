import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeLoadDataText, loadDataChunks } from '../../src/db/load-data-text.js';
import type { Value } from '../../src/handlers/contract.js';

test('text is escaped the way LOAD DATA ... ESCAPED BY backslash reads it', () => {
  assert.equal(escapeLoadDataText('plain é 😀'), 'plain é 😀');
  assert.equal(escapeLoadDataText('a\tb\nc\rd\0e\\f'), 'a\\tb\\nc\\rd\\0e\\\\f');
  assert.equal(escapeLoadDataText('\\N'), '\\\\N');
});

test('rows become tab-separated lines, NULL is \\N, bytes stay bytes', () => {
  const rows: Value[][] = [
    ['1', null, 'é\t', Buffer.from([0x00, 0x09, 0x0a, 0x0d, 0x5c, 0xff, 0x41])],
    ['', 'N', Buffer.alloc(0), '😀'],
  ];
  const text = Buffer.concat([...loadDataChunks(rows, 1024)]);
  const expected = Buffer.concat([
    Buffer.from('1\t\\N\té\\t\t'),
    Buffer.from([0x5c, 0x30, 0x5c, 0x74, 0x5c, 0x6e, 0x5c, 0x72, 0x5c, 0x5c, 0xff, 0x41]),
    Buffer.from('\n\tN\t\t😀\n'),
  ]);
  assert.deepEqual(text, expected);
});

test('chunks of any size, and values larger than a chunk, give the same bytes', () => {
  const rows: Value[][] = [];
  for (let i = 0; i < 200; i++) {
    rows.push([
      String(i),
      'x'.repeat(i % 37) + '\\😀\t',
      Buffer.from(Array.from({ length: i }, (_, b) => (b * 7) % 256)),
    ]);
  }
  rows.push(['big', 'é'.repeat(5000), Buffer.alloc(7000, 0x5c)]);
  const whole = Buffer.concat([...loadDataChunks(rows, 1 << 20)]);
  for (const size of [1, 7, 64, 1000]) {
    const chunks = [...loadDataChunks(rows, size)];
    assert.ok(chunks.length > 1);
    assert.deepEqual(Buffer.concat(chunks), whole, `chunk size ${size}`);
  }
});

test('a value that is not text, bytes or NULL is a programming error', () => {
  assert.throws(() => [...loadDataChunks([[1 as unknown as Value]], 64)], TypeError);
});

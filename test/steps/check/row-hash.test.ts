import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChunkAccumulator, rejectedDigest, rowDigest } from '../../../src/steps/check/row-hash.js';

test('the row encoding is unambiguous: NULL, empty text, marker-like text and split points differ', () => {
  const digests = [
    rowDigest([null]),
    rowDigest(['']),
    rowDigest(['\\N']),
    rowDigest(['N']),
    rowDigest(['a', 'bc']),
    rowDigest(['ab', 'c']),
    rowDigest(['abc']),
    rowDigest([null, null]),
    rowDigest([]),
  ];
  assert.equal(new Set(digests).size, digests.length);
});

test('text and the same bytes hash alike; a rejected row never hashes like a real one', () => {
  assert.equal(rowDigest(['é']), rowDigest([Buffer.from('é', 'utf8')]));
  assert.notEqual(rejectedDigest('bad'), rowDigest(['bad']));
});

test('a chunk sum does not depend on row order and wraps at 2^64', () => {
  const rows = Array.from({ length: 50 }, (_, i) => rowDigest([String(i), i % 3 ? null : 'x']));
  const forward = new ChunkAccumulator();
  const backward = new ChunkAccumulator();
  for (const d of rows) forward.add(d);
  for (const d of [...rows].reverse()) backward.add(d);
  assert.deepEqual(forward.result(), backward.result());
  assert.equal(forward.result().rows, 50);
  assert.ok(BigInt(forward.result().sum) < 1n << 64n);
  const changed = new ChunkAccumulator();
  for (const d of rows.slice(1)) changed.add(d);
  changed.add(rowDigest(['0', 'y']));
  assert.notDeepEqual(changed.result(), forward.result());
});

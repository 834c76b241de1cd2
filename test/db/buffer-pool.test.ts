import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BufferPool } from '../../src/db/buffer-pool.js';

test('a buffer given back is taken again; only buffers of the pool size, and at most `keep` of them', () => {
  const pool = new BufferPool(16, 1);
  const first = pool.take();
  const second = pool.take();
  assert.equal(first.length, 16);
  assert.notEqual(first, second);
  pool.give(first);
  pool.give(second); // over `keep`: left to the garbage collector
  pool.give(Buffer.alloc(8)); // not the pool's size
  assert.equal(pool.take(), first);
  assert.notEqual(pool.take(), second, 'only one was kept');
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CHUNK_BYTES, ChunkSizer } from '../../../src/steps/data/chunk-size.js';

test('a fixed bulk_size is used as given', () => {
  const sizer = new ChunkSizer(300, 1000);
  sizer.record(300, 10);
  assert.equal(sizer.size, 300);
});

test('automatic chunks aim at half a second, grow at most twofold, and shrink at once', () => {
  const sizer = new ChunkSizer(0);
  assert.equal(sizer.size, 2000);
  sizer.record(2000, 0.1); // fast: would like 10,000, grows to 4,000
  assert.equal(sizer.size, 4000);
  sizer.record(4000, 2); // slow: down to 1,000 at once
  assert.equal(sizer.size, 1000);
  sizer.record(500, 0.01); // a short last chunk says nothing about speed
  assert.equal(sizer.size, 1000);
});

test('automatic chunks never hold more table bytes than the budget', () => {
  const rowBytes = 1000;
  const sizer = new ChunkSizer(0, rowBytes);
  for (let i = 0; i < 20; i++) sizer.record(sizer.size, 0.001);
  assert.equal(sizer.size, Math.floor(CHUNK_BYTES / rowBytes));
});

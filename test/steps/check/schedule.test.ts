import assert from 'node:assert/strict';
import { test } from 'node:test';
import { simulateCopy, speedupCurve } from '../../../src/steps/check/schedule.js';

const perfect = (k: number) => k;
const shared = () => 1;

test('one slot: the documents run one after the other', () => {
  const result = simulateCopy(
    [
      { rows: 100, rate: 10, parts: 1 },
      { rows: 50, rate: 10, parts: 1 },
    ],
    1,
    perfect,
  );
  assert.equal(Math.round(result.total * 1000) / 1000, 15);
  assert.deepEqual(
    result.seconds.map((s) => Math.round(s * 1000) / 1000),
    [10, 5],
  );
});

test('with perfect parallelism the total is the longest queue, not the sum', () => {
  const jobs = [
    { rows: 100, rate: 10, parts: 1 },
    { rows: 60, rate: 10, parts: 1 },
    { rows: 40, rate: 10, parts: 1 },
  ];
  assert.equal(Math.round(simulateCopy(jobs, 2, perfect).total * 1000) / 1000, 10);
  // Sharing one bottleneck, parallel slots gain nothing: the sum.
  assert.equal(Math.round(simulateCopy(jobs, 2, shared).total * 1000) / 1000, 20);
});

test('a document split into parts uses several slots', () => {
  const result = simulateCopy([{ rows: 400, rate: 10, parts: 4 }], 4, perfect);
  assert.equal(Math.round(result.total * 1000) / 1000, 10);
});

test('a large document that ends up alone speeds up again', () => {
  // Two together move 1.5x the rows of one: while both run, each goes at 0.75 of its solo rate.
  const curve = speedupCurve(2, 1.5);
  const result = simulateCopy(
    [
      { rows: 100, rate: 10, parts: 1 },
      { rows: 30, rate: 10, parts: 1 },
    ],
    2,
    curve,
  );
  // The small one ends at 30 / 7.5 = 4 s; the large one has 70 rows left, alone: 7 s more.
  assert.equal(Math.round(result.total * 1000) / 1000, 11);
  assert.deepEqual(
    result.seconds.map((s) => Math.round(s * 1000) / 1000),
    [11, 4],
  );
});

test('the speedup curve goes through (1, 1) and the observation, stays flat after it, never above k', () => {
  const curve = speedupCurve(3, 2);
  assert.equal(curve(1), 1);
  assert.equal(curve(2), 1.5);
  assert.equal(curve(3), 2);
  assert.equal(curve(8), 2);
  assert.equal(speedupCurve(4, 9)(2), 2);
  assert.equal(speedupCurve(1, 1)(4), 1);
});

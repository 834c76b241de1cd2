import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errorCode, OperationLog, percentile, summariseLatency } from '../../src/demo/operation-log.js';

test('percentiles by nearest rank: p50, p99 and max of a known list', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(percentile(hundred, 50), 50);
  assert.equal(percentile(hundred, 99), 99);
  assert.equal(percentile(hundred, 100), 100);
  assert.equal(percentile([7], 99), 7);
  assert.equal(percentile([], 50), 0);
  assert.deepEqual(summariseLatency([3, 1, 2, 1000]), { count: 4, p50Ms: 2, p99Ms: 1000, maxMs: 1000 });
});

test('the log keeps latency per kind and counts every error, keeping the first messages', () => {
  const log = new OperationLog();
  log.time('changeOrder', 1.26);
  log.time('changeOrder', 5);
  log.time('report', 2000);
  const missing = Object.assign(new Error("Table 's.m2_cl_orders' doesn't exist"), {
    code: 'ER_NO_SUCH_TABLE',
    errno: 1146,
  });
  for (let i = 0; i < 12; i++) log.error('changeOrder', missing);
  log.error(
    'connect',
    Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED', errno: -111 }),
  );
  assert.deepEqual(log.latency(), {
    changeOrder: { count: 2, p50Ms: 1.3, p99Ms: 5, maxMs: 5 },
    report: { count: 1, p50Ms: 2000, p99Ms: 2000, maxMs: 2000 },
  });
  assert.deepEqual(log.overall(['report']), { count: 2, p50Ms: 1.3, p99Ms: 5, maxMs: 5 });
  assert.equal(log.overall().maxMs, 2000);
  const errors = log.errorSummary();
  assert.equal(errors.count, 13);
  assert.deepEqual(errors.byKind, { changeOrder: 12, connect: 1 });
  assert.deepEqual(errors.byCode, { 'ER_NO_SUCH_TABLE 1146': 12, ECONNREFUSED: 1 });
  assert.equal(errors.first.length, 10);
  assert.equal(errors.first[0], "changeOrder: ER_NO_SUCH_TABLE 1146: Table 's.m2_cl_orders' doesn't exist");
  assert.equal(errorCode('plain text'), 'unknown');
});

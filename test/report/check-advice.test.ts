import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mismatchAdvice } from '../../src/report/check-advice.js';
import { sampleReport } from './sample-report.js';

test('a check before any copy advises migrate data, never delta', () => {
  const report = sampleReport();
  const never = { ...report, documents: report.documents.map((d) => ({ ...d, lastRun: null })) };
  const advice = mismatchAdvice(never, 'shop.xml', true);
  assert.equal(advice, 'nothing has been copied yet: run `migrate data shop.xml` first, then check again');
  assert.doesNotMatch(advice, /delta/);
});

test('after a copy: delta only with change tracking; the repair commands otherwise', () => {
  const report = sampleReport();
  assert.match(
    mismatchAdvice(report, 'shop.xml', true),
    /run `migrate delta shop.xml` until it has caught up/,
  );
  const untracked = mismatchAdvice(report, 'my shop.xml', false);
  assert.doesNotMatch(untracked, /migrate delta/);
  assert.match(untracked, /names the command that repairs it/);
});

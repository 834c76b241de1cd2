import assert from 'node:assert/strict';
import { test } from 'node:test';
import { reportValidator } from './report-schema.js';
import { sampleReport } from './sample-report.js';

test('a report with every shape the format has validates against schemas/check-report.schema.json', () => {
  const validate = reportValidator();
  const report = JSON.parse(JSON.stringify(sampleReport()));
  assert.deepEqual(validate(report), []);
  assert.deepEqual(validate({ ...report, mode: 'count', status: 'ok' }), []);
});

test('the schema is strict: unknown fields, wrong enums and malformed keys are refused', () => {
  const validate = reportValidator();
  const report = JSON.parse(JSON.stringify(sampleReport()));
  assert.notDeepEqual(validate({ ...report, surprise: 1 }), []);
  assert.notDeepEqual(validate({ ...report, version: 1 }), []);
  const bad = JSON.parse(JSON.stringify(report));
  bad.documents[0].status = 'fine';
  assert.notDeepEqual(validate(bad), []);
  const badKey = JSON.parse(JSON.stringify(report));
  badKey.documents[1].extra = [[{ hex: 'XYZ' }]];
  assert.notDeepEqual(validate(badKey), []);
  const badTime = JSON.parse(JSON.stringify(report));
  badTime.generatedAt = 'yesterday';
  assert.notDeepEqual(validate(badTime), []);
});

test('a count-only report carries null for what it did not measure, and the schema says so', () => {
  const validate = reportValidator();
  const report = JSON.parse(JSON.stringify(sampleReport()));
  for (const d of report.documents) d.counts = { missing: null, extra: null, changed: null };
  report.totals = { ...report.totals, missing: null, extra: null, changed: null };
  assert.deepEqual(validate({ ...report, mode: 'count' }), []);
  const zeroes = JSON.parse(JSON.stringify(report));
  zeroes.documents[0].counts.missing = -1;
  assert.notDeepEqual(validate(zeroes), []);
  assert.notDeepEqual(validate({ ...report, leftBehind: undefined }), []);
  assert.notDeepEqual(validate({ ...report, settings: { status: 'fine', detail: '', repair: null } }), []);
});

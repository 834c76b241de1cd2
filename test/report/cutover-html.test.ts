/** The cut-over report's HTML page: self-contained, every name escaped, the window shown phase by phase. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderCutoverHtml } from '../../src/report/cutover-html.js';
import type { CutoverReport } from '../../src/report/cutover-report.js';
import { formatCutover } from '../../src/report/cutover-text.js';

const report: CutoverReport = {
  version: 1,
  tool: 'store-migrate 0.1.0',
  config: '/srv/config.xml',
  source: 'm1@db1:3306/magento1',
  destination: 'm2@db2:3306/magento2',
  rehearsal: false,
  startedAt: '2026-11-30T10:00:00.000Z',
  generatedAt: '2026-11-30T10:01:00.000Z',
  status: 'aborted',
  phases: [
    {
      phase: 'before',
      startedAt: '2026-11-30T10:00:00.000Z',
      seconds: 40,
      status: 'ok',
      inWindow: false,
      details: ['checked'],
    },
    {
      phase: 'maintenance_on',
      startedAt: '2026-11-30T10:00:40.000Z',
      seconds: 0.5,
      status: 'ok',
      inWindow: true,
      details: ['hook done'],
    },
    {
      phase: 'drain',
      startedAt: '2026-11-30T10:00:41.000Z',
      seconds: 5.2,
      status: 'ok',
      inWindow: true,
      details: ['applied 12 changes'],
    },
    {
      phase: 'verify',
      startedAt: '2026-11-30T10:00:46.000Z',
      seconds: 0.3,
      status: 'failed',
      inWindow: true,
      details: ['1 differ'],
    },
    {
      phase: 'abort',
      startedAt: '2026-11-30T10:00:47.000Z',
      seconds: 0.1,
      status: 'ok',
      inWindow: true,
      details: ['hook abort: done'],
    },
  ],
  window: { seconds: 6.1, startedAt: '2026-11-30T10:00:40.000Z', endedAt: '2026-11-30T10:00:46.100Z' },
  checkedBefore: [{ document: 'sales_flat_order', status: 'ok', rows: 100, differences: 0 }],
  verify: [
    {
      document: '<script>alert(1)</script>',
      destination: 'sales_order',
      status: 'mismatch',
      sourceRows: 100,
      destinationRows: 100,
      rejectedRows: 0,
      keysCompared: 12,
      counts: { missing: 0, extra: 0, changed: 1 },
      missing: [],
      extra: [],
      changed: [['7']],
      notes: [],
    },
  ],
  abort: { phase: 'verify', reason: 'the verify found differences in <script>', hookRan: true },
};

test('the HTML page escapes every name, shows the window phase by phase and how the cut-over ended', () => {
  const html = renderCutoverHtml(report);
  assert.doesNotMatch(html, /<script>/);
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.doesNotMatch(html, /src=|href=|<link|<img/, 'self-contained');
  assert.match(html, /Cut-over aborted in phase verify/);
  assert.match(html, /The abort hook ran: the old shop is back in service/);
  assert.match(html, /<h2>The window: 6\.1 s<\/h2>/);
  for (const title of ['maintenance on', 'drain', 'verify', 'abort'])
    assert.match(html, new RegExp(`title="${title} `));
  assert.match(html, /changed 7/);
});

test('the console table lists the phases with their seconds and the differing keys', () => {
  const text = formatCutover(report);
  assert.match(text, /^verify\s+0\.3\s+failed\s+yes\s+1 differ$/m);
  assert.match(text, /^before downtime\s+40\.0\s+ok\s+checked$/m);
  assert.match(text, /downtime: 6\.1 s/);
  assert.match(text, /<script>alert\(1\)<\/script>: changed 7/);
});

/** A check report with every shape the schema allows, for report tests that need no database. */
import type { CheckReport, DocumentReport } from '../../src/report/check-report.js';
import { LIVE_SOURCE_NOTE, REPORT_VERSION, totalsOf } from '../../src/report/check-report.js';

const base: Omit<DocumentReport, 'document' | 'destination' | 'sourceTable' | 'destinationTable'> = {
  status: 'ok',
  method: 'sql',
  key: ['entity_id'],
  sourceRows: 10,
  destinationRows: 10,
  rejectedRows: 0,
  counts: { missing: 0, extra: 0, changed: 0 },
  exact: true,
  missing: [],
  extra: [],
  changed: [],
  chunks: 1,
  seconds: 0.01,
  notes: [],
  lastRun: { state: 'copied', rows: 10, rejected: 0, seconds: 0.5, method: 'load-data', lastError: null },
  repair: null,
};

export const NASTY = `<script>alert("x")</script> & 'quotes' "too"`;

export function sampleReport(): CheckReport {
  const documents: DocumentReport[] = [
    {
      ...base,
      document: 'orders',
      destination: 'sales_order',
      sourceTable: 'orders',
      destinationTable: 'sales_order',
    },
    {
      ...base,
      document: NASTY,
      destination: 'odd<dest>',
      sourceTable: NASTY,
      destinationTable: 'odd<dest>',
      status: 'mismatch',
      method: 'stream',
      key: ['a', 'b'],
      destinationRows: 11,
      counts: { missing: 3, extra: 2, changed: 1 },
      missing: [
        ['1', '<x>'],
        ['2', 'a&b'],
      ],
      extra: [['9', { hex: '00ff' }]],
      changed: [['5', '"quoted"']],
      notes: [
        'hashed by the tool, not the database: v (float) from double: SQL cannot print the stored value exactly',
      ],
      lastRun: {
        state: 'failed',
        rows: 7,
        rejected: 1,
        seconds: 12.5,
        method: 'insert',
        lastError: 'ER_LOCK_WAIT_TIMEOUT <&>',
      },
      repair: "`migrate data /srv/migrate/config.xml --only '<script>'` (finishes the copy)",
    },
    {
      ...base,
      document: 'log_table',
      destination: 'log_table',
      sourceTable: 'log_table',
      destinationTable: 'log_table',
      status: 'mismatch',
      key: null,
      counts: { missing: 0, extra: 0, changed: 1 },
      exact: false,
      notes: ['no usable key: compared as a whole table (row count and checksum)'],
      lastRun: null,
    },
    {
      ...base,
      document: 'core_config_data',
      destination: 'core_config_data',
      sourceTable: 'core_config_data',
      destinationTable: 'core_config_data',
      status: 'skipped',
      method: 'count',
      key: null,
      destinationRows: 4,
      counts: { missing: null, extra: null, changed: null },
      exact: false,
      notes: ['copied by migrate settings, which merges values into the destination: counted, not compared'],
      lastRun: null,
    },
  ];
  return {
    version: REPORT_VERSION,
    tool: 'store-migrate 0.0.0',
    startedAt: '2026-01-02T03:04:05.678Z',
    generatedAt: '2026-01-02T03:04:07.000Z',
    seconds: 1.322,
    config: '/srv/migrate/config.xml',
    mode: 'deep',
    source: 'm1@db1:3306/magento1',
    destination: 'm2@db2:3306/magento2',
    note: LIVE_SOURCE_NOTE,
    status: 'mismatch',
    keyLimit: 20,
    totals: totalsOf(documents),
    documents,
    leftBehind: {
      source: { documents: ['log_url', NASTY], fields: ['sales_flat_order.gift_message_id'] },
      destination: { documents: ['sequence_order_1'], fields: [] },
    },
    settings: { status: 'in-sync', detail: 'merged: nothing left to write', repair: null },
  };
}

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LastRun } from '../../src/report/check-report.js';
import { repairCommand } from '../../src/report/repair-command.js';
import { shellWord } from '../../src/util/shell-word.js';

const copied: LastRun = {
  state: 'copied',
  rows: 5,
  rejected: 0,
  seconds: 1,
  method: 'insert',
  lastError: null,
};
const doc = { document: 'sales_flat_order', status: 'mismatch' as const, rejectedRows: 0, lastRun: copied };
const context = { config: 'shop.xml', waiting: undefined };

test('each mismatch names the command that repairs it', () => {
  assert.equal(
    repairCommand({ ...doc, lastRun: copied }, { ...context, waiting: 3 }),
    '`migrate delta shop.xml --until-caught-up`, then `migrate check shop.xml --deep --only sales_flat_order`',
  );
  assert.match(
    repairCommand({ ...doc, lastRun: { ...copied, state: 'failed' } }, context) ?? '',
    /^`migrate data shop.xml --only sales_flat_order` \(finishes the copy\)/,
  );
  assert.match(
    repairCommand(doc, context) ?? '',
    /^`migrate data shop.xml --reset --only sales_flat_order` \(empties and re-copies this document only\), then `migrate check shop.xml --deep --only sales_flat_order`$/,
  );
  assert.match(repairCommand({ ...doc, status: 'ok', rejectedRows: 2 }, context) ?? '', /--retry-rejected/);
  assert.equal(repairCommand({ ...doc, status: 'ok' }, context), null);
  assert.equal(repairCommand({ ...doc, status: 'skipped' }, context), null);
});

test('names and paths become one shell word', () => {
  assert.equal(shellWord('config.xml'), 'config.xml');
  assert.equal(shellWord('/srv/my shop/config.xml'), "'/srv/my shop/config.xml'");
  assert.equal(shellWord("o'brien"), `'o'\\''brien'`);
});

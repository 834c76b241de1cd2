import assert from 'node:assert/strict';
import { test } from 'node:test';
import { trackingNames } from '../../../src/steps/delta/change-log-names.js';

test('names are <prefix><table> with trigger suffixes', () => {
  assert.deepEqual(trackingNames('m2_cl_', 'sales_flat_order'), {
    changeLog: 'm2_cl_sales_flat_order',
    insertTrigger: 'm2_cl_sales_flat_order_ai',
    updateTrigger: 'm2_cl_sales_flat_order_au',
    deleteTrigger: 'm2_cl_sales_flat_order_ad',
  });
});

test('a name too long for MySQL is shortened with a stable hash, keeping the prefix', () => {
  const table = `catalog_product_entity_${'x'.repeat(50)}`;
  const a = trackingNames('m2_cl_', table);
  const b = trackingNames('m2_cl_', table);
  const other = trackingNames('m2_cl_', `${table}y`);
  assert.deepEqual(a, b);
  assert.ok(a.changeLog.startsWith('m2_cl_catalog_product_entity_'));
  assert.ok(a.insertTrigger.length <= 64 && a.changeLog.length <= 61);
  assert.match(a.changeLog, /_[0-9a-f]{8}$/);
  assert.notEqual(a.changeLog, other.changeLog);
});

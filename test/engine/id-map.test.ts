/** Where a plan's id lookups come from: read from the rows when handlers say so, else learnt by running the chain. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { idSources } from '../../src/engine/id-map.js';
import type { FieldHandler } from '../../src/handlers/contract.js';
import { mapId } from '../../src/handlers/mapId.js';
import type { BoundHandler, DocumentPlan } from '../../src/mappings/plan.js';

function planWith(sourceHandlers: BoundHandler[], destinationHandlers: BoundHandler[]): DocumentPlan {
  return {
    document: 'values',
    destinationDocument: 'values',
    sourceTable: 'values',
    destinationTable: 'values',
    owner: 'data',
    sourceColumns: ['value_id', 'attribute_id', 'store_id'],
    sourceTypes: ['int', 'int', 'int'],
    columns: [
      { destination: 'value_id', source: 'value_id' },
      { destination: 'attribute', source: 'attribute_id' },
      { destination: 'store_id', source: 'store_id' },
      { destination: 'added', source: null },
    ],
    destinationTypes: ['int', 'int', 'int', 'int'],
    sourceHandlers,
    destinationHandlers,
    key: ['value_id'],
    destinationKey: ['value_id'],
    sqlExpressible: false,
    estimatedRows: 0,
    estimatedBytes: 0,
  };
}

const bind = (field: string, handler: FieldHandler): BoundHandler => ({ field, name: 'test', handler });
const attributes = mapId.create({ map: 'eav_attribute' });
const stores = mapId.create({ map: 'store' });
const plusOne: FieldHandler = { transform: (value) => (value === null ? null : String(Number(value) + 1)) };
const undeclared: FieldHandler = {
  needs: { idMaps: ['store'] },
  transform: (value, _row, lookups) =>
    value === null ? null : (lookups?.id('store', String(value)) ?? null),
};

test('mapId on a source field and on a renamed destination field: the ids are read from their source columns', () => {
  const plan = planWith([bind('store_id', stores)], [bind('attribute', attributes)]);
  assert.deepEqual(idSources(plan), [
    { map: 'store', index: 2 },
    { map: 'eav_attribute', index: 1 },
  ]);
});

test('a plan without id maps has no id sources to read', () => {
  assert.deepEqual(idSources(planWith([bind('store_id', plusOne)], [])), []);
});

test('an earlier handler that changes the field, or a handler that does not say where its ids are, needs the chain run', () => {
  assert.equal(idSources(planWith([bind('store_id', plusOne), bind('store_id', stores)], [])), null);
  assert.equal(idSources(planWith([bind('attribute_id', plusOne)], [bind('attribute', attributes)])), null);
  assert.equal(idSources(planWith([bind('store_id', undeclared)], [])), null);
});

test('mapId on a destination column filled with NULL asks for nothing', () => {
  assert.deepEqual(idSources(planWith([], [bind('added', attributes)])), []);
});

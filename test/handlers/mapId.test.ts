import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HandlerParamsError, HandlerRejection, type IdLookups } from '../../src/handlers/contract.js';
import { mapId } from '../../src/handlers/mapId.js';

const lookups: IdLookups = { id: (map, id) => (map === 'eav_attribute' && id === '1' ? '10' : undefined) };

test('mapId rewrites a value through its id map and declares the map it needs', () => {
  const handler = mapId.create({ map: 'eav_attribute' });
  assert.deepEqual(handler.needs, { idMaps: ['eav_attribute'], idsFrom: 'value' });
  assert.equal(handler.transform('1', {}, lookups), '10');
  assert.equal(handler.transform(null, {}, lookups), null);
  assert.equal(handler.sql, undefined, 'no SQL form: a mapped document is streamed, never INSERT..SELECT');
});

test('mapId rejects a row it cannot map, and refuses to guess without lookups', () => {
  const handler = mapId.create({ map: 'eav_attribute' });
  assert.throws(() => handler.transform('2', {}, lookups), HandlerRejection);
  assert.throws(() => handler.transform('1', {}), /not available on this path/);
  assert.throws(() => mapId.create({}), HandlerParamsError);
});

test('mapId keeps the values params.keep names (no id, e.g. Magento 0 = none) and maps the others', () => {
  const handler = mapId.create({ map: 'eav_attribute', keep: ['0'] });
  assert.equal(handler.transform('0', {}, lookups), '0');
  assert.equal(handler.transform('1', {}, lookups), '10');
  assert.throws(() => handler.transform('2', {}, lookups), HandlerRejection);
  assert.throws(() => mapId.create({ map: 'eav_attribute', keep: '0' }), HandlerParamsError);
});

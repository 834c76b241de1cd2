/** setValue: a fixed value, whatever came in. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HandlerParamsError } from '../../src/handlers/contract.js';
import { setValue } from '../../src/handlers/setValue.js';
import { fakeBuilder } from './fake-builder.js';

test('setValue returns its value for any input', () => {
  const handler = setValue.create({ value: '1' });
  assert.equal(handler.transform('7', {}), '1');
  assert.equal(handler.transform(null, {}), '1');
  assert.equal(handler.transform(Buffer.from([1, 2]), {}), '1');
});

test('setValue can set NULL', () => {
  assert.equal(setValue.create({ value: null }).transform('x', {}), null);
});

test('setValue needs a string or null value', () => {
  for (const params of [{}, { value: 1 }, { value: true }, { value: { a: 1 } }]) {
    assert.throws(() => setValue.create(params), {
      name: 'HandlerParamsError',
      message: 'setValue needs params.value (a string or null)',
    });
  }
  assert.throws(() => setValue.create({}), HandlerParamsError);
});

test('setValue sql is the literal, escaped by the builder, or NULL', () => {
  assert.equal(setValue.create({ value: "it's \\ 1" }).sql?.(fakeBuilder), "'it''s \\\\ 1'");
  assert.equal(setValue.create({ value: null }).sql?.(fakeBuilder), 'NULL');
});

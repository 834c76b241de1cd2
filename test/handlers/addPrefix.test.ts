/** addPrefix: text in front of the value. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addPrefix } from '../../src/handlers/addPrefix.js';
import { fakeBuilder } from './fake-builder.js';

test('addPrefix puts the prefix in front', () => {
  const handler = addPrefix.create({ prefix: 'catalog/' });
  assert.equal(handler.transform('product/a.jpg', {}), 'catalog/product/a.jpg');
  assert.equal(handler.transform('', {}), 'catalog/');
});

test('addPrefix keeps NULL', () => {
  assert.equal(addPrefix.create({ prefix: 'x' }).transform(null, {}), null);
});

test('addPrefix keeps Buffers binary, prefix as UTF-8', () => {
  const out = addPrefix.create({ prefix: 'é' }).transform(Buffer.from([0xff, 0x00]), {});
  assert.deepEqual(out, Buffer.from([0xc3, 0xa9, 0xff, 0x00]));
});

test('addPrefix needs a string prefix', () => {
  assert.throws(() => addPrefix.create({}), {
    name: 'HandlerParamsError',
    message: /params\.prefix \(a string\)/,
  });
  assert.throws(() => addPrefix.create({ prefix: 3 }), { name: 'HandlerParamsError' });
});

test('addPrefix sql concatenates the escaped literal and the column', () => {
  assert.equal(addPrefix.create({ prefix: "o'\\" }).sql?.(fakeBuilder), "CONCAT('o''\\\\', `t`.`c`)");
});

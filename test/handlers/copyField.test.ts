/** copyField: another field of the same row. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HandlerRejection } from '../../src/handlers/contract.js';
import { copyField } from '../../src/handlers/copyField.js';
import { fakeBuilder } from './fake-builder.js';

test('copyField returns the other field, whatever its type', () => {
  const handler = copyField.create({ from: 'email' });
  assert.equal(handler.transform('old', { email: 'a@b.c' }), 'a@b.c');
  assert.equal(handler.transform('old', { email: null }), null);
  const bytes = Buffer.from([1]);
  assert.equal(handler.transform(null, { email: bytes }), bytes);
});

test('copyField declares the field it reads', () => {
  assert.deepEqual(copyField.create({ from: 'email' }).reads, ['email']);
});

test('copyField rejects a row without the field, naming it', () => {
  const handler = copyField.create({ from: 'email' });
  assert.throws(
    () => handler.transform('x', { other: '1' }),
    (error: unknown) => {
      assert.ok(error instanceof HandlerRejection);
      assert.match(error.message, /"email"/);
      return true;
    },
  );
  // Not fooled by names on Object.prototype.
  assert.throws(() => copyField.create({ from: 'constructor' }).transform('x', {}), HandlerRejection);
});

test('copyField needs a field name', () => {
  for (const params of [{}, { from: '' }, { from: 1 }]) {
    assert.throws(() => copyField.create(params), { name: 'HandlerParamsError', message: /params\.from/ });
  }
});

test('copyField sql is the other column', () => {
  assert.equal(copyField.create({ from: 'email' }).sql?.(fakeBuilder), '`t`.`email`');
});

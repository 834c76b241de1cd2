/** convert: a lookup table, with or without a default. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HandlerRejection } from '../../src/handlers/contract.js';
import { convert } from '../../src/handlers/convert.js';
import { fakeBuilder } from './fake-builder.js';

const map = { pending: 'new', holded: 'holded', canceled: null, é: 'e' };

test('convert maps values through the table, exactly', () => {
  const handler = convert.create({ map });
  assert.equal(handler.transform('pending', {}), 'new');
  assert.equal(handler.transform('canceled', {}), null);
  assert.equal(handler.transform('é', {}), 'e');
  assert.throws(() => handler.transform('PENDING', {}), HandlerRejection);
});

test('convert keeps NULL', () => {
  assert.equal(convert.create({ map }).transform(null, {}), null);
  assert.equal(convert.create({ map, default: 'x' }).transform(null, {}), null);
});

test('convert rejects a value not in the map when there is no default', () => {
  assert.throws(() => convert.create({ map }).transform('x', {}), {
    name: 'HandlerRejection',
    message: 'value "x" is not in the convert map and no default is given',
  });
});

test('convert uses the default, even a null one', () => {
  assert.equal(convert.create({ map, default: 'other' }).transform('x', {}), 'other');
  assert.equal(convert.create({ map, default: null }).transform('x', {}), null);
});

test('convert looks up Buffers by their bytes', () => {
  const handler = convert.create({ map });
  assert.equal(handler.transform(Buffer.from('pending'), {}), 'new');
  assert.equal(handler.transform(Buffer.from('é', 'utf8'), {}), 'e');
  assert.throws(() => handler.transform(Buffer.from('é', 'latin1'), {}), { message: /"0xe9"/ });
});

test('convert ignores keys inherited from Object.prototype', () => {
  assert.throws(() => convert.create({ map }).transform('constructor', {}), HandlerRejection);
});

test('convert checks its params', () => {
  for (const params of [{}, { map: null }, { map: [] }, { map: 'a' }]) {
    assert.throws(() => convert.create(params), { name: 'HandlerParamsError', message: /params\.map/ });
  }
  assert.throws(() => convert.create({ map: { a: 1 } }), {
    name: 'HandlerParamsError',
    message: /params\.map\["a"\]/,
  });
  assert.throws(() => convert.create({ map, default: 1 }), {
    name: 'HandlerParamsError',
    message: /params\.default/,
  });
});

test('convert has no sql without a default (a miss must reject)', () => {
  assert.equal(convert.create({ map }).sql, undefined);
});

test('convert sql is a byte-exact CASE, every value through builder.literal', () => {
  const sql = convert.create({ map: { "it's": 'a\\b', gone: null }, default: null }).sql?.(fakeBuilder);
  assert.equal(
    sql,
    'CASE WHEN `t`.`c` IS NULL THEN NULL' +
      " WHEN CAST(`t`.`c` AS BINARY) = CAST('it''s' AS BINARY) THEN 'a\\\\b'" +
      " WHEN CAST(`t`.`c` AS BINARY) = CAST('gone' AS BINARY) THEN NULL" +
      ' ELSE NULL END',
  );
  assert.equal(
    convert.create({ map: {}, default: 'z' }).sql?.(fakeBuilder),
    "CASE WHEN `t`.`c` IS NULL THEN NULL ELSE 'z' END",
  );
});

test('convert keepUnmapped keeps a value not in the map as it is, bytes included', () => {
  const handler = convert.create({ map, keepUnmapped: true });
  assert.equal(handler.transform('pending', {}), 'new');
  assert.equal(handler.transform('processing', {}), 'processing');
  assert.deepEqual(handler.transform(Buffer.from([0xe9]), {}), Buffer.from([0xe9]));
  assert.equal(handler.transform(null, {}), null);
  assert.equal(
    convert.create({ map: { a: 'b' }, keepUnmapped: true }).sql?.(fakeBuilder),
    "CASE WHEN `t`.`c` IS NULL THEN NULL WHEN CAST(`t`.`c` AS BINARY) = CAST('a' AS BINARY) THEN 'b' ELSE `t`.`c` END",
  );
  assert.throws(() => convert.create({ map, keepUnmapped: 'yes' }), { name: 'HandlerParamsError' });
  assert.throws(() => convert.create({ map, keepUnmapped: true, default: 'x' }), {
    name: 'HandlerParamsError',
    message: /either params\.default .* or params\.keepUnmapped/,
  });
  assert.throws(() => convert.create({ map, keepUnmapped: false }).transform('x', {}), HandlerRejection);
});

/** setValue: a fixed value, whatever came in; or a template of other fields; optionally on matching rows only. */
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

test('setValue needs a string or null value, or a template (not both)', () => {
  for (const params of [
    {},
    { value: 1 },
    { value: true },
    { value: { a: 1 } },
    { value: 'a', template: 'b' },
  ]) {
    assert.throws(() => setValue.create(params), {
      name: 'HandlerParamsError',
      message: /^setValue needs params\.value \(a string or null\) or params\.template/,
    });
  }
  assert.throws(() => setValue.create({}), HandlerParamsError);
});

test('setValue sql is the literal, escaped by the builder, or NULL', () => {
  assert.equal(setValue.create({ value: "it's \\ 1" }).sql?.(fakeBuilder), "'it''s \\\\ 1'");
  assert.equal(setValue.create({ value: null }).sql?.(fakeBuilder), 'NULL');
});

test('setValue template builds the value from other fields of the same row', () => {
  const handler = setValue.create({ template: 'group_{group_id}_{name}' });
  assert.deepEqual(handler.reads, ['group_id', 'name']);
  assert.equal(handler.transform('x', { group_id: '7', name: 'Main' }), 'group_7_Main');
  assert.equal(handler.transform('x', { group_id: null, name: 'Main' }), null, 'a NULL field makes it NULL');
  assert.deepEqual(
    handler.transform('x', { group_id: Buffer.from([0xff]), name: 'a' }),
    Buffer.concat([Buffer.from('group_'), Buffer.from([0xff]), Buffer.from('_a')]),
    'binary bytes are kept as bytes',
  );
  assert.throws(() => handler.transform('x', { group_id: '1' }), {
    name: 'HandlerRejection',
    message: 'setValue: the row has no field "name"',
  });
  assert.equal(setValue.create({ template: '{{literal}} {id}' }).transform(null, { id: '3' }), '{literal} 3');
});

test('setValue template sql is a CONCAT of literals and columns', () => {
  assert.equal(
    setValue.create({ template: "g'{group_id}" }).sql?.(fakeBuilder),
    "CONCAT('g''', `t`.`group_id`)",
  );
  assert.equal(setValue.create({ template: 'plain' }).sql?.(fakeBuilder), "'plain'");
});

test('setValue checks its template', () => {
  for (const template of ['', 'a{', 'a{}', 'a}b', '{a{b}', 3]) {
    assert.throws(() => setValue.create({ template }), { name: 'HandlerParamsError' }, String(template));
  }
});

test('setValue when sets the value on matching rows only and keeps the others', () => {
  const handler = setValue.create({ value: '0', when: { field: 'attribute_id', in: ['75', null] } });
  assert.deepEqual(handler.reads, ['attribute_id']);
  assert.equal(handler.transform('5', { attribute_id: '75' }), '0');
  assert.equal(handler.transform('5', { attribute_id: null }), '0');
  assert.equal(handler.transform('5', { attribute_id: '76' }), '5');
  assert.equal(
    handler.sql?.(fakeBuilder),
    "CASE WHEN (CAST(`t`.`attribute_id` AS BINARY) = CAST('75' AS BINARY) OR `t`.`attribute_id` IS NULL) THEN '0' ELSE `t`.`c` END",
  );
  const wrong = [
    null,
    'x',
    {},
    { field: 'a' },
    { field: 'a', in: [] },
    { field: 'a', in: [1] },
    { field: '', in: ['1'] },
  ];
  for (const when of wrong) {
    assert.throws(
      () => setValue.create({ value: '1', when }),
      { name: 'HandlerParamsError' },
      JSON.stringify(when),
    );
  }
});

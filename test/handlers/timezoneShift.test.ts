/** timezoneShift: exact calendar arithmetic on DATETIME text. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HandlerRejection } from '../../src/handlers/contract.js';
import { timezoneShift } from '../../src/handlers/timezoneShift.js';

const shift = (params: Record<string, unknown>, value: string | Buffer | null) =>
  timezoneShift.create(params).transform(value, {});

test('timezoneShift moves a date-time by an offset', () => {
  assert.equal(shift({ offset: '+02:00' }, '2024-05-01 10:15:30'), '2024-05-01 12:15:30');
  assert.equal(shift({ offset: '-05:30' }, '2024-05-01 10:15:30'), '2024-05-01 04:45:30');
  assert.equal(shift({ hours: -5.5 }, '2024-05-01 10:15:30'), '2024-05-01 04:45:30');
  assert.equal(shift({ hours: 0 }, '2024-05-01 10:15:30'), '2024-05-01 10:15:30');
  assert.equal(shift({ hours: 0.1 }, '2024-05-01 10:15:30'), '2024-05-01 10:21:30');
});

test('timezoneShift crosses days, months, years and leap days', () => {
  assert.equal(shift({ offset: '+02:00' }, '2023-12-31 23:30:00'), '2024-01-01 01:30:00');
  assert.equal(shift({ offset: '-01:00' }, '2024-01-01 00:30:00'), '2023-12-31 23:30:00');
  assert.equal(shift({ offset: '+01:00' }, '2024-02-28 23:00:00'), '2024-02-29 00:00:00');
  assert.equal(shift({ offset: '+01:00' }, '2023-02-28 23:00:00'), '2023-03-01 00:00:00');
  assert.equal(shift({ offset: '+01:00' }, '1900-02-28 23:00:00'), '1900-03-01 00:00:00');
  assert.equal(shift({ offset: '+01:00' }, '2000-02-28 23:00:00'), '2000-02-29 00:00:00');
  assert.equal(shift({ offset: '-00:30' }, '0001-01-01 00:10:00'), '0000-12-31 23:40:00');
});

test('timezoneShift agrees with Date.UTC over many values', () => {
  const handler = timezoneShift.create({ offset: '-07:45' });
  for (let i = 0; i < 2000; i++) {
    const ms = Date.UTC(1970, 0, 1) + i * 1_234_567_891;
    const text = new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
    const expected = new Date(ms - 465 * 60_000).toISOString().slice(0, 19).replace('T', ' ');
    assert.equal(handler.transform(text, {}), expected);
  }
});

test('timezoneShift keeps fractional seconds digit for digit', () => {
  assert.equal(shift({ offset: '+03:00' }, '2024-05-01 22:00:00.000100'), '2024-05-02 01:00:00.000100');
  assert.equal(shift({ offset: '+03:00' }, '2024-05-01 22:00:59.5'), '2024-05-02 01:00:59.5');
});

test('timezoneShift passes NULL, zero dates and plain dates through', () => {
  const handler = timezoneShift.create({ offset: '+02:00' });
  for (const value of [
    null,
    '0000-00-00 00:00:00',
    '2024-00-10 10:00:00',
    '2024-05-00 10:00:00',
    '2024-05-01',
  ]) {
    assert.equal(handler.transform(value, {}), value);
  }
});

test('timezoneShift reads Buffers as text', () => {
  assert.equal(shift({ offset: '+01:00' }, Buffer.from('2024-05-01 10:00:00')), '2024-05-01 11:00:00');
});

test('timezoneShift rejects what it cannot read', () => {
  const handler = timezoneShift.create({ offset: '+02:00' });
  for (const value of [
    '',
    'yesterday',
    '2024-05-01T10:00:00',
    '2024-05-01 10:00',
    '2024-13-01 10:00:00',
    '2023-02-29 10:00:00',
    '2024-04-31 10:00:00',
    '2024-05-01 24:00:00',
    '2024-05-01 10:60:00',
    '2024-05-01 10:00:00.1234567',
    '9999-12-31 23:00:00',
  ]) {
    assert.throws(() => handler.transform(value, {}), HandlerRejection, value);
  }
});

test('timezoneShift checks its params', () => {
  for (const params of [
    {},
    { offset: '+02:00', hours: 2 },
    { offset: '2:00' },
    { offset: '+02' },
    { offset: '+02:60' },
    { offset: 2 },
    { hours: '2' },
    { hours: 0.01 },
    { hours: 24 },
    { hours: Number.NaN },
  ]) {
    assert.throws(() => timezoneShift.create(params), {
      name: 'HandlerParamsError',
      message: /params\.offset/,
    });
  }
});

test('timezoneShift offers no sql', () => {
  assert.equal(timezoneShift.create({ hours: 1 }).sql, undefined);
});

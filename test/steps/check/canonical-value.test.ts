import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  type ColumnShape,
  canonicalValue,
  normalizeDecimal,
} from '../../../src/steps/check/canonical-value.js';

const shape = (dataType: string, more: Partial<ColumnShape> = {}): ColumnShape => ({
  dataType,
  numericScale: null,
  datetimePrecision: null,
  maxLength: null,
  ...more,
});

test('decimals get the destination scale, rounded half away from zero as the server rounds', () => {
  assert.equal(normalizeDecimal('5', 4), '5.0000');
  assert.equal(normalizeDecimal('-5', 2), '-5.00');
  assert.equal(normalizeDecimal('12.34565', 4), '12.3457');
  assert.equal(normalizeDecimal('-12.34565', 4), '-12.3457');
  assert.equal(normalizeDecimal('0.00004', 4), '0.0000');
  assert.equal(normalizeDecimal('-0.00004', 4), '0.0000');
  assert.equal(normalizeDecimal('007.5', 0), '8');
  assert.equal(normalizeDecimal('.5', 1), '0.5');
  assert.equal(normalizeDecimal('99999999999999999999.99', 1), '100000000000000000000.0');
  assert.equal(normalizeDecimal('abc', 2), 'abc');
  assert.equal(normalizeDecimal('', 2), '');
});

test('a source INT and a destination DECIMAL(12,4) holding it come out the same', () => {
  const decimal = shape('decimal', { numericScale: 4 });
  assert.equal(canonicalValue('5', decimal), canonicalValue('5.0000', decimal));
  assert.notEqual(canonicalValue('5', decimal), canonicalValue('5.0001', decimal));
  assert.equal(canonicalValue('18446744073709551615', shape('bigint')), '18446744073709551615');
});

test('floats compare at the precision the destination stores; doubles exactly', () => {
  assert.equal(canonicalValue('0.1', shape('float')), canonicalValue('0.10000000149011612', shape('float')));
  assert.notEqual(
    canonicalValue('0.1', shape('double')),
    canonicalValue('0.10000000149011612', shape('double')),
  );
  assert.equal(canonicalValue('1e3', shape('double')), canonicalValue('1000', shape('double')));
});

test('fractional seconds are padded to the column precision; CHAR drops trailing spaces; BINARY pads', () => {
  const dt6 = shape('datetime', { datetimePrecision: 6 });
  assert.equal(canonicalValue('2024-01-01 10:00:00', dt6), '2024-01-01 10:00:00.000000');
  assert.equal(canonicalValue('2024-01-01 10:00:00.5', dt6), '2024-01-01 10:00:00.500000');
  assert.equal(canonicalValue('0000-00-00 00:00:00', dt6), '0000-00-00 00:00:00.000000');
  assert.equal(canonicalValue('2024-01-01 10:00:00.000', shape('datetime')), '2024-01-01 10:00:00');
  assert.equal(
    canonicalValue('10:00:00.1234567', shape('time', { datetimePrecision: 3 })),
    '10:00:00.1234567',
  );
  assert.equal(canonicalValue('ab  ', shape('char')), 'ab');
  assert.equal(canonicalValue('ab  ', shape('varchar')), 'ab  ');
  assert.deepEqual(
    canonicalValue(Buffer.from([1]), shape('binary', { maxLength: 3 })),
    Buffer.from([1, 0, 0]),
  );
  assert.equal(canonicalValue(null, shape('decimal', { numericScale: 2 })), null);
});

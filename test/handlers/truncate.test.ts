/** truncate: values cut to the destination's length, or rejected with reject: true. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HandlerParamsError, HandlerRejection } from '../../src/handlers/contract.js';
import { truncate } from '../../src/handlers/truncate.js';
import { adminConnection } from '../support/database.js';
import { fakeBuilder } from './fake-builder.js';

test('truncate cuts longer values to length, by characters (code points), and passes the rest', () => {
  const cut = truncate.create({ length: 5 });
  assert.equal(cut.transform('+49 30 1234567', {}), '+49 3');
  assert.equal(cut.transform('short', {}), 'short');
  assert.equal(cut.transform('😀😀😀😀😀😀', {}), '😀😀😀😀😀', 'a 4-byte character counts once');
  assert.equal(cut.transform(null, {}), null);
  assert.deepEqual(cut.transform(Buffer.from('abcdefg'), {}), Buffer.from('abcde'));
  assert.equal(cut.sql?.(fakeBuilder), 'LEFT(`t`.`c`, 5)');
});

test('truncate with reject: true rejects a longer value with its length, and has no SQL form', () => {
  const strict = truncate.create({ length: 3, reject: true });
  assert.equal(strict.transform('abc', {}), 'abc');
  assert.throws(
    () => strict.transform('abcd', {}),
    (error: unknown) =>
      error instanceof HandlerRejection && /value is 4 characters, longer than 3/.test(error.message),
  );
  assert.equal(strict.sql, undefined, 'rejecting needs the tool to see each row');
});

test('truncate needs a whole length >= 1 and a boolean reject', () => {
  for (const params of [{}, { length: 0 }, { length: 2.5 }, { length: '5' }, { length: 5, reject: 'yes' }]) {
    assert.throws(() => truncate.create(params), HandlerParamsError, JSON.stringify(params));
  }
});

test('the SQL form cuts exactly as the JS does, on a real server', async (t) => {
  const conn = await adminConnection();
  t.after(() => conn.end());
  const cut = truncate.create({ length: 4 });
  for (const value of ['héllo wörld', '😀a😀b😀', 'ab']) {
    const [rows] = await conn.query<import('mysql2').RowDataPacket[]>(
      `SELECT ${cut.sql?.({ ...fakeBuilder, self: 'CONVERT(? USING utf8mb4)' })} AS v`,
      [value],
    );
    assert.equal(rows[0]?.v, cut.transform(value, {}), value);
  }
});

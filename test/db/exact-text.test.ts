import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exactRows, exactText, exactTextCast, mayHaveReplacedBytes } from '../../src/db/exact-text.js';
import type { CastField } from '../../src/db/type-cast.js';

const SURROGATE = Buffer.from('41eda08042', 'hex');

test('bytes decode to text only when the text encodes back to the same bytes', () => {
  assert.equal(exactText(Buffer.from('ok ✓', 'utf8')), 'ok ✓');
  assert.equal(exactText(Buffer.from('x\u{FFFD}y', 'utf8')), 'x\u{FFFD}y');
  assert.deepEqual(exactText(SURROGATE), SURROGATE);
  assert.equal(mayHaveReplacedBytes([['a', Buffer.from('\u{FFFD}')]], [0, 1]), false);
  assert.equal(mayHaveReplacedBytes([['a', 'b\u{FFFD}']], [0]), false);
  assert.equal(mayHaveReplacedBytes([['a', 'b\u{FFFD}']], [1]), true);
});

test('raw rows read back as readValuesAsText would, invalid text as bytes', () => {
  const fields = [
    { columnType: 3, characterSet: 63 }, // INT
    { columnType: 253, characterSet: 45 }, // VARCHAR utf8mb4
    { columnType: 253, characterSet: 63 }, // VARBINARY
    { columnType: 245, characterSet: 63 }, // MySQL JSON
    { columnType: 16, characterSet: 63 }, // BIT
  ];
  const rows = exactRows(
    [
      [Buffer.from('007'), SURROGATE, Buffer.from([0xff]), Buffer.from('{"a":"é"}'), Buffer.from([1])],
      [null, Buffer.from('fine'), null, null, null],
    ],
    fields,
  );
  assert.deepEqual(rows, [
    ['007', SURROGATE, Buffer.from([0xff]), '{"a":"é"}', Buffer.from([1])],
    [null, 'fine', null, null, null],
  ]);
});

test('a stream learns a column is text from its first value, then checks the bytes of the others', () => {
  const values = [Buffer.from('first'), SURROGATE, Buffer.from('x\u{FFFD}y'), null];
  let at = 0;
  const field: CastField = {
    type: 'VAR_STRING',
    string: () => {
      throw new Error('not used');
    },
    buffer: () => values[at++] ?? null,
  };
  const cast = exactTextCast((_, next) => next());
  const next = () => {
    const bytes = values[at++];
    return bytes ? bytes.toString('utf8') : null;
  };
  assert.equal(cast(field, next), 'first');
  assert.deepEqual(cast(field, next), SURROGATE);
  assert.equal(cast(field, next), 'x\u{FFFD}y');
  assert.equal(cast(field, next), null);
  // A first value that already holds U+FFFD cannot be checked: it comes back as bytes.
  const other: CastField = { ...field };
  values.splice(0, values.length, SURROGATE);
  at = 0;
  assert.deepEqual(exactTextCast((_, n) => n())(other, next), Buffer.from('A\u{FFFD}\u{FFFD}\u{FFFD}B'));
});

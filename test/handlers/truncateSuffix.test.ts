/** truncateSuffix: a fixed ending removed. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { truncateSuffix } from '../../src/handlers/truncateSuffix.js';
import { fakeBuilder } from './fake-builder.js';

const html = truncateSuffix.create({ suffix: '.html' });

test('truncateSuffix removes the suffix when present', () => {
  assert.equal(html.transform('shoes.html', {}), 'shoes');
  assert.equal(html.transform('.html', {}), '');
  assert.equal(html.transform('a.html.html', {}), 'a.html');
});

test('truncateSuffix leaves other values alone, case-sensitively', () => {
  assert.equal(html.transform('shoes', {}), 'shoes');
  assert.equal(html.transform('shoes.HTML', {}), 'shoes.HTML');
  assert.equal(html.transform('html', {}), 'html');
  assert.equal(html.transform('', {}), '');
  assert.equal(html.transform(null, {}), null);
});

test('truncateSuffix handles multi-byte suffixes and Buffers', () => {
  assert.equal(truncateSuffix.create({ suffix: '😀' }).transform('hi😀', {}), 'hi');
  assert.deepEqual(html.transform(Buffer.from('a.html'), {}), Buffer.from('a'));
  const other = Buffer.from('a.htm');
  assert.equal(html.transform(other, {}), other);
});

test('truncateSuffix needs a non-empty suffix', () => {
  for (const params of [{}, { suffix: '' }, { suffix: 5 }]) {
    assert.throws(() => truncateSuffix.create(params), {
      name: 'HandlerParamsError',
      message: /params\.suffix/,
    });
  }
});

test('truncateSuffix sql compares bytes and cuts by characters', () => {
  assert.equal(
    html.sql?.(fakeBuilder),
    "IF(CAST(RIGHT(`t`.`c`, 5) AS BINARY) = CAST('.html' AS BINARY), LEFT(`t`.`c`, CHAR_LENGTH(`t`.`c`) - 5), `t`.`c`)",
  );
  assert.equal(
    truncateSuffix.create({ suffix: "'😀" }).sql?.(fakeBuilder),
    "IF(CAST(RIGHT(`t`.`c`, 2) AS BINARY) = CAST('''😀' AS BINARY), LEFT(`t`.`c`, CHAR_LENGTH(`t`.`c`) - 2), `t`.`c`)",
  );
});

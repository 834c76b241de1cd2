/** The PHP serialize() reader and its JSON writer. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PhpSerializeError, toJson, unserialize } from '../../src/handlers/php-serialize.js';

const json = (input: string | Buffer) => toJson(unserialize(input));

/** Asserts that parsing fails with a PhpSerializeError at `offset`. */
function failsAt(input: string | Buffer, offset: number, message?: RegExp): void {
  assert.throws(
    () => json(input),
    (error: unknown) => {
      assert.ok(error instanceof PhpSerializeError, String(error));
      assert.equal(error.offset, offset, error.message);
      assert.ok(error.message.endsWith(`at byte ${offset}`), error.message);
      if (message) assert.match(error.message, message);
      return true;
    },
    String(input),
  );
}

test('scalars', () => {
  assert.equal(json('N;'), 'null');
  assert.equal(json('b:0;'), 'false');
  assert.equal(json('b:1;'), 'true');
  assert.equal(json('i:0;'), '0');
  assert.equal(json('i:-5;'), '-5');
  assert.equal(json('i:+5;'), '5');
  assert.equal(json('s:0:"";'), '""');
  assert.equal(json('s:5:"hello";'), '"hello"');
});

test('integers keep their exact digits, even beyond 2^53', () => {
  assert.equal(json('i:9223372036854775807;'), '9223372036854775807');
  assert.equal(json('i:-9223372036854775808;'), '-9223372036854775808');
  assert.equal(json('a:1:{i:0;i:9007199254740993;}'), '[9007199254740993]');
});

test('floats come back as the same double', () => {
  const cases: [string, number][] = [
    ['d:0.1;', 0.1],
    ['d:-1.5E-7;', -1.5e-7],
    ['d:1.0E+25;', 1e25],
    ['d:1;', 1],
    ['d:0.30000000000000004;', 0.30000000000000004],
    ['d:1.7976931348623157E+308;', Number.MAX_VALUE],
    ['d:5.0E-324;', 5e-324],
    ['d:.5;', 0.5],
    ['d:2.;', 2],
  ];
  for (const [input, expected] of cases) {
    const text = json(input);
    assert.equal(JSON.parse(text), expected, `${input} -> ${text}`);
  }
  assert.equal(json('d:0.1;'), '0.1');
  assert.ok(Object.is(JSON.parse(json('d:-0;')), -0));
});

test('INF and NAN have no JSON form', () => {
  for (const input of ['d:INF;', 'd:-INF;', 'd:NAN;']) failsAt(input, 0, /no JSON equivalent/);
  failsAt('a:1:{i:0;d:NAN;}', 9);
});

test('string lengths count UTF-8 bytes', () => {
  assert.equal(json('s:2:"é";'), '"é"');
  assert.equal(json('s:4:"😀";'), '"😀"');
  assert.equal(json('s:9:"日本語";'), '"日本語"');
  assert.equal(json('s:13:"café 😀 ok";'), '"café 😀 ok"');
  assert.equal(json(Buffer.from('s:9:"日本語";', 'utf8')), '"日本語"');
});

test('strings may hold quotes, semicolons and braces', () => {
  assert.equal(json('s:3:"";}";'), '"\\";}"');
  assert.equal(json('a:2:{i:0;s:5:"a";}b";i:1;s:4:"\\n\\"";}'), '["a\\";}b","\\\\n\\\\\\""]');
  assert.equal(json('s:2:"\n\0";'), '"\\n\\u0000"');
});

test('list arrays become JSON arrays', () => {
  assert.equal(json('a:0:{}'), '[]');
  assert.equal(json('a:3:{i:0;s:1:"a";i:1;s:1:"b";i:2;N;}'), '["a","b",null]');
  assert.equal(json('a:2:{s:1:"0";b:1;s:1:"1";b:0;}'), '[true,false]');
});

test('other arrays become JSON objects with string keys', () => {
  assert.equal(json('a:2:{i:1;s:1:"a";i:2;s:1:"b";}'), '{"1":"a","2":"b"}');
  assert.equal(json('a:2:{i:1;s:1:"b";i:0;s:1:"a";}'), '{"1":"b","0":"a"}');
  assert.equal(json('a:2:{i:0;s:1:"a";s:1:"x";i:1;}'), '{"0":"a","x":1}');
  assert.equal(json('a:1:{s:2:"01";i:1;}'), '{"01":1}');
});

test('a repeated key keeps its first place and last value, as PHP does', () => {
  assert.equal(json('a:3:{i:0;s:1:"a";i:1;s:1:"b";i:0;s:1:"c";}'), '["c","b"]');
});

test('nested associative and list arrays (a Magento buyRequest)', () => {
  const input =
    'a:4:{s:4:"uenc";s:8:"aHR0cDov";s:7:"product";s:2:"42";s:3:"qty";d:1.5;' +
    's:15:"super_attribute";a:2:{i:92;s:2:"17";i:135;a:2:{i:0;s:1:"x";i:1;a:1:{s:4:"deep";b:1;}}}}';
  assert.equal(
    json(input),
    '{"uenc":"aHR0cDov","product":"42","qty":1.5,"super_attribute":{"92":"17","135":["x",{"deep":true}]}}',
  );
});

test('objects become JSON objects, with private and protected markers removed', () => {
  assert.equal(json('O:8:"stdClass":0:{}'), '{}');
  assert.equal(json('O:8:"stdClass":2:{s:1:"a";i:1;s:1:"b";a:1:{i:0;N;}}'), '{"a":1,"b":[null]}');
  const input = 'O:3:"Foo":3:{s:6:"\0*\0pro";i:1;s:9:"\0Foo\0priv";s:1:"p";s:3:"pub";b:0;}';
  assert.equal(json(input), '{"pro":1,"priv":"p","pub":false}');
  assert.equal(json('O:3:"Foo":1:{i:0;s:1:"z";}'), '{"0":"z"}');
});

test('a wrong length prefix fails where the string should end', () => {
  failsAt('s:3:"é";', 8, /wrong length prefix/);
  failsAt('s:1:"é";', 6, /wrong length prefix/);
  failsAt('a:1:{i:0;s:5:"ab";}', 14, /runs past the end/);
  failsAt('a:1:{i:0;s:4:"ab";}', 18, /wrong length prefix/);
  failsAt('a:1:{i:0;N;i:1;N;}', 11, /expected "\}", found "i"/);
  failsAt('a:2:{i:0;s:1:"a";}', 17, /expected an array key/);
});

test('truncated input fails at its end', () => {
  failsAt('', 0, /end of input/);
  failsAt('s:5:"hel', 5, /runs past the end/);
  failsAt('a:2:{i:0;s:1:"a";', 17, /end of input/);
  failsAt('a:1:{i:0;s:1:"a";', 17, /end of input/);
  failsAt('i:12', 4, /end of input/);
  failsAt('N', 1, /end of input/);
  failsAt('O:8:"stdClass":1:{s:1:"a";', 26, /end of input/);
});

test('trailing garbage and unknown syntax fail with an offset', () => {
  failsAt('i:1;x', 4, /after the value/);
  failsAt('s:1:"a";\n', 8, /after the value/);
  failsAt('b:2;', 0, /not a boolean/);
  failsAt('i:1.5;', 0, /not an integer/);
  failsAt('d:1e;', 0, /not a float/);
  failsAt('x:1;', 0, /unsupported type "x"/);
  failsAt('a:1:{i:0;r:1;}', 9, /unsupported type "r"/);
  failsAt('C:3:"Foo":0:{}', 0, /unsupported type "C"/);
  failsAt('s:-1:"";', 2, /not a length/);
  failsAt('i:' + '1'.repeat(100) + ';', 2, /expected a number/);
  failsAt('a:1:{d:1;i:1;}', 5, /expected an array key/);
  failsAt('{"a":1}', 0, /unsupported type/);
});

test('strings that are not UTF-8 fail (JSON holds text only)', () => {
  failsAt(Buffer.from([...Buffer.from('s:1:"'), 0xe9, ...Buffer.from('";')]), 5, /not valid UTF-8/);
});

test('very deep nesting fails instead of overflowing the stack', () => {
  const input = 'a:1:{i:0;'.repeat(10_000) + 'N;' + '}'.repeat(10_000);
  assert.throws(() => json(input), { name: 'PhpSerializeError', message: /nesting deeper/ });
  const fine = 'a:1:{i:0;'.repeat(100) + 'N;' + '}'.repeat(100);
  assert.equal(json(fine), '['.repeat(100) + 'null' + ']'.repeat(100));
});

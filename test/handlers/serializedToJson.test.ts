/** serializedToJson: PHP serialize() text rewritten as JSON, rows it cannot convert rejected. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HandlerRejection, type Value } from '../../src/handlers/contract.js';
import { serializedToJson } from '../../src/handlers/serializedToJson.js';

const handler = serializedToJson.create({});
const convert = (value: Value) => handler.transform(value, {});

/** Asserts a rejection whose reason names the byte offset. */
function rejects(value: Value, offset: number): void {
  assert.throws(
    () => convert(value),
    (error: unknown) => {
      assert.ok(error instanceof HandlerRejection, String(error));
      assert.match(error.message, new RegExp(`at byte ${offset}$`));
      return true;
    },
  );
}

test('a nested configuration value (associative and list arrays)', () => {
  const input =
    'a:3:{s:7:"options";a:2:{i:0;a:2:{s:5:"label";s:3:"Red";s:5:"price";d:1.5;}' +
    'i:1;a:2:{s:5:"label";s:4:"Blue";s:5:"price";d:-0.25;}}s:7:"enabled";b:1;s:4:"note";N;}';
  const output = convert(input);
  assert.equal(
    output,
    '{"options":[{"label":"Red","price":1.5},{"label":"Blue","price":-0.25}],"enabled":true,"note":null}',
  );
});

test('booleans, null, integers and floats', () => {
  assert.equal(convert('a:4:{i:0;b:0;i:1;b:1;i:2;N;i:3;i:-5;}'), '[false,true,null,-5]');
  assert.equal(convert('i:9223372036854775807;'), '9223372036854775807');
  for (const [input, expected] of [
    ['d:0.1;', 0.1],
    ['d:-1.5E-7;', -1.5e-7],
    ['d:1.0E+25;', 1e25],
  ] as const) {
    const output = convert(input);
    assert.equal(typeof output, 'string');
    assert.equal(JSON.parse(output as string), expected);
  }
});

test('an object with a private and a protected property', () => {
  const input = 'O:8:"Customer":3:{s:14:"\0Customer\0name";s:3:"Ann";s:6:"\0*\0age";i:40;s:2:"id";i:7;}';
  assert.equal(convert(input), '{"name":"Ann","age":40,"id":7}');
});

test('multi-byte UTF-8 and tricky characters in strings', () => {
  assert.equal(convert('a:3:{i:0;s:2:"é";i:1;s:4:"😀";i:2;s:15:"日本語です";}'), '["é","😀","日本語です"]');
  assert.equal(convert('a:1:{s:4:"k";}";s:7:"é";}é";}'), '{"k\\";}":"é\\";}é"}');
});

test('Buffer input is parsed as bytes and gives a string', () => {
  assert.equal(convert(Buffer.from('a:1:{s:2:"é";s:4:"😀";}', 'utf8')), '{"é":"😀"}');
});

test('NULL, empty and JSON values stay as they are', () => {
  assert.equal(convert(null), null);
  assert.equal(convert(''), '');
  const empty = Buffer.alloc(0);
  assert.equal(convert(empty), empty);
  assert.equal(convert('{"a":[1,2]}'), '{"a":[1,2]}');
  assert.equal(convert('[]'), '[]');
  const json = Buffer.from('{"é":1}');
  assert.equal(convert(json), json);
});

test('running it twice is harmless', () => {
  const once = convert('a:2:{s:1:"a";i:1;s:1:"b";a:0:{}}');
  assert.equal(once, '{"a":1,"b":[]}');
  assert.equal(convert(once), once);
});

test('malformed input rejects the row, naming the byte offset', () => {
  rejects('s:3:"é";', 8); // wrong length prefix
  rejects('a:2:{i:0;s:1:"a";i:1;s:1:"b";', 29); // truncated
  rejects('a:2:{i:0;s:1:"a";i:1;s:1:"b', 26); // truncated inside a string
  rejects('i:1;i:2;', 4); // trailing garbage
  rejects('{not json', 0);
  rejects('hello', 0);
  rejects('d:INF;', 0);
  rejects('a:1:{i:0;d:NAN;}', 9);
  rejects('d:-INF;', 0);
});

test('the rejection says what went wrong', () => {
  assert.throws(() => convert('s:3:"é";'), {
    name: 'HandlerRejection',
    message: `serializedToJson: cannot convert to JSON: expected '"' after a string of 3 bytes (wrong length prefix?) at byte 8`,
  });
});

test('takes no params', () => {
  assert.equal(serializedToJson.create({}).sql, undefined);
});

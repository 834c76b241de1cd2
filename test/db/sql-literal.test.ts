import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sqlLiteral, sqlString } from '../../src/db/sql-literal.js';
import type { Value } from '../../src/handlers/contract.js';

test('strings are quoted and escaped, with ? escaped for knex', () => {
  assert.equal(sqlString('plain é 😀'), "'plain é 😀'");
  assert.equal(sqlString(''), "''");
  assert.equal(sqlString("it's"), "'it\\'s'");
  assert.equal(sqlString('a\\b'), "'a\\\\b'");
  assert.equal(sqlString('\0\n\r\x1a'), "'\\0\\n\\r\\Z'");
  assert.equal(sqlString('what? \\?'), "'what\\? \\\\\\?'");
  assert.equal(sqlString('"double" and `back`'), '\'"double" and `back`\'');
});

test('NULL, text and bytes become literals', () => {
  assert.equal(sqlLiteral(null), 'NULL');
  assert.equal(sqlLiteral('18446744073709551615'), "'18446744073709551615'");
  assert.equal(sqlLiteral(Buffer.from([0, 0xff, 0x10])), "X'00ff10'");
  assert.equal(sqlLiteral(Buffer.alloc(0)), "X''");
  assert.throws(() => sqlLiteral(1 as unknown as Value), /must be a string, a Buffer or null, got number/);
  assert.throws(() => sqlLiteral(undefined as unknown as Value), /got undefined/);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bindPlaceholders, placeholderPositions } from '../../src/db/bind-placeholders.js';

test('only a ? outside quotes and comments is a placeholder', () => {
  const sql =
    "SELECT 'a?b', \"c?\\\"?\", `q?``?t`, 'it''s?' -- x?\n# y?\n/* z? */ FROM t WHERE id > ? AND v = ?";
  assert.equal(placeholderPositions(sql).length, 2);
  assert.equal(
    bindPlaceholders(sql, [5, "o'?"]),
    "SELECT 'a?b', \"c?\\\"?\", `q?``?t`, 'it''s?' -- x?\n# y?\n/* z? */ FROM t WHERE id > 5 AND v = 'o\\'?'",
  );
  assert.equal(bindPlaceholders("INSERT INTO `a?` VALUES ('?')", []), "INSERT INTO `a?` VALUES ('?')");
  assert.equal(bindPlaceholders('SELECT ?, ?', [null, Buffer.from([1, 255])]), "SELECT NULL, X'01ff'");
  assert.equal(bindPlaceholders("SELECT 'a\\\\', ?", ['x']), "SELECT 'a\\\\', 'x'");
});

test('a count that does not match is a programming error, not a wrong statement', () => {
  assert.throws(() => bindPlaceholders('SELECT ?', [1, 2]), /1 placeholders for 2 bindings/);
  assert.throws(() => bindPlaceholders("SELECT '?', ?, ?", [1]), /2 placeholders for 1 bindings/);
});

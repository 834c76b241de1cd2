/** nearest: "did you mean" suggestions. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { levenshtein, nearest } from '../../src/util/nearest.js';

test('levenshtein counts edits', () => {
  assert.equal(levenshtein('', ''), 0);
  assert.equal(levenshtein('abc', ''), 3);
  assert.equal(levenshtein('kitten', 'sitting'), 3);
  assert.equal(levenshtein('same', 'same'), 0);
});

test('nearest finds a plausible typo, ignoring case', () => {
  const names = ['setValue', 'convert', 'convertIp', 'copyField'];
  assert.equal(nearest('setvalue', names), 'setValue');
  assert.equal(nearest('convertIP', names), 'convertIp');
  assert.equal(nearest('conver', names), 'convert');
  assert.equal(nearest('copyFeild', names), 'copyField');
});

test('nearest gives nothing when nothing is close', () => {
  assert.equal(nearest('timezone', ['setValue', 'convert']), undefined);
  assert.equal(nearest('x', []), undefined);
});

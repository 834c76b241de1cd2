import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HandlerRejection } from '../../../../src/handlers/contract.js';
import { itemOptionToJson } from '../../../../src/profiles/magento-1.9-to-2.4/handlers/item-option-to-json.js';

const handler = itemOptionToJson.create({});
const option = (code: string, value: string | null) => handler.transform(value, { code, value });

test("the options 1.9 always serializes become JSON, as 2.4's cart and wishlist read them", () => {
  assert.equal(
    option('info_buyRequest', 'a:3:{s:4:"uenc";s:4:"aHR0";s:7:"product";s:2:"13";s:3:"qty";d:2.5;}'),
    '{"uenc":"aHR0","product":"13","qty":2.5}',
  );
  assert.equal(option('attributes', 'a:1:{i:92;s:2:"20";}'), '{"92":"20"}');
  assert.equal(option('bundle_option_ids', 'a:2:{i:0;s:1:"1";i:1;s:1:"2";}'), '["1","2"]');
  assert.equal(option('info_buyRequest', 'N;'), 'null');
});

test('plain options stay as 1.9 wrote them; a file option (a serialized array) becomes JSON', () => {
  assert.equal(option('simple_product', '42'), '42');
  assert.equal(option('product_qty_42', '1'), '1');
  assert.equal(option('option_7', 'a:0:{} is my engraving'), 'a:0:{} is my engraving');
  assert.equal(option('option_8', 'a:1:{s:5:"title";s:5:"x.png";}'), '{"title":"x.png"}');
  assert.equal(option('option_9', 'Happy birthday'), 'Happy birthday');
  assert.equal(option('info_buyRequest', null), null);
});

test('a second run changes nothing; a named option that is not serialized PHP rejects the row', () => {
  assert.equal(option('info_buyRequest', '{"qty":1}'), '{"qty":1}');
  assert.throws(() => option('info_buyRequest', 'a:1:{s:3:"qty"'), HandlerRejection);
  assert.throws(
    () => option('attributes', 'garbage'),
    /itemOptionToJson: option attributes is not serialized PHP/,
  );
});

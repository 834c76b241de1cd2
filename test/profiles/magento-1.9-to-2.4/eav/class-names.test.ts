import assert from 'node:assert/strict';
import { test } from 'node:test';
import { magentoClassName } from '../../../../src/profiles/magento-1.9-to-2.4/eav/class-names.js';

test('magentoClassName: known 1.9 aliases become 2.4 classes, 2.4 classes and empty stay, unknown ones NULL', () => {
  const handler = magentoClassName.create({});
  assert.equal(
    handler.transform('eav/entity_attribute_source_table', {}),
    'Magento\\Eav\\Model\\Entity\\Attribute\\Source\\Table',
  );
  assert.equal(
    handler.transform('eav/entity_attribute_backend_array', {}),
    'Magento\\Eav\\Model\\Entity\\Attribute\\Backend\\ArrayBackend',
  );
  assert.equal(handler.transform('Magento\\Catalog\\Model\\Foo', {}), 'Magento\\Catalog\\Model\\Foo');
  assert.equal(handler.transform('', {}), '');
  assert.equal(handler.transform(null, {}), null);
  assert.equal(handler.transform('catalog/product_attribute_backend_recurring', {}), null);
});

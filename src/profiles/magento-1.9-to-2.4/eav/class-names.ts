/**
 * `magentoClassName`: Magento 1 names model classes by alias (`eav/entity_attribute_source_table`);
 * Magento 2 by PHP class (`Magento\Eav\Model\Entity\Attribute\Source\Table`). Attributes 2.4
 * already has keep 2.4's own classes (the merge keeps matched rows, so what this returns for them
 * is never written); for the attributes the tool creates it converts the aliases it knows, and
 * an alias it does not know (a 1.9-only feature, an extension's class 2.4 could not load)
 * becomes NULL, the model 2.4 uses by default. Handlers run before the merge matches a row, so
 * rejecting an unknown alias would reject installer attributes 2.4 already has.
 */
import type { HandlerDefinition } from '../../../handlers/contract.js';

/** 1.9 alias -> 2.4 class, for the classes user-defined and installer attributes use. */
export const CLASS_NAMES: Readonly<Record<string, string>> = {
  'eav/entity_attribute_source_table': 'Magento\\Eav\\Model\\Entity\\Attribute\\Source\\Table',
  'eav/entity_attribute_source_boolean': 'Magento\\Eav\\Model\\Entity\\Attribute\\Source\\Boolean',
  'eav/entity_attribute_backend_array': 'Magento\\Eav\\Model\\Entity\\Attribute\\Backend\\ArrayBackend',
  'eav/entity_attribute_backend_datetime': 'Magento\\Eav\\Model\\Entity\\Attribute\\Backend\\Datetime',
  'eav/entity_attribute_frontend_datetime': 'Magento\\Eav\\Model\\Entity\\Attribute\\Frontend\\Datetime',
  'eav/entity_attribute_backend_time_created':
    'Magento\\Eav\\Model\\Entity\\Attribute\\Backend\\Time\\Created',
  'eav/entity_attribute_backend_time_updated':
    'Magento\\Eav\\Model\\Entity\\Attribute\\Backend\\Time\\Updated',
  'eav/entity_attribute_backend_increment': 'Magento\\Eav\\Model\\Entity\\Attribute\\Backend\\Increment',
  'eav/entity_attribute_backend_default': 'Magento\\Eav\\Model\\Entity\\Attribute\\Backend\\DefaultBackend',
  'catalog/resource_eav_attribute': 'Magento\\Catalog\\Model\\ResourceModel\\Eav\\Attribute',
  'catalog/product_attribute_backend_price': 'Magento\\Catalog\\Model\\Product\\Attribute\\Backend\\Price',
  'catalog/product_attribute_backend_boolean':
    'Magento\\Catalog\\Model\\Product\\Attribute\\Backend\\Boolean',
  'catalog/product_attribute_backend_weight': 'Magento\\Catalog\\Model\\Product\\Attribute\\Backend\\Weight',
  'catalog/product_attribute_source_layout': 'Magento\\Catalog\\Model\\Product\\Attribute\\Source\\Layout',
  'catalog/product_attribute_frontend_image': 'Magento\\Catalog\\Model\\Product\\Attribute\\Frontend\\Image',
  'catalog/category_attribute_backend_image': 'Magento\\Catalog\\Model\\Category\\Attribute\\Backend\\Image',
  'catalog/category_attribute_source_layout': 'Magento\\Catalog\\Model\\Category\\Attribute\\Source\\Layout',
  'customer/attribute_backend_data_boolean': 'Magento\\Customer\\Model\\Attribute\\Backend\\Data\\Boolean',
  'customer/entity_address_attribute_source_country':
    'Magento\\Customer\\Model\\ResourceModel\\Address\\Attribute\\Source\\Country',
};

export const magentoClassName: HandlerDefinition = {
  name: 'magentoClassName',
  description:
    'magentoClassName: a Magento 1 class alias -> its Magento 2 class (NULL when 2.4 has none); no params',
  create() {
    return {
      transform(value) {
        if (value === null) return null;
        const alias = Buffer.isBuffer(value) ? value.toString('utf8') : value;
        if (alias === '' || alias.includes('\\')) return alias; // empty, or already a Magento 2 class
        return CLASS_NAMES[alias] ?? null;
      },
    };
  },
};

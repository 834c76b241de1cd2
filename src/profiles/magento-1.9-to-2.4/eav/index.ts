/**
 * EAV: entity types, attribute sets and groups, attributes (matched by entity type and code,
 * the shop's own created; Magento 1 class aliases converted), their catalog and customer
 * properties, options (matched by attribute and admin label: attribute-options-step.ts), their
 * store labels, and attribute labels. Fills the id maps `eav_entity_type`,
 * `eav_attribute_set`, `eav_attribute_group`, `eav_attribute` and `eav_attribute_option`.
 */
import { mapFile, type ProfileArea } from '../area.js';
import { attributeGroupCode } from './attribute-group-code.js';
import { AttributeOptionsStep } from './attribute-options-step.js';
import { magentoClassName } from './class-names.js';

export const eavArea: ProfileArea = {
  mapFiles: [mapFile('eav.json')],
  /** Options run first among the profile's steps: the catalog's option values follow their map. */
  steps: [new AttributeOptionsStep()],
  handlers: [attributeGroupCode, magentoClassName],
};

/**
 * Forms: which customer and address forms (registration, account edit, checkout, admin) each
 * of the shop's own attributes is on. 2.4 shows an attribute on a form only through a
 * customer_form_attribute row, and its installer wrote the rows of its own attributes, so the
 * shop's (user-defined in 1.9) are added, attribute ids mapped; rows 2.4 has are kept. The
 * eav_form_* tables (1.9's form layout: fieldsets, elements) are the installer's in both
 * versions and not migrated, as the Magento Data Migration Tool does not.
 */
import { customerFormAttributeSelect } from '../../../db/magento-catalog-extras.js';
import { mapId } from '../../../handlers/mapId.js';
import type { ProfileArea } from '../area.js';
import { MissingRowsStep } from '../missing-rows-step.js';

export const formsArea: ProfileArea = {
  mapFiles: [],
  steps: [
    new MissingRowsStep({
      document: 'customer_form_attribute',
      naturalKey: ['form_code', 'attribute_id'],
      select: (_source, prefix) => customerFormAttributeSelect(prefix),
      transforms: { attribute_id: mapId.create({ map: 'eav_attribute' }) },
    }),
  ],
};

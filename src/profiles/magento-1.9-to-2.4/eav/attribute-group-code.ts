/**
 * `attributeGroupCode`: 2.4's eav_attribute_group has a `attribute_group_code` (unique within a
 * set) that 1.9 lacks; 2.4 spells it from the name ("Gift Options" -> "gift-options"). Groups
 * 2.4 already has keep their code (the merge keeps them); this names the groups the tool creates.
 */
import type { HandlerDefinition } from '../../../handlers/contract.js';

export const attributeGroupCode: HandlerDefinition = {
  name: 'attributeGroupCode',
  description:
    'attributeGroupCode: the group code 2.4 spells from the group name ("Gift Options" -> gift-options); no params',
  create() {
    return {
      reads: ['attribute_group_name'],
      transform(_value, row) {
        const name = row.attribute_group_name ?? null;
        const text = name === null ? '' : Buffer.isBuffer(name) ? name.toString('utf8') : name;
        const code = text
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '-')
          .replace(/^-+|-+$/g, '');
        return code === '' ? 'group' : code;
      },
    };
  },
};

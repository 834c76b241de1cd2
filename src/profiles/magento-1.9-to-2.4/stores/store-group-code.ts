/**
 * `storeGroupCode`: 2.4's store_group has a unique `code` that 1.9's core_store_group lacks.
 * A group 2.4's installer already holds is matched by website and name and keeps its code; a
 * group the tool creates gets its name in 2.4's code style plus its 1.9 id ("Outlet Store" ->
 * "outlet_store_3"), unique even when two websites' groups share a name.
 */
import { type HandlerDefinition, HandlerRejection, type Value } from '../../../handlers/contract.js';

export const storeGroupCode: HandlerDefinition = {
  name: 'storeGroupCode',
  description:
    'storeGroupCode: the store group code from its name and 1.9 id ("Outlet Store", 3 -> outlet_store_3); no params',
  create() {
    return {
      reads: ['name', 'group_id'],
      transform(_value, row) {
        const name = text(row.name ?? null);
        const id = text(row.group_id ?? null);
        if (id === '') throw new HandlerRejection('storeGroupCode: the row has no group_id');
        const slug = name
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '_')
          .replace(/^_+|_+$/g, '');
        return `${slug === '' ? 'group' : slug}_${id}`;
      },
    };
  },
};

function text(value: Value): string {
  return value === null ? '' : Buffer.isBuffer(value) ? value.toString('utf8') : value;
}

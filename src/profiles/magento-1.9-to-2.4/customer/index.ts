/**
 * Customers and their addresses: 1.9 keeps a customer's name, date of birth, password hash,
 * default addresses... as EAV values; 2.4 keeps them as columns of customer_entity (and an
 * address's street, city... as columns of customer_address_entity). Each entity becomes one
 * flat row (ids kept, so orders, quotes and wishlists keep pointing at the same customer), and
 * the values of attributes that stayed EAV (the shop's own) move with their attribute ids
 * remapped through the `eav_attribute` id map. Groups merge by code (map/customer.json).
 */
import type { Database } from '../../../db/database.js';
import {
  entityTypeAttributes,
  type FlatColumn,
  flatEntitySelect,
  remainingValuesSelect,
} from '../../../db/magento-eav.js';
import { mapId } from '../../../handlers/mapId.js';
import { mapFile, type ProfileArea } from '../area.js';
import { magentoPasswordHash } from '../handlers/password-hash.js';
import { type SelectSource, SelectStep } from '../select-step.js';

const BACKEND_TYPES = ['datetime', 'decimal', 'int', 'text', 'varchar'] as const;

const entity = (column: string): FlatColumn => ({ column, from: 'entity' });
const attribute = (column: string, extra: Partial<FlatColumn> = {}): FlatColumn =>
  ({ column, from: 'attribute', ...extra }) as FlatColumn;

/** customer_entity in 2.4, column by column: where each comes from in 1.9. */
export const CUSTOMER_COLUMNS: readonly FlatColumn[] = [
  ...[
    'entity_id',
    'website_id',
    'email',
    'group_id',
    'increment_id',
    'store_id',
    'created_at',
    'updated_at',
  ].map(entity),
  ...['is_active', 'disable_auto_group_change'].map(entity),
  ...['created_in', 'prefix', 'firstname', 'middlename', 'lastname', 'suffix'].map((c) => attribute(c)),
  attribute('dob', { date: true }),
  ...['password_hash', 'rp_token', 'rp_token_created_at', 'default_billing', 'default_shipping'].map((c) =>
    attribute(c),
  ),
  ...['taxvat', 'confirmation', 'gender'].map((c) => attribute(c)),
];

/**
 * customer_address_entity in 2.4. Columns 2.4 declares NOT NULL without a default get '' when
 * 1.9 has no value (Magento 1 allowed an address without a telephone; 2.4's table does not).
 */
export const ADDRESS_COLUMNS: readonly FlatColumn[] = [
  ...['entity_id', 'increment_id', 'parent_id', 'created_at', 'updated_at', 'is_active'].map(entity),
  ...['city', 'country_id', 'firstname', 'lastname', 'street', 'telephone'].map((c) =>
    attribute(c, { ifMissing: '' }),
  ),
  ...['company', 'fax', 'middlename', 'postcode', 'prefix', 'region', 'region_id', 'suffix'].map((c) =>
    attribute(c),
  ),
  ...['vat_id', 'vat_is_valid', 'vat_request_date', 'vat_request_id', 'vat_request_success'].map((c) =>
    attribute(c),
  ),
];

/** A flat entity's delta sources: its own row and its EAV values, each by the entity's id. */
function entitySources(entityTable: string): SelectSource[] {
  return [entityTable, ...BACKEND_TYPES.map((type) => `${entityTable}_${type}`)].map((table) => ({
    table,
    column: 'entity_id',
  }));
}

function flatStep(
  document: string,
  entityTypeCode: string,
  columns: readonly FlatColumn[],
  extra: Partial<ConstructorParameters<typeof SelectStep>[0]>,
) {
  return new SelectStep({
    document,
    key: 'entity_id',
    async select(source: Database, prefix: string) {
      const attributes = await entityTypeAttributes(source, prefix, entityTypeCode);
      return flatEntitySelect({ prefix, entityTable: document, columns, attributes });
    },
    ...extra,
    sources: [...entitySources(document), ...(extra.sources ?? [])],
  });
}

/** The EAV values 2.4 still keeps as EAV, attribute ids remapped. */
function remainingValueSteps(entityTable: string, entityTypeCode: string, columns: readonly FlatColumn[]) {
  const flattenedCodes = new Set(
    columns
      .filter((c) => c.from === 'attribute')
      .map((c) => (c.from === 'attribute' && c.attribute) || c.column),
  );
  return BACKEND_TYPES.map(
    (type) =>
      new SelectStep({
        document: `${entityTable}_${type}`,
        key: 'value_id',
        async select(source: Database, prefix: string) {
          const attributes = await entityTypeAttributes(source, prefix, entityTypeCode);
          const flattened = [...attributes.values()].filter((a) => flattenedCodes.has(a.code));
          return remainingValuesSelect({ prefix, valueTable: `${entityTable}_${type}`, flattened });
        },
        transforms: { attribute_id: mapId.create({ map: 'eav_attribute' }) },
        // A value row by its id; every value of an entity by the entity's id (a deleted entity's values go by cascade).
        sources: [
          { table: `${entityTable}_${type}`, column: 'value_id' },
          { table: entityTable, column: 'entity_id', by: 'entity_id' },
        ],
      }),
  );
}

const byMap = (map: string) => mapId.create({ map });

export const customerArea: ProfileArea = {
  mapFiles: [mapFile('customer.json'), mapFile('tax.json')],
  steps: [
    flatStep('customer_entity', 'customer', CUSTOMER_COLUMNS, {
      transforms: {
        website_id: byMap('store_website'),
        store_id: byMap('store'),
        group_id: byMap('customer_group'),
        password_hash: magentoPasswordHash.create({}),
      },
      describe: (row) => `customer ${String(row.email)} (website ${String(row.website_id)})`,
    }),
    flatStep('customer_address_entity', 'customer_address', ADDRESS_COLUMNS, {
      // A deleted customer's addresses go by cascade in 1.9, which no trigger sees.
      sources: [{ table: 'customer_entity', column: 'entity_id', by: 'parent_id' }],
      describe: (row) => `address ${String(row.entity_id)} of customer ${String(row.parent_id)}`,
    }),
    ...remainingValueSteps('customer_entity', 'customer', CUSTOMER_COLUMNS),
    ...remainingValueSteps('customer_address_entity', 'customer_address', ADDRESS_COLUMNS),
  ],
  handlers: [magentoPasswordHash],
};

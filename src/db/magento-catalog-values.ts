/**
 * Magento catalog values by natural key, for the profile's verification: a product's value as
 * (sku, attribute code, store code, value) and a category's as (path, attribute code, store
 * code, value), read the same way from 1.9 (core_store) and 2.4 (store), a range of entity
 * ids at a time so memory stays bounded by the range, not the catalog. A select's or
 * multiselect's value is read as its options' admin labels: option ids differ between the two.
 * Decimals are compared at 6 places: 1.9 stores decimal(12,4), 2.4 decimal(20,6).
 */
import type { Queryable } from './database.js';
import { qualifiedName, quoteIdentifier } from './identifiers.js';
import { optionBackedCondition } from './magento-option-values.js';

export const VALUE_TYPES = ['varchar', 'int', 'text', 'decimal', 'datetime'] as const;
export type ValueType = (typeof VALUE_TYPES)[number];

export interface EntityValue {
  entityId: string;
  /** sku for a product, path for a category. */
  entity: string;
  attribute: string;
  store: string;
  value: string | null;
}

export interface ValueTables {
  schema: string;
  /** Table prefix of that side. */
  prefix: string;
  /** `core_store` on 1.9, `store` on 2.4. */
  storeTable: string;
}

/** The values of entities with ids in (after, upTo], of one value table, ordered. */
export async function readEntityValues(
  db: Queryable,
  side: ValueTables,
  kind: 'product' | 'category',
  type: ValueType,
  after: number,
  upTo: number,
  /** Codes of the attributes whose values are option ids (as 1.9 defines them): read as labels. */
  optionCodes: readonly string[],
  onlyIds?: readonly string[],
): Promise<EntityValue[]> {
  const optionBacked =
    optionCodes.length > 0 ? `a.attribute_code IN (${optionCodes.map(() => '?').join(', ')})` : 'FALSE';
  const t = (name: string) => qualifiedName(side.schema, `${side.prefix}${name}`);
  const entity = t(`catalog_${kind}_entity`);
  const values = t(`catalog_${kind}_entity_${type}`);
  const naturalKey = quoteIdentifier(kind === 'product' ? 'sku' : 'path');
  const only =
    onlyIds && onlyIds.length > 0 ? ` AND e.entity_id IN (${onlyIds.map(() => '?').join(', ')})` : '';
  const rows = await db.query<{
    entity_id: string;
    entity: string;
    attribute: string;
    store: string;
    value: unknown;
  }>(
    `SELECT e.entity_id, e.${naturalKey} AS entity, a.attribute_code AS attribute, s.code AS store,
            CASE WHEN ${optionBacked}
                 THEN (SELECT GROUP_CONCAT(ov.value ORDER BY ov.value SEPARATOR ',') FROM ${t('eav_attribute_option_value')} ov
                        WHERE ov.store_id = 0 AND FIND_IN_SET(ov.option_id, v.value))
                 ELSE CAST(${type === 'decimal' ? 'CAST(v.value AS DECIMAL(65, 6))' : 'v.value'} AS CHAR) END AS value
       FROM ${values} v
       JOIN ${entity} e ON e.entity_id = v.entity_id
       JOIN ${t('eav_attribute')} a ON a.attribute_id = v.attribute_id
       JOIN ${t(side.storeTable)} s ON s.store_id = v.store_id
      WHERE v.entity_id > ? AND v.entity_id <= ?${only}
      ORDER BY e.entity_id, a.attribute_code, s.code`,
    [...optionCodes, after, upTo, ...(onlyIds ?? [])],
  );
  return rows.map((r) => ({
    entityId: String(r.entity_id),
    entity: String(r.entity ?? ''),
    attribute: r.attribute,
    store: r.store,
    value: r.value === null ? null : String(r.value),
  }));
}

/** Codes of an entity type's attributes whose values are option ids, on one side. */
export async function optionBackedAttributeCodes(
  db: Queryable,
  side: ValueTables,
  entityTypeCode: string,
): Promise<string[]> {
  const t = (name: string) => qualifiedName(side.schema, `${side.prefix}${name}`);
  const rows = await db.query<{ code: string }>(
    `SELECT a.attribute_code AS code FROM ${t('eav_attribute')} a JOIN ${t('eav_entity_type')} e ON e.entity_type_id = a.entity_type_id
      WHERE e.entity_type_code = ? AND ${optionBackedCondition('a')}`,
    [entityTypeCode],
  );
  return rows.map((r) => r.code);
}

/** The highest entity id of a catalog entity table (0 when empty). */
export async function maxEntityId(
  db: Queryable,
  side: ValueTables,
  kind: 'product' | 'category',
): Promise<number> {
  const [row] = await db.query<{ id: string | null }>(
    `SELECT MAX(entity_id) AS id FROM ${qualifiedName(side.schema, `${side.prefix}catalog_${kind}_entity`)}`,
  );
  return Number(row?.id ?? 0);
}

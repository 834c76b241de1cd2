/**
 * What every area of the store generator shares: the writer, the randomness, the clock, the
 * install's EAV catalog (attribute ids looked up by code, never hard-coded: a real shop's ids
 * differ) and the store layout the areas build on each other.
 */

import type { Clock, Rng } from './rng.js';
import type { RowWriter } from './row-writer.js';

export interface AttributeInfo {
  id: number;
  entityTypeId: number;
  code: string;
  backendType: string;
}

/** The install's EAV entity types and attributes, by code. */
export class AttributeCatalog {
  private readonly byKey = new Map<string, AttributeInfo>();
  private readonly entityTypes = new Map<string, { id: number; defaultSetId: number }>();

  static async load(out: RowWriter): Promise<AttributeCatalog> {
    const catalog = new AttributeCatalog();
    await catalog.reload(out);
    return catalog;
  }

  async reload(out: RowWriter): Promise<void> {
    const types = await out.select<{
      entity_type_id: number;
      entity_type_code: string;
      default_attribute_set_id: number;
    }>('SELECT entity_type_id, entity_type_code, default_attribute_set_id FROM {schema}.eav_entity_type');
    for (const t of types) {
      this.entityTypes.set(t.entity_type_code, {
        id: t.entity_type_id,
        defaultSetId: t.default_attribute_set_id,
      });
    }
    const attributes = await out.select<{
      attribute_id: number;
      entity_type_id: number;
      attribute_code: string;
      backend_type: string;
    }>('SELECT attribute_id, entity_type_id, attribute_code, backend_type FROM {schema}.eav_attribute');
    const codeOfType = new Map([...this.entityTypes].map(([code, t]) => [t.id, code]));
    for (const a of attributes) {
      const typeCode = codeOfType.get(a.entity_type_id);
      if (!typeCode) continue;
      this.byKey.set(`${typeCode}/${a.attribute_code}`, {
        id: a.attribute_id,
        entityTypeId: a.entity_type_id,
        code: a.attribute_code,
        backendType: a.backend_type,
      });
    }
  }

  attribute(entityType: string, code: string): AttributeInfo {
    const found = this.byKey.get(`${entityType}/${code}`);
    if (!found) throw new Error(`store generator: the install has no ${entityType} attribute ${code}`);
    return found;
  }

  entityType(code: string): { id: number; defaultSetId: number } {
    const found = this.entityTypes.get(code);
    if (!found) throw new Error(`store generator: the install has no entity type ${code}`);
    return found;
  }
}

/** The value tables of each EAV entity type, and whether their values are per store. */
const VALUE_TABLES: Record<string, { prefix: string; perStore: boolean }> = {
  catalog_product: { prefix: 'catalog_product_entity', perStore: true },
  catalog_category: { prefix: 'catalog_category_entity', perStore: true },
  customer: { prefix: 'customer_entity', perStore: false },
  customer_address: { prefix: 'customer_address_entity', perStore: false },
};

/** One website, its store group and its store views, as the generator made or found them. */
export interface WebsiteLayout {
  websiteId: number;
  code: string;
  groupId: number;
  rootCategoryId: number;
  storeIds: number[];
}

export interface StoreLayout {
  /** Website 1 (the installer's) first, then the generator's second website. */
  websites: WebsiteLayout[];
  /** Every frontend store view. */
  storeIds: number[];
  /** The store view the generator writes overrides on (the second website's). */
  overrideStoreId: number;
}

export interface GeneratorContext {
  out: RowWriter;
  rng: Rng;
  clock: Clock;
  attributes: AttributeCatalog;
  /** Writes one EAV value in the entity type's value table for the attribute's backend type; null writes nothing. */
  eav(entityType: string, entityId: number, code: string, value: unknown, storeId?: number): Promise<void>;
}

export function eavWriter(out: RowWriter, catalog: AttributeCatalog): GeneratorContext['eav'] {
  return async (entityType, entityId, code, value, storeId = 0) => {
    if (value === null || value === undefined) return;
    const tables = VALUE_TABLES[entityType];
    if (!tables) throw new Error(`store generator: no value tables for ${entityType}`);
    const attribute = catalog.attribute(entityType, code);
    if (attribute.backendType === 'static') throw new Error(`${entityType} attribute ${code} is static`);
    const row: Record<string, unknown> = {
      entity_type_id: attribute.entityTypeId,
      attribute_id: attribute.id,
    };
    if (tables.perStore) row.store_id = storeId;
    row.entity_id = entityId;
    row.value = value;
    await out.add(`${tables.prefix}_${attribute.backendType}`, row);
  };
}

/**
 * Reads a Magento 1 EAV entity as the flat row Magento 2 keeps: the entity table's own columns
 * plus, for attributes 2.4 moved into columns (a customer's firstname, an address's street),
 * the attribute's value from the value table of its backend type. Attribute ids are looked up
 * by entity type and code in the source's own eav_attribute, never assumed: a 1.9 store's ids
 * are its installer's plus its own.
 */
import type { Queryable } from './database.js';
import { quoteIdentifier } from './identifiers.js';
import { sqlString } from './sql-literal.js';

/** One source attribute of an entity type, as eav_attribute holds it. */
export interface EavAttribute {
  id: string;
  code: string;
  /** static, varchar, int, text, decimal, datetime. */
  backendType: string;
}

/** The attributes of an entity type (eav_entity_type.entity_type_code), by code. */
export async function entityTypeAttributes(
  db: Queryable,
  prefix: string,
  entityTypeCode: string,
): Promise<Map<string, EavAttribute>> {
  const rows = await db.query<{
    attribute_id: string | number;
    attribute_code: string;
    backend_type: string;
  }>(
    `SELECT a.attribute_id, a.attribute_code, a.backend_type
       FROM ${quoteIdentifier(`${prefix}eav_attribute`)} a
       JOIN ${quoteIdentifier(`${prefix}eav_entity_type`)} t ON t.entity_type_id = a.entity_type_id
      WHERE t.entity_type_code = ?`,
    [entityTypeCode],
  );
  return new Map(
    rows.map((r) => [
      r.attribute_code,
      { id: String(r.attribute_id), code: r.attribute_code, backendType: r.backend_type },
    ]),
  );
}

/** A destination column the flat select fills. */
export type FlatColumn =
  /** The entity table's own column of that name. */
  | { column: string; from: 'entity' }
  /**
   * The value of the attribute `attribute` (default: the column's name). `date`: the value's
   * date part (1.9 keeps dob as DATETIME, 2.4 as DATE). `ifMissing`: the text written when the
   * entity has no value and the destination column is NOT NULL without a default.
   */
  | { column: string; from: 'attribute'; attribute?: string; date?: boolean; ifMissing?: string };

/**
 * The select over the source that returns one flat row per entity, columns named as the
 * destination's. An attribute the source does not have (or keeps static) reads as NULL (or
 * `ifMissing`), so the same select serves 1.9.0 to 1.9.4.
 */
export function flatEntitySelect(options: {
  prefix: string;
  entityTable: string;
  columns: readonly FlatColumn[];
  attributes: ReadonlyMap<string, EavAttribute>;
}): string {
  const entity = 'e';
  const list = options.columns.map((c) => {
    if (c.from === 'entity') return `${entity}.${quoteIdentifier(c.column)} AS ${quoteIdentifier(c.column)}`;
    const attribute = options.attributes.get(c.attribute ?? c.column);
    let value =
      attribute && attribute.backendType !== 'static'
        ? `(SELECT v.value FROM ${quoteIdentifier(`${options.prefix}${options.entityTable}_${attribute.backendType}`)} v WHERE v.entity_id = ${entity}.entity_id AND v.attribute_id = ${Number(attribute.id)})`
        : 'NULL';
    if (c.date) value = `DATE(${value})`;
    if (c.ifMissing !== undefined) value = `COALESCE(${value}, ${sqlString(c.ifMissing)})`;
    return `${value} AS ${quoteIdentifier(c.column)}`;
  });
  return `SELECT ${list.join(', ')} FROM ${quoteIdentifier(`${options.prefix}${options.entityTable}`)} ${entity}`;
}

/**
 * The select over one EAV value table of the source that returns the values 2.4 still keeps as
 * EAV: every row whose attribute is not among `flattened` (the attributes that became columns).
 */
export function remainingValuesSelect(options: {
  prefix: string;
  valueTable: string;
  flattened: readonly EavAttribute[];
}): string {
  const ids = options.flattened.map((a) => Number(a.id));
  const where = ids.length === 0 ? 'TRUE' : `attribute_id NOT IN (${ids.join(', ')})`;
  return `SELECT value_id, attribute_id, entity_id, value FROM ${quoteIdentifier(`${options.prefix}${options.valueTable}`)} WHERE ${where}`;
}

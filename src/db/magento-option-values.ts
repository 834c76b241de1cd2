/**
 * Values of Magento's option-backed attributes (select, multiselect read from
 * eav_attribute_option): a product's value there is an option id (several, comma-separated, for
 * a multiselect), so it must follow the option id map like any other id. Which attributes, the
 * rows of one chunk, and the rewrite of a chunk in one statement.
 */
import type { Queryable } from './database.js';
import { qualifiedName } from './identifiers.js';

/** An attribute reads its options from eav_attribute_option: select/multiselect, table source (or none). */
export function optionBackedCondition(alias: string): string {
  return `${alias}.frontend_input IN ('select', 'multiselect') AND (${alias}.source_model IS NULL OR ${alias}.source_model IN ('', 'eav/entity_attribute_source_table', 'Magento\\\\Eav\\\\Model\\\\Entity\\\\Attribute\\\\Source\\\\Table'))`;
}

/** Attribute ids of `entityTypeCode` whose values are option ids, on one side. */
export async function optionBackedAttributeIds(
  db: Queryable,
  schema: string,
  prefix: string,
  entityTypeCode: string,
): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    `SELECT a.attribute_id AS id FROM ${qualifiedName(schema, `${prefix}eav_attribute`)} a
       JOIN ${qualifiedName(schema, `${prefix}eav_entity_type`)} t ON t.entity_type_id = a.entity_type_id
      WHERE t.entity_type_code = ? AND ${optionBackedCondition('a')}`,
    [entityTypeCode],
  );
  return rows.map((r) => String(r.id));
}

/** Rows (value_id, value) of those attributes after `afterValueId`, in value_id order. */
export async function readOptionValueChunk(
  db: Queryable,
  schema: string,
  table: string,
  attributeIds: readonly string[],
  afterValueId: string | null,
  limit: number,
): Promise<Array<{ valueId: string; value: string | null }>> {
  if (attributeIds.length === 0) return [];
  const rows = await db.query<{ value_id: string; value: string | null }>(
    `SELECT value_id, CAST(value AS CHAR) AS value FROM ${qualifiedName(schema, table)}
      WHERE attribute_id IN (${attributeIds.map(() => '?').join(', ')}) AND value_id > ?
      ORDER BY value_id LIMIT ${Math.trunc(limit)}`,
    [...attributeIds, afterValueId ?? -1],
  );
  return rows.map((r) => ({ valueId: String(r.value_id), value: r.value === null ? null : String(r.value) }));
}

/** Writes new values by value_id, in one statement. */
export async function rewriteValues(
  tx: Queryable,
  schema: string,
  table: string,
  values: ReadonlyArray<{ valueId: string; value: string | null }>,
): Promise<void> {
  if (values.length === 0) return;
  await tx.execute(
    `UPDATE ${qualifiedName(schema, table)} SET value = CASE value_id ${values.map(() => 'WHEN ? THEN ?').join(' ')} END
      WHERE value_id IN (${values.map(() => '?').join(', ')})`,
    [...values.flatMap((v) => [v.valueId, v.value]), ...values.map((v) => v.valueId)],
  );
}

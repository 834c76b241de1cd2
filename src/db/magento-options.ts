/**
 * Attribute options as the profile matches them: a 1.9 option is the same option as a 2.4 one
 * when their attributes are the same and their admin labels (store 0) are equal; neither ids
 * nor sort orders say it (2.4's install has its own color options, and a shop's options often
 * all have sort order 0).
 */
import type { Queryable } from './database.js';
import { qualifiedName } from './identifiers.js';

export interface SourceOption {
  optionId: string;
  attributeId: string;
  sortOrder: string;
  /** The admin (store 0) label; null when the option has none. */
  label: string | null;
}

export async function readSourceOptions(
  db: Queryable,
  schema: string,
  prefix: string,
  afterOptionId: string | null,
  limit: number,
): Promise<SourceOption[]> {
  const rows = await db.query<{
    option_id: string;
    attribute_id: string;
    sort_order: string;
    label: string | null;
  }>(
    `SELECT o.option_id, o.attribute_id, o.sort_order,
            (SELECT v.value FROM ${qualifiedName(schema, `${prefix}eav_attribute_option_value`)} v
              WHERE v.option_id = o.option_id AND v.store_id = 0 ORDER BY v.value_id LIMIT 1) AS label
       FROM ${qualifiedName(schema, `${prefix}eav_attribute_option`)} o
      WHERE o.option_id > ? ORDER BY o.option_id LIMIT ${Math.trunc(limit)}`,
    [afterOptionId ?? -1],
  );
  return rows.map((r) => ({
    optionId: String(r.option_id),
    attributeId: String(r.attribute_id),
    sortOrder: String(r.sort_order),
    label: r.label,
  }));
}

/** 2.4's options of these attributes with their admin labels: (attribute id, label) -> option id. */
export async function destinationOptionsByLabel(
  db: Queryable,
  schema: string,
  prefix: string,
  attributeIds: readonly string[],
): Promise<Map<string, string>> {
  if (attributeIds.length === 0) return new Map();
  const rows = await db.query<{ option_id: string; attribute_id: string; label: string | null }>(
    `SELECT o.option_id, o.attribute_id, v.value AS label
       FROM ${qualifiedName(schema, `${prefix}eav_attribute_option`)} o
       JOIN ${qualifiedName(schema, `${prefix}eav_attribute_option_value`)} v ON v.option_id = o.option_id AND v.store_id = 0
      WHERE o.attribute_id IN (${attributeIds.map(() => '?').join(', ')})`,
    [...attributeIds],
  );
  return new Map(rows.map((r) => [optionKey(String(r.attribute_id), r.label), String(r.option_id)]));
}

/** The matching key of an option: its attribute and its admin label, case folded as the collation compares. */
export function optionKey(attributeId: string, label: string | null): string {
  return JSON.stringify([attributeId, label === null ? null : label.toLowerCase()]);
}

/** Inserts one option; returns its new id. */
export async function insertOption(
  tx: Queryable,
  schema: string,
  prefix: string,
  attributeId: string,
  sortOrder: string,
): Promise<string> {
  const result = await tx.execute(
    `INSERT INTO ${qualifiedName(schema, `${prefix}eav_attribute_option`)} (attribute_id, sort_order) VALUES (?, ?)`,
    [attributeId, sortOrder],
  );
  return String(result.insertId);
}

/** The labels (option_id, store_id, value) of these 1.9 options. */
export async function readSourceOptionValues(
  db: Queryable,
  schema: string,
  prefix: string,
  optionIds: readonly string[],
): Promise<Array<{ optionId: string; storeId: string; value: string | null }>> {
  if (optionIds.length === 0) return [];
  const rows = await db.query<{ option_id: string; store_id: string; value: string | null }>(
    `SELECT option_id, store_id, value FROM ${qualifiedName(schema, `${prefix}eav_attribute_option_value`)}
      WHERE option_id IN (${optionIds.map(() => '?').join(', ')}) ORDER BY value_id`,
    [...optionIds],
  );
  return rows.map((r) => ({ optionId: String(r.option_id), storeId: String(r.store_id), value: r.value }));
}

export async function insertOptionValues(
  tx: Queryable,
  schema: string,
  prefix: string,
  values: ReadonlyArray<{ optionId: string; storeId: string; value: string | null }>,
): Promise<void> {
  if (values.length === 0) return;
  await tx.execute(
    `INSERT INTO ${qualifiedName(schema, `${prefix}eav_attribute_option_value`)} (option_id, store_id, value) VALUES ${values.map(() => '(?, ?, ?)').join(', ')}`,
    values.flatMap((v) => [v.optionId, v.storeId, v.value]),
  );
}

/** Source options count, for the verification. */
export async function countOptions(db: Queryable, schema: string, prefix: string): Promise<number> {
  const [row] = await db.query<{ n: string }>(
    `SELECT COUNT(*) AS n FROM ${qualifiedName(schema, `${prefix}eav_attribute_option`)}`,
  );
  return Number(row?.n ?? 0);
}

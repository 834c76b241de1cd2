/**
 * What the Magento profile tells the operator at the end of `migrate data`: facts read from the
 * 1.9 source only (invariant 1: reads), so the list names real files and tables, not a template.
 */
import type { Database } from './database.js';
import { qualifiedName } from './identifiers.js';
import { readSchema } from './schema.js';

/** Product images 1.9's media gallery references (each a file under media/catalog/product). */
export async function mediaGalleryImages(db: Database, prefix: string): Promise<number> {
  const table = `${prefix}catalog_product_entity_media_gallery`;
  const [row] = await db.query<{ n: string }>(
    `SELECT COUNT(DISTINCT value) AS n FROM ${qualifiedName(db.schema, table)}`,
  );
  return Number(row?.n ?? 0);
}

/**
 * Configurable option prices (1.9's catalog_product_super_attribute_pricing): 2.4 has no table
 * for them (a configurable costs what the chosen child costs). 0 when the table is absent.
 */
export async function configurableOptionPrices(db: Database, prefix: string): Promise<number> {
  const table = `${prefix}catalog_product_super_attribute_pricing`;
  if (!(await readSchema(db, db.schema)).has(table)) return 0;
  const [row] = await db.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${qualifiedName(db.schema, table)}`);
  return Number(row?.n ?? 0);
}

/**
 * The source's tables among `names` that hold a row (one `LIMIT 1` probe each: exact, and cheap
 * on a big log table), with the server's row estimate (0 when its statistics lag), largest first.
 */
export async function tablesWithRows(
  db: Database,
  names: readonly string[],
): Promise<Array<{ table: string; rows: number }>> {
  const schema = await readSchema(db, db.schema);
  const found: Array<{ table: string; rows: number }> = [];
  for (const name of names) {
    const table = schema.get(name);
    if (!table) continue;
    const any = await db.query(`SELECT 1 FROM ${qualifiedName(db.schema, name)} LIMIT 1`);
    if (any.length > 0) found.push({ table: name, rows: table.estimatedRows });
  }
  return found.sort((a, b) => b.rows - a.rows || a.table.localeCompare(b.table));
}

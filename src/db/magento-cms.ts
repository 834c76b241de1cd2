/**
 * The SQL of the Magento profile's CMS step: 1.9's pages and blocks read in 2.4's columns,
 * their store links, and the installer's seeded 2.4 rows the shop's content replaces or moves
 * aside (src/profiles/magento-1.9-to-2.4/content/cms-step.ts says why).
 */
import type { Value } from '../handlers/contract.js';
import type { Queryable } from './database.js';
import { quoteIdentifier } from './identifiers.js';

/** A CMS entity table and its store link table: the same names and columns in 1.9 and 2.4. */
export interface CmsKind {
  /** cms_page or cms_block. */
  readonly table: string;
  /** cms_page_store or cms_block_store. */
  readonly links: string;
  /** page_id or block_id. */
  readonly id: string;
  /** How a report names one: page or block. */
  readonly label: string;
}

export const CMS_PAGE: CmsKind = { table: 'cms_page', links: 'cms_page_store', id: 'page_id', label: 'page' };
export const CMS_BLOCK: CmsKind = {
  table: 'cms_block',
  links: 'cms_block_store',
  id: 'block_id',
  label: 'block',
};

/** One entity's identity: its id, identifier and the store ids it is linked to. */
export interface CmsIdentity {
  id: string;
  identifier: string;
  stores: string[];
}

const q = quoteIdentifier;

/**
 * 1.9's rows of `kind` in 2.4's columns. A page's 1.9 root_template is 2.4's page_layout (a
 * handler maps the values); layout update XML is left out (1.9's layout handles and block
 * names mean nothing to 2.4; the step lists the pages that had some), and so is custom_theme
 * (1.9 names a package/theme, 2.4 a theme id). A page without a creation time takes its update
 * time: 2.4's columns are NOT NULL.
 */
export function cmsEntitySelect(prefix: string, kind: CmsKind): string {
  const table = q(`${prefix}${kind.table}`);
  if (kind.label === CMS_BLOCK.label) {
    return `SELECT block_id, title, identifier, content, COALESCE(creation_time, update_time) AS creation_time,
      COALESCE(update_time, creation_time) AS update_time, is_active FROM ${table}`;
  }
  return `SELECT page_id, title, root_template AS page_layout, meta_keywords, meta_description, identifier,
    content_heading, content, COALESCE(creation_time, update_time) AS creation_time,
    COALESCE(update_time, creation_time) AS update_time, is_active, sort_order,
    NULL AS layout_update_xml, NULL AS custom_theme, custom_root_template, NULL AS custom_layout_update_xml,
    custom_theme_from, custom_theme_to FROM ${table}`;
}

/** The store links of the given entity ids (source), as [id, store_id] in id order. */
export function readCmsLinks(
  db: Queryable,
  prefix: string,
  kind: CmsKind,
  ids: readonly Value[],
): Promise<Value[][]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.queryArrays(
    `SELECT ${q(kind.id)}, store_id FROM ${q(`${prefix}${kind.links}`)} WHERE ${q(kind.id)} IN (${ids
      .map(() => '?')
      .join(', ')}) ORDER BY ${q(kind.id)}, store_id`,
    ids,
  );
}

/** Every entity of `kind` with its identifier and store ids (no content: small even for big shops). */
export async function readCmsIdentities(
  db: Queryable,
  prefix: string,
  kind: CmsKind,
): Promise<CmsIdentity[]> {
  const rows = await db.query<{ id: string; identifier: string | null; stores: string | null }>(
    `SELECT e.${q(kind.id)} AS id, e.identifier, GROUP_CONCAT(l.store_id ORDER BY l.store_id) AS stores
       FROM ${q(`${prefix}${kind.table}`)} e LEFT JOIN ${q(`${prefix}${kind.links}`)} l ON l.${q(kind.id)} = e.${q(kind.id)}
      GROUP BY e.${q(kind.id)}, e.identifier ORDER BY e.${q(kind.id)}`,
  );
  return rows.map((r) => ({
    id: String(r.id),
    identifier: r.identifier ?? '',
    stores: r.stores ? String(r.stores).split(',') : [],
  }));
}

/** Deletes destination entities and their store links (in the caller's transaction). */
export async function deleteCmsEntities(tx: Queryable, kind: CmsKind, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const list = ids.map(() => '?').join(', ');
  await tx.execute(`DELETE FROM ${q(kind.links)} WHERE ${q(kind.id)} IN (${list})`, ids);
  await tx.execute(`DELETE FROM ${q(kind.table)} WHERE ${q(kind.id)} IN (${list})`, ids);
}

/**
 * Gives a destination entity a new id, its store links with it: a copy under the new id, the
 * links moved, the old row deleted (valid whether foreign key checks are on or off).
 */
export async function moveCmsEntity(tx: Queryable, kind: CmsKind, from: string, to: string): Promise<void> {
  const columns = await tx.query<{ name: string }>(
    `SELECT column_name AS name FROM information_schema.columns
      WHERE table_schema = DATABASE() AND table_name = ? ORDER BY ordinal_position`,
    [kind.table],
  );
  const names = columns.map((c) => c.name);
  const copied = names.map((n) => (n === kind.id ? '?' : q(n))).join(', ');
  await tx.execute(
    `INSERT INTO ${q(kind.table)} (${names.map(q).join(', ')}) SELECT ${copied} FROM ${q(kind.table)} WHERE ${q(kind.id)} = ?`,
    [to, from],
  );
  await tx.execute(`UPDATE ${q(kind.links)} SET ${q(kind.id)} = ? WHERE ${q(kind.id)} = ?`, [to, from]);
  await tx.execute(`DELETE FROM ${q(kind.table)} WHERE ${q(kind.id)} = ?`, [from]);
}

/** The highest id of `kind` (0 when empty). */
export async function maxCmsId(db: Queryable, prefix: string, kind: CmsKind): Promise<number> {
  const [row] = await db.query<{ n: string | null }>(
    `SELECT MAX(${q(kind.id)}) AS n FROM ${q(`${prefix}${kind.table}`)}`,
  );
  return Number(row?.n ?? 0);
}

/** 1.9 entities with layout update XML or a custom theme: what 2.4 cannot take as it is. */
export async function cmsLayoutCustomizations(db: Queryable, prefix: string): Promise<string[]> {
  const rows = await db.query<{ identifier: string }>(
    `SELECT identifier FROM ${q(`${prefix}cms_page`)}
      WHERE COALESCE(layout_update_xml, '') <> '' OR COALESCE(custom_layout_update_xml, '') <> ''
         OR COALESCE(custom_theme, '') <> '' ORDER BY page_id`,
  );
  return rows.map((r) => r.identifier);
}

/**
 * Identifiers of 1.9 entities whose content uses Magento 1 block or widget types
 * (`{{block type="..."}}`, `{{widget type="..."}}`): 2.4 names blocks by PHP class.
 */
export async function cmsMagento1Directives(db: Queryable, prefix: string, kind: CmsKind): Promise<string[]> {
  const rows = await db.query<{ identifier: string }>(
    `SELECT identifier FROM ${q(`${prefix}${kind.table}`)}
      WHERE content REGEXP '\\\\{\\\\{(block|widget)[^}]*type=' ORDER BY ${q(kind.id)}`,
  );
  return rows.map((r) => r.identifier);
}

/** Groups of (identifier, store) that more than one destination entity has: 2.4 serves one of them. */
export async function duplicateCmsIdentities(db: Queryable, kind: CmsKind): Promise<string[]> {
  const rows = await db.query<{ identifier: string; store_id: string }>(
    `SELECT e.identifier, l.store_id FROM ${q(kind.table)} e JOIN ${q(kind.links)} l ON l.${q(kind.id)} = e.${q(kind.id)}
      GROUP BY e.identifier, l.store_id HAVING COUNT(*) > 1 ORDER BY e.identifier, l.store_id`,
  );
  return rows.map((r) => `${r.identifier} on store ${r.store_id}`);
}

/** 1.9 store ids and codes (core_store), to name a store view in a report. */
export async function readCmsStoreCodes(
  db: Queryable,
  prefix: string,
): Promise<{ id: string; code: string }[]> {
  const rows = await db.query<{ id: string; code: string }>(
    `SELECT store_id AS id, code FROM ${q(`${prefix}core_store`)} ORDER BY store_id`,
  );
  return rows.map((r) => ({ id: String(r.id), code: r.code }));
}

/**
 * The category tree: the second website's root category, then top categories, children and
 * grandchildren under each root, with the values 1.9's admin saves on the admin store (0) and
 * translated names and URL keys on the second website's store view.
 */
import type { GeneratorContext, StoreLayout } from './context.js';

export interface GeneratedCategory {
  id: number;
  path: string;
  urlPath: string;
  level: number;
  /** The website whose root this category is under. */
  websiteIndex: number;
}

const TOP_NAMES = ['Women', 'Men', 'Home & Décor', 'Accessories', 'Electronics', 'Sale'];
const CHILD_NAMES = ['New Arrivals', 'Tops', 'Bottoms', 'Shoes', 'Bags'];
const GRANDCHILD_NAMES = ['Basics', 'Premium'];

export async function generateCategories(
  ctx: GeneratorContext,
  layout: StoreLayout,
): Promise<GeneratedCategory[]> {
  const { out, attributes, clock } = ctx;
  const category = attributes.entityType('catalog_category');
  const created = clock.at(0);
  const all: GeneratedCategory[] = [];
  const childrenOf = new Map<number, number>();

  const write = async (
    id: number,
    parent: { id: number; path: string; level: number },
    position: number,
    name: string,
    urlKey: string,
    urlPath: string,
    translate: boolean,
  ) => {
    await out.add('catalog_category_entity', {
      entity_id: id,
      entity_type_id: category.id,
      attribute_set_id: category.defaultSetId,
      parent_id: parent.id,
      created_at: created,
      updated_at: created,
      path: `${parent.path}/${id}`,
      position,
      level: parent.level + 1,
      children_count: 0,
    });
    childrenOf.set(parent.id, (childrenOf.get(parent.id) ?? 0) + 1);
    await ctx.eav('catalog_category', id, 'name', name);
    await ctx.eav('catalog_category', id, 'is_active', 1);
    await ctx.eav('catalog_category', id, 'include_in_menu', 1);
    await ctx.eav('catalog_category', id, 'is_anchor', parent.level === 0 ? 0 : 1);
    await ctx.eav('catalog_category', id, 'display_mode', 'PRODUCTS');
    if (parent.level > 0) {
      await ctx.eav('catalog_category', id, 'url_key', urlKey);
      await ctx.eav('catalog_category', id, 'url_path', `${urlPath}.html`);
      await ctx.eav('catalog_category', id, 'description', `<p>${name}: our selection.</p>`);
      await ctx.eav('catalog_category', id, 'meta_title', `${name} | Shop`);
    }
    if (translate) {
      await ctx.eav('catalog_category', id, 'name', `${name} (DE)`, layout.overrideStoreId);
      if (parent.level > 0)
        await ctx.eav('catalog_category', id, 'url_key', `${urlKey}-de`, layout.overrideStoreId);
    }
  };

  // The second website's root, under the tree root 1 like the installer's "Default Category".
  const secondRoot = layout.websites[1];
  if (!secondRoot) throw new Error('store generator: the layout lacks the second website');
  await write(
    secondRoot.rootCategoryId,
    { id: 1, path: '1', level: 0 },
    2,
    'Europe Root',
    'europe-root',
    '',
    true,
  );

  for (const [websiteIndex, website] of layout.websites.entries()) {
    const root = { id: website.rootCategoryId, path: `1/${website.rootCategoryId}`, level: 1 };
    const translate = websiteIndex === 1;
    const tops = websiteIndex === 0 ? TOP_NAMES : TOP_NAMES.slice(0, 3);
    for (const [t, topName] of tops.entries()) {
      const topId = await out.nextId('catalog_category_entity', 'entity_id');
      const topKey = slug(topName) + (websiteIndex ? '-eu' : '');
      await write(topId, root, t + 1, topName, topKey, topKey, translate);
      all.push({ id: topId, path: `${root.path}/${topId}`, urlPath: topKey, level: 2, websiteIndex });
      const children = websiteIndex === 0 ? CHILD_NAMES.slice(0, 3) : CHILD_NAMES.slice(0, 2);
      for (const [c, childName] of children.entries()) {
        const childId = await out.nextId('catalog_category_entity', 'entity_id');
        const childKey = slug(childName);
        const childPath = `${topKey}/${childKey}`;
        const top = { id: topId, path: `${root.path}/${topId}`, level: 2 };
        await write(childId, top, c + 1, childName, childKey, childPath, translate);
        all.push({ id: childId, path: `${top.path}/${childId}`, urlPath: childPath, level: 3, websiteIndex });
        if (websiteIndex !== 0) continue;
        for (const [g, grandName] of GRANDCHILD_NAMES.entries()) {
          const grandId = await out.nextId('catalog_category_entity', 'entity_id');
          const grandKey = slug(grandName);
          const child = { id: childId, path: `${top.path}/${childId}`, level: 3 };
          await write(grandId, child, g + 1, grandName, grandKey, `${childPath}/${grandKey}`, translate);
          all.push({
            id: grandId,
            path: `${child.path}/${grandId}`,
            urlPath: `${childPath}/${grandKey}`,
            level: 4,
            websiteIndex,
          });
        }
      }
    }
  }
  // children_count counts every descendant, as 1.9's tree resource keeps it.
  await out.execute(
    `UPDATE {schema}.catalog_category_entity c
     SET c.children_count = (SELECT COUNT(*) FROM {schema}.catalog_category_entity d WHERE d.path LIKE CONCAT(c.path, '/%'))`,
  );
  return all;
}

export function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, 'and')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

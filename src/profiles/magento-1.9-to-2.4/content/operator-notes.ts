/**
 * What of the shop's CMS content needs a person after the migration, for the operator area's
 * list: pages with 1.9 layout update XML or a custom theme (neither is copied: 1.9's layout
 * handles, block names and package/theme names mean nothing to 2.4), and pages and blocks
 * whose content calls Magento 1 block or widget types (`{{block type="catalog/product_new"}}`:
 * 2.4 names a block by its PHP class, so the directive renders nothing until rewritten).
 */
import type { Database } from '../../../db/database.js';
import {
  CMS_BLOCK,
  CMS_PAGE,
  cmsLayoutCustomizations,
  cmsMagento1Directives,
} from '../../../db/magento-cms.js';

/** How many identifiers one line names before "... and N more". */
const LISTED = 10;

const named = (identifiers: readonly string[]) =>
  identifiers.slice(0, LISTED).join(', ') +
  (identifiers.length > LISTED ? ` ... and ${identifiers.length - LISTED} more` : '');

export async function cmsOperatorTasks(source: Database, prefix: string): Promise<string[]> {
  const lines: string[] = [];
  const layouts = await cmsLayoutCustomizations(source, prefix);
  if (layouts.length > 0) {
    lines.push(
      `  - redo in 2.4 the layout updates or custom themes of ${layouts.length} CMS pages (1.9's layout XML and themes were not copied): ${named(layouts)}`,
    );
  }
  const pages = await cmsMagento1Directives(source, prefix, CMS_PAGE);
  const blocks = await cmsMagento1Directives(source, prefix, CMS_BLOCK);
  if (pages.length + blocks.length > 0) {
    const parts = [
      pages.length > 0 ? `pages ${named(pages)}` : '',
      blocks.length > 0 ? `blocks ${named(blocks)}` : '',
    ].filter(Boolean);
    lines.push(
      `  - rewrite the Magento 1 {{block type=...}} / {{widget type=...}} directives (2.4 names blocks by class) in CMS ${parts.join('; ')}`,
    );
  }
  return lines;
}

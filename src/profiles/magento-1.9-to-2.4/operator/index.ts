/**
 * What the database migration cannot do, said by the tool at the end of `migrate data` (issue
 * 15, item 4) rather than left to a README the operator may not reread: the media files to copy
 * (counted from 1.9's gallery), the indexers to run, and every 1.9 table that holds rows the
 * profile does not migrate yet (map/unmigrated.json), by name. Runs last; writes nothing.
 */
import { readFileSync } from 'node:fs';
import {
  configurableOptionPrices,
  mediaGalleryImages,
  tablesWithRows,
} from '../../../db/magento-operator-facts.js';
import type { Step, StepContext, StepDocumentResult } from '../../../engine/step.js';
import type { MapFile } from '../../../mappings/map-rules.js';
import { mapFile, type ProfileArea } from '../area.js';
import { cmsOperatorTasks } from '../content/operator-notes.js';

/** How many table names one line lists before "... and N more". */
const LISTED = 25;

/**
 * 1.9 tables whose rows its installer wrote and 2.4's installer writes its own of (countries,
 * regions, forms, permission lists, rating definitions, module versions), and core_config_data,
 * which `migrate settings` moves: nothing of the shop's waits in them, so they are not listed.
 */
const INSTALLER_OWNED = [
  /^directory_/,
  /^core_resource$/,
  /^core_config_data$/,
  /^eav_form_/,
  /^customer_form_attribute$/,
  /^permission_/,
  /^rating(_entity|_option)?$/,
];

/** The 1.9 tables no area covers yet (unmigrated.json's source ignores) that can hold the shop's rows. */
function unmigratedSourceTables(): string[] {
  const file = JSON.parse(readFileSync(mapFile('unmigrated.json'), 'utf8')) as MapFile;
  return (file.source?.documents?.ignore ?? []).filter((t) => !INSTALLER_OWNED.some((p) => p.test(t)));
}

export class OperatorTasksStep implements Step {
  readonly name = 'left to the operator';
  readonly documents: readonly string[] = [];

  async run(ctx: StepContext): Promise<StepDocumentResult[]> {
    for (const line of await this.tasks(ctx)) ctx.log.result(line);
    return [];
  }

  /** The lines, one task each (exported through the class for tests). */
  async tasks(ctx: Pick<StepContext, 'source' | 'config'>): Promise<string[]> {
    const prefix = ctx.config.options.sourcePrefix;
    const images = await mediaGalleryImages(ctx.source, prefix);
    const left = await tablesWithRows(
      ctx.source,
      unmigratedSourceTables().map((t) => `${prefix}${t}`),
    );
    const lines = ['left to you (the database migration cannot do these):'];
    lines.push(
      images > 0
        ? `  - copy 1.9's media/ folder into 2.4's pub/media/ (${images} product images referenced under media/catalog/product, plus media/catalog/category and media/wysiwyg)`
        : "  - copy 1.9's media/ folder into 2.4's pub/media/ (category images, media/wysiwyg)",
    );
    const optionPrices = await configurableOptionPrices(ctx.source, prefix);
    if (optionPrices > 0) {
      lines.push(
        `  - ${optionPrices} configurable option prices (catalog_product_super_attribute_pricing) are not migrated: 2.4 has no such price, a configurable costs what its chosen child costs; set the children's prices (the Magento Data Migration Tool writes parent price + option price into each child's price)`,
      );
    }
    lines.push(
      '  - run the 2.4 indexers and flush its cache: bin/magento indexer:reindex && bin/magento cache:flush',
    );
    lines.push(...(await cmsOperatorTasks(ctx.source, prefix)));
    if (left.length > 0) {
      const named = left.slice(0, LISTED).map((t) => (t.rows > 0 ? `${t.table} (~${t.rows} rows)` : t.table));
      const more = left.length > LISTED ? ` ... and ${left.length - LISTED} more` : '';
      lines.push(
        `  - ${left.length} 1.9 tables hold rows this profile does not migrate yet (extensions' and not yet covered areas; decide for each): ${named.join(', ')}${more}`,
      );
    }
    return lines;
  }
}

export const operatorArea: ProfileArea = { mapFiles: [], steps: [new OperatorTasksStep()] };

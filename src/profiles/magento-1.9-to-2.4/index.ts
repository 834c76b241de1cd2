/**
 * The built-in profile `magento-1.9-to-2.4`: a Magento 1.9 store into a fresh Magento 2.4
 * install (issue 15). Each area brings its map files and steps; they are composed here one
 * line each, in the order they must run (stores before EAV before catalog: each fills id maps
 * the next one looks up). map/unmigrated.json names what no area migrates yet.
 */

import { join } from 'node:path';
import type { Profile } from '../../engine/profile.js';
import { mapFile, PROFILE_FOLDER, type ProfileArea } from './area.js';
import { catalogArea } from './catalog/index.js';
import { contentArea } from './content/index.js';
import { customerArea } from './customer/index.js';
import { eavArea } from './eav/index.js';
import { engagementArea } from './engagement/index.js';
import { formsArea } from './forms/index.js';
import { operatorArea } from './operator/index.js';
import { rulesArea } from './rules/index.js';
import { salesArea } from './sales/index.js';
import { magentoSettingsCipher } from './settings-cipher.js';
import { storesArea } from './stores/index.js';
import { urlRewritesArea } from './url-rewrites/index.js';
import { versionArea } from './version/index.js';

const areas: readonly ProfileArea[] = [
  versionArea, // first: its integrity check refuses unsupported versions
  storesArea, // id maps store_website, store_group, store
  eavArea, // id maps eav_entity_type, eav_attribute_set, eav_attribute_group, eav_attribute, eav_attribute_option
  catalogArea, // id maps catalog_category_entity and its value tables
  urlRewritesArea, // after the catalog: rewrites name products and categories
  customerArea, // id maps tax_class, customer_group; customers keep their ids
  rulesArea, // id maps tax_calculation_rate, tax_calculation_rule; sales and catalog rules keep their ids
  formsArea, // the customer forms of the shop's own attributes
  salesArea, // orders keep their ids; statuses, grid and sequences after the map's copy
  engagementArea, // newsletter, reviews, wishlists: ids kept, stores mapped
  contentArea, // CMS, carts, wishlist items, ratings and votes, visitors
  operatorArea, // last: says what is left to the operator (media, indexers, tables not migrated)
];

const profile: Profile = {
  name: 'magento-1.9-to-2.4',
  description: 'a Magento 1.9 store into a Magento 2.4 install, src/profiles/magento-1.9-to-2.4',
  mapFiles: [...areas.flatMap((a) => a.mapFiles), mapFile('unmigrated.json')],
  // What a live 1.9 shop changes that delta can apply through the map's rules (see README).
  deltalogFile: join(PROFILE_FOLDER, 'deltalog.json'),
  /** core_config_data: ignores, serialized values to JSON, what 2.4 keeps, encrypted paths, scope ids by store code. */
  settingsMapFile: join(PROFILE_FOLDER, 'settings.json'),
  /** Encrypted settings: 1.9's key decrypts, 2.4's encrypts (config.xml's crypt key options). */
  settingsCipher: magentoSettingsCipher,
  steps: areas.flatMap((a) => a.steps),
  handlers: areas.flatMap((a) => a.handlers ?? []),
};

export default profile;

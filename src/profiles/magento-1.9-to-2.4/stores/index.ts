/**
 * Stores: 1.9's websites, store groups and store views merged into 2.4's (whose admin and
 * default rows exist) by code (groups by website and name), filling the id maps
 * `store_website`, `store_group` and `store` every later area looks store ids up in.
 */
import { mapFile, type ProfileArea } from '../area.js';
import { StoreDefaultsStep } from './store-defaults-step.js';
import { storeGroupCode } from './store-group-code.js';

export const storesArea: ProfileArea = {
  mapFiles: [mapFile('stores.json')],
  steps: [new StoreDefaultsStep()],
  handlers: [storeGroupCode],
};

/**
 * What customers leave behind besides orders: newsletter subscriptions, product reviews (with
 * their text, store views and summaries) and wishlists. Same tables in 1.9 and 2.4, ids kept
 * (subscribers, reviewers and wishlists point at customers by their kept ids); store ids go
 * through the `store` map. 2.4's seeded review statuses and entities have 1.9's ids.
 */
import { mapFile, type ProfileArea } from '../area.js';

export const engagementArea: ProfileArea = {
  mapFiles: [mapFile('engagement.json')],
  steps: [],
};

/**
 * Names of what delta tracking installs on the source: a change-log table `<prefix><table>`
 * and its triggers `<prefix><table>_ai|_au|_ad`. Every name carries the one configurable
 * prefix (invariant 1), so cleanup can find them all. MySQL names stop at 64 characters: a
 * longer base is cut and given a stable hash suffix, so the same table always gets the same name.
 */
import { createHash } from 'node:crypto';

const MAX_IDENTIFIER = 64;
const TRIGGER_SUFFIX = 3; // _ai, _au, _ad
const MAX_BASE = MAX_IDENTIFIER - TRIGGER_SUFFIX;

export interface TrackingNames {
  changeLog: string;
  insertTrigger: string;
  updateTrigger: string;
  deleteTrigger: string;
}

export function trackingNames(prefix: string, sourceTable: string): TrackingNames {
  let base = `${prefix}${sourceTable}`;
  if (base.length > MAX_BASE) {
    const hash = createHash('sha1').update(base).digest('hex').slice(0, 8);
    base = `${base.slice(0, MAX_BASE - 9)}_${hash}`;
  }
  return {
    changeLog: base,
    insertTrigger: `${base}_ai`,
    updateTrigger: `${base}_au`,
    deleteTrigger: `${base}_ad`,
  };
}

/**
 * The names of the change log and triggers tracking a source table for the profile's steps
 * (src/steps/delta/step-sources.ts): apart from the map's own tracking of the same table,
 * because a step logs other columns (an address's parent id, not only its id). The double
 * underscore keeps them apart from the map's tracking of a table whose name starts `step_`.
 */
export function stepTrackingNames(prefix: string, sourceTable: string): TrackingNames {
  return trackingNames(`${prefix}${STEP_MARK}`, sourceTable);
}

const STEP_MARK = 'step__';

/** The marker in a change-log table's comment: cleanup removes only tables that carry it. */
export const CHANGE_LOG_COMMENT = 'store-migrate change log';

/**
 * Written into the body of every trigger the tool creates. A trigger is the tool's only when its
 * name, its table and this signature all match: a store's own trigger that merely looks like ours
 * (same name pattern, a body writing to a similarly named table) is never taken for it, neither
 * when installing nor by cleanup. The server keeps comments in ACTION_STATEMENT.
 */
export const TRACKING_SIGNATURE = '/* store-migrate tracking v1 */';

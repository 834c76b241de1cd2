/**
 * What makes a trigger the tool's own: its name is one of the tracking names of its table, it
 * fires AFTER the event its suffix stands for, and its body carries the tool's signature and
 * writes into that table's change log. Name alone is never enough: a store's audit trigger
 * named like ours must neither stand in for ours nor be dropped by cleanup.
 */
import { quoteIdentifier } from '../../db/identifiers.js';
import type { TriggerInfo } from '../../db/table-triggers.js';
import { TRACKING_SIGNATURE, type TrackingNames } from './change-log-names.js';

export type TrackedEvent = 'INSERT' | 'UPDATE' | 'DELETE';

/** The trigger name the tool gives each event of a tracked table. */
export function triggerNameFor(names: TrackingNames, event: TrackedEvent): string {
  switch (event) {
    case 'INSERT':
      return names.insertTrigger;
    case 'UPDATE':
      return names.updateTrigger;
    case 'DELETE':
      return names.deleteTrigger;
  }
}

export const TRACKED_EVENTS: readonly TrackedEvent[] = ['INSERT', 'UPDATE', 'DELETE'];

/** True when `trigger` is the tracking trigger the tool installs on `table` for its event. */
export function isOurTrigger(trigger: TriggerInfo, table: string, names: TrackingNames): boolean {
  return (
    trigger.table === table &&
    trigger.timing === 'AFTER' &&
    trigger.name === triggerNameFor(names, trigger.event) &&
    trigger.statement.includes(TRACKING_SIGNATURE) &&
    trigger.statement.includes(quoteIdentifier(names.changeLog))
  );
}

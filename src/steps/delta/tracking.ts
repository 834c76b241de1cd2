/**
 * Installs change tracking on a source table: a change-log table and AFTER INSERT / UPDATE /
 * DELETE triggers that write only the key and the operation. The source's own triggers stay
 * (invariant 8: several triggers per event). Installing again is idempotent: what exists is
 * kept, so no pending change is ever lost by a second setup.
 *
 * Every CREATE runs through runSourceDdl (short lock_wait_timeout, retried), so the shop never
 * queues long behind it (invariant 9). Each trigger body
 *   - carries the tool's signature, by which it is recognised (tracking-identity.ts);
 *   - ignores a missing change log (a handler for ER_NO_SUCH_TABLE): the shop's statement must
 *     never fail because of the tool; delta reports the gap instead (CHANGE_LOG_MISSING);
 *   - is placed FIRST among the table's triggers of the same timing and event (PRECEDES).
 *     Added after an existing one, MariaDB makes every statement the shop had already prepared
 *     on that table fail with ERROR 1146 "Table '<schema>.<change log>' doesn't exist" until it
 *     is prepared again (57,502 of 60,000 prepared UPDATEs failed in one run; with the handler
 *     they no longer fail, but their changes are silently not logged: 3,387 of 3,387 in a
 *     measured run). Placed first, prepared statements keep working and every change is logged.
 *   A stored-procedure call already running on a table with triggers of its own at the instant
 *   ours appear is the one case PRECEDES does not cover: it does not fire ours until it ends, so
 *   its writes meanwhile are not logged (without the handler the call would fail instead:
 *   1 of 400 calls in the run). The install therefore waits for statements older than
 *   itself to end before the document's first read, so the copy sees those writes, and reports
 *   such tables (see README, "Change tracking on the source").
 */
import type { Database } from '../../db/database.js';
import { describeBlocker } from '../../db/lock-blockers.js';
import { statementsOlderThan } from '../../db/running-statements.js';
import { runSourceDdl, type SourceDdlPolicy } from '../../db/source-ddl.js';
import { tableExists } from '../../db/table-exists.js';
import { readTriggers, type TriggerInfo } from '../../db/table-triggers.js';
import {
  columnTypes,
  createChangeLogTable,
  createLoggingTrigger,
  dropTriggerIfExists,
  tableNames,
} from '../../db/tracking-ddl.js';
import { ExitCode, MigrateError } from '../../errors.js';
import { CHANGE_LOG_COMMENT, TRACKING_SIGNATURE } from './change-log-names.js';
import type { TrackingTarget } from './tracked-documents.js';
import { isOurTrigger, TRACKED_EVENTS, triggerNameFor } from './tracking-identity.js';

/** Change-log column holding key column `i`: fixed names, so no key name can clash with id/op. */
export const keyColumn = (i: number) => `key_${i}`;

export interface TrackingInstall {
  /** What this call created (change-log table and trigger names); empty when all was there. */
  created: string[];
  /** The store's own triggers on the table: a procedure running on it at install may see a gap. */
  ownTriggers: TriggerInfo[];
  /** The account our triggers run as (DEFINER): dropping it makes every shop write on the table fail. */
  definer: string | null;
}

export async function installTracking(
  tracker: Database,
  tracked: TrackingTarget,
  policy: SourceDdlPolicy,
  /** Told what the install waits for beyond its locks (statements in flight). */
  notify?: (text: string) => void,
): Promise<TrackingInstall> {
  const { plan, key, names } = tracked;
  const schema = tracker.schema;
  const table = plan.sourceTable;
  const created: string[] = [];
  const columns = await columnTypes(tracker, schema, table);
  const keyDefinitions = key.map((name, i) => {
    const info = columns.find((c) => c.column_name === name);
    if (!info) throw new Error(`${table} has no column ${name}`);
    const charset = info.character_set_name
      ? ` CHARACTER SET ${info.character_set_name} COLLATE ${info.collation_name}`
      : '';
    return { name: keyColumn(i), type: `${info.column_type}${charset}` };
  });

  // Refuse before changing anything when a trigger of the store's already has one of our names.
  refuseForeign(tracked, await readTriggers(tracker, schema));

  if (!(await tableExists(tracker, schema, names.changeLog))) {
    await runSourceDdl(
      tracker,
      { table: names.changeLog, purpose: `creating the change log of ${table}` },
      policy,
      (session) => createChangeLogTable(session, schema, names.changeLog, keyDefinitions, CHANGE_LOG_COMMENT),
    );
    created.push(names.changeLog);
  }

  const logColumns = key.map((_, i) => keyColumn(i));
  const createdTriggers: string[] = [];
  let lastCreatedAt = Date.now();
  try {
    for (const event of TRACKED_EVENTS) {
      const name = triggerNameFor(names, event);
      await runSourceDdl(
        tracker,
        { table, purpose: `installing change tracking on ${table}` },
        policy,
        async (session) => {
          // Read inside the try, so a retry sees what an earlier try or another run left.
          const triggers = await readTriggers(session, schema, table);
          if (triggers.some((t) => t.name === name && isOurTrigger(t, table, names))) return;
          const first = triggers.find((t) => t.timing === 'AFTER' && t.event === event);
          await createLoggingTrigger(session, {
            schema,
            name,
            event,
            table,
            key,
            changeLog: names.changeLog,
            logColumns,
            ...(first && { precedes: first.name }),
            signature: TRACKING_SIGNATURE,
          });
          createdTriggers.push(name);
          lastCreatedAt = Date.now();
        },
      );
    }
  } catch (error) {
    throw await withoutHalfInstall(tracker, tracked, createdTriggers, policy, error);
  }
  created.push(...createdTriggers);

  const after = await readTriggers(tracker, schema, table);
  // The tool's other tracking of the same table (the map's beside a step's) is not the store's.
  const ownTriggers = after.filter(
    (t) => !isOurTrigger(t, table, names) && !t.statement.includes(TRACKING_SIGNATURE),
  );
  if (createdTriggers.length > 0 && ownTriggers.length > 0) {
    await waitForCallsInFlight(tracker, table, lastCreatedAt, policy, notify);
  }
  return {
    created,
    ownTriggers,
    definer: after.find((t) => isOurTrigger(t, table, names))?.definer ?? null,
  };
}

const IN_FLIGHT_POLL_MS = 250;

/**
 * A stored-procedure call already running when our triggers appeared on a table with triggers of
 * its own does not fire ours until the call ends, so its writes meanwhile are not logged. They
 * are committed when the call ends (unless the shop wraps the call in a transaction of its own):
 * waiting for every statement older than the install before the document's first read lets the
 * copy see them. Bounded by lock_retry_time; after that the copy starts anyway, with a warning.
 */
async function waitForCallsInFlight(
  tracker: Database,
  table: string,
  installedAt: number,
  policy: SourceDdlPolicy,
  notify: ((text: string) => void) | undefined,
): Promise<void> {
  const until = Date.now() + policy.retryTime * 1000;
  let told = false;
  for (;;) {
    const running = await statementsOlderThan(tracker, Date.now() - installedAt);
    if (running.length === 0) return;
    const list = running.map(describeBlocker).join('; ');
    if (Date.now() >= until || policy.stopRequested?.()) {
      notify?.(
        `${table}: statements older than its change tracking are still running (${list}); the copy starts anyway. ` +
          'If one is a stored-procedure call writing to this table, its writes until it ends may be missed: ' +
          'compare with `migrate check --deep` after delta',
      );
      return;
    }
    if (!told) {
      notify?.(
        `${table}: waiting for ${running.length} statement(s) that began before its change tracking was installed ` +
          `(${list}): a stored-procedure call among them would not log its writes until it ends, so the copy of ` +
          `${table} starts once they have ended (at most ${policy.retryTime} s)`,
      );
      told = true;
    }
    await new Promise((resolve) => setTimeout(resolve, IN_FLIGHT_POLL_MS));
  }
}

/** A trigger that has one of our names but is not ours: never taken for ours, never replaced. */
function refuseForeign(tracked: TrackingTarget, triggers: readonly TriggerInfo[]): void {
  const { plan, names } = tracked;
  for (const event of TRACKED_EVENTS) {
    const name = triggerNameFor(names, event);
    const found = triggers.find((t) => t.name === name);
    if (!found || isOurTrigger(found, plan.sourceTable, names)) continue;
    throw new MigrateError(
      `the source already has a trigger named ${name} (${found.timing} ${found.event} on ${found.table}) that store-migrate did not install`,
      {
        code: 'TRACKING_NAME_TAKEN',
        exitCode: ExitCode.failed,
        hint:
          `that trigger belongs to the store (or to an older tool): rename or drop it if it is not needed, ` +
          'or choose another "prefix" in the delta log file; then run the same command again',
        context: { step: 'data', document: plan.document },
      },
    );
  }
}

/**
 * Tracking is all three triggers or none: when installing stopped after some were created, they
 * are dropped again (the change log alone does no harm and is kept). The document is not copied,
 * so it is never marked tracked while it is not.
 */
async function withoutHalfInstall(
  tracker: Database,
  tracked: TrackingTarget,
  createdTriggers: readonly string[],
  policy: SourceDdlPolicy,
  error: unknown,
): Promise<unknown> {
  if (createdTriggers.length === 0) return error;
  const table = tracked.plan.sourceTable;
  try {
    for (const name of createdTriggers) {
      await runSourceDdl(
        tracker,
        { table, purpose: `removing the incomplete change tracking of ${table}` },
        { ...policy, stopRequested: undefined },
        (session) => dropTriggerIfExists(session, tracker.schema, name),
      );
    }
    return error;
  } catch {
    return new MigrateError(
      `${error instanceof Error ? error.message : String(error)}; the triggers ${createdTriggers.join(', ')} it had created could not be removed again`,
      {
        code: error instanceof MigrateError ? error.code : 'TRACKING_INSTALL_FAILED',
        exitCode: ExitCode.failed,
        hint: `run the same command again (it completes the tracking of ${tracked.plan.document}), or \`migrate cleanup\` to remove it`,
        context: { step: 'data', document: tracked.plan.document },
        cause: error,
      },
    );
  }
}

/** What is missing of a tracked document's tracking, one phrase each ("trigger x gone"). */
export interface TrackingGap {
  document: string;
  missing: string[];
}

/**
 * The tracked documents whose change log or triggers are gone (a restored backup, a manual
 * cleanup, a dropped trigger) or were replaced by something that is not the tool's.
 */
export async function trackingGaps(
  tracker: Database,
  tracked: readonly TrackingTarget[],
): Promise<TrackingGap[]> {
  const schema = tracker.schema;
  const tables = await tableNames(tracker, schema);
  const triggers = await readTriggers(tracker, schema);
  const gaps: TrackingGap[] = [];
  for (const { plan, names } of tracked) {
    const missing: string[] = [];
    if (!tables.has(names.changeLog)) missing.push(`change log ${names.changeLog} gone`);
    for (const event of TRACKED_EVENTS) {
      const name = triggerNameFor(names, event);
      const found = triggers.find((t) => t.name === name);
      if (!found) missing.push(`trigger ${name} gone`);
      else if (!isOurTrigger(found, plan.sourceTable, names))
        missing.push(`trigger ${name} replaced by one store-migrate did not install`);
    }
    if (missing.length > 0) gaps.push({ document: plan.document, missing });
  }
  return gaps;
}

/**
 * Which planned documents the delta log list tracks, and by which key. `*` tracks every
 * document the data step copies; a document's key defaults to the key its copy is paged by.
 */
import { ConfigError } from '../../errors.js';
import type { DeltaLog } from '../../mappings/deltalog.js';
import type { DocumentPlan } from '../../mappings/plan.js';
import { type TrackingNames, trackingNames } from './change-log-names.js';

/**
 * What tracking is installed for: a source table (`plan.sourceTable`) named in messages by
 * `plan.document`, the columns its change log records, and the names of its log and triggers.
 * A map's tracked document is one; a step's source table (step-sources.ts) another.
 */
export interface TrackingTarget {
  plan: Pick<DocumentPlan, 'document' | 'sourceTable'>;
  key: string[];
  names: TrackingNames;
}

export interface TrackedDocument {
  plan: DocumentPlan;
  /** Source key columns written to the change log. */
  key: string[];
  /** The destination columns those key columns arrive in, unchanged. */
  destinationKey: string[];
  names: TrackingNames;
}

export function trackedDocuments(deltaLog: DeltaLog, plans: readonly DocumentPlan[]): TrackedDocument[] {
  const byName = new Map(plans.filter((p) => p.owner === 'data').map((p) => [p.document, p]));
  const all = '*' in deltaLog.documents;
  const names = all ? [...byName.keys()] : Object.keys(deltaLog.documents);
  const tracked: TrackedDocument[] = [];
  for (const document of names) {
    const plan = byName.get(document);
    if (!plan) {
      throw new ConfigError(
        `${deltaLog.file} tracks ${document}, which is not a document migrate data copies`,
        {
          code: 'DELTA_DOCUMENT_UNKNOWN',
          hint: `remove "${document}" from documents in ${deltaLog.file}, or map it in the map file`,
          context: { file: deltaLog.file },
        },
      );
    }
    const key = deltaLog.documents[document]?.key ?? plan.key;
    if (!key || key.length === 0) {
      throw new ConfigError(`${document} has no primary key, so changes to its rows cannot be told apart`, {
        code: 'DELTA_KEY_MISSING',
        hint: `name a unique NOT NULL column set as "key" for "${document}" in ${deltaLog.file}`,
        context: { file: deltaLog.file, document },
      });
    }
    const destinationKey = destinationColumnsOf(plan, key);
    if (!destinationKey) {
      throw new ConfigError(
        `${document}: the delta key (${key.join(', ')}) must be copied unchanged to the destination`,
        {
          code: 'DELTA_KEY_UNMAPPED',
          hint: `track ${document} by columns the map copies without a transform, in ${deltaLog.file}`,
          context: { file: deltaLog.file, document },
        },
      );
    }
    tracked.push({ plan, key, destinationKey, names: trackingNames(deltaLog.prefix, plan.sourceTable) });
  }
  return tracked;
}

/** Where each source key column lands, when it lands untransformed; null otherwise. */
function destinationColumnsOf(plan: DocumentPlan, key: readonly string[]): string[] | null {
  const transformed = new Set([
    ...plan.sourceHandlers.map((h) => h.field),
    ...plan.destinationHandlers.map((h) => `dest:${h.field}`),
  ]);
  const columns: string[] = [];
  for (const column of key) {
    const mapping = plan.columns.find((c) => c.source === column);
    if (!mapping || transformed.has(column) || transformed.has(`dest:${mapping.destination}`)) return null;
    columns.push(mapping.destination);
  }
  return columns;
}

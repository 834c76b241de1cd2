/**
 * How `migrate data` copies each document, decided once, from the plan and facts read once
 * from the databases. The dry run's plan table, `migrate plan`, `preflight` and the run itself
 * (and its summary table) all take the method from here, so they never disagree.
 *
 * - `insert-select`: INSERT ... SELECT inside the server; the rows never leave it. Needs
 *   `<direct_document_copy>1`, one server for both sides, a destination user that may read the
 *   source table (the statement runs on the destination's connections), a usable key (it is
 *   chunked by key) and handlers that all have an SQL form.
 * - `load-data`: streamed through the tool, written with LOAD DATA LOCAL INFILE; needs
 *   local_infile on the destination and column types LOAD DATA carries exactly.
 * - `insert`: streamed through the tool, written with multi-row INSERTs.
 * A document without a usable key is streamed in one read (`oneRead`); settings documents
 * are copied by `migrate settings`.
 */
import type { Config } from '../../config/types.js';
import { loadDataSafe } from '../../db/row-writer.js';
import { serverFacts } from '../../db/server-identity.js';
import { destinationCanReadSource } from '../../db/source-readable.js';
import type { DocumentPlan } from '../../mappings/plan.js';
import type { Connections } from '../plan-stage.js';

export type CopyMethod = 'insert-select' | 'load-data' | 'insert';

/** Why INSERT ... SELECT cannot run at all for this pair of databases. */
export type DirectCopyBlocker = 'different-servers' | 'not-configured' | 'source-unreadable';

export interface CopyFacts {
  /** `<direct_document_copy>` as configured. */
  directConfigured: boolean;
  /** Source and destination are one server instance. */
  sameServer: boolean;
  /** The destination's user may read this source table. */
  sourceReadable(sourceTable: string): boolean;
  /** LOAD DATA LOCAL is allowed on the destination. */
  localInfile: boolean;
  maxAllowedPacket: number;
}

export interface CopyChoice {
  /** `settings`: the document belongs to `migrate settings`, not to the data copy. */
  method: CopyMethod | 'settings';
  /** No usable key: read whole in one streamed read; an interrupted copy starts over. */
  oneRead: boolean;
  /** Why this method and not a faster one, for the operator. */
  reason: string;
  /** The name every report prints. */
  label: string;
}

/** The first condition that keeps direct copy off, in the order the operator can act on; null when on. */
export function directCopyBlocker(facts: {
  directConfigured: boolean;
  sameServer: boolean;
  sourceReadable: boolean;
}): DirectCopyBlocker | null {
  if (!facts.sameServer) return 'different-servers';
  if (!facts.directConfigured) return 'not-configured';
  if (!facts.sourceReadable) return 'source-unreadable';
  return null;
}

/** The writer a streamed copy starts with; the run falls back to INSERT only if the server refuses LOAD DATA. */
export function streamWriter(plan: DocumentPlan, localInfile: boolean): 'load-data' | 'insert' {
  return localInfile && loadDataSafe(plan.destinationTypes) ? 'load-data' : 'insert';
}

export function chooseCopyMethod(plan: DocumentPlan, facts: CopyFacts): CopyChoice {
  const oneRead = plan.key === null;
  if (plan.owner === 'settings') {
    return { method: 'settings', oneRead, reason: 'copied by migrate settings', label: 'migrate settings' };
  }
  const blocker = directCopyBlocker({
    directConfigured: facts.directConfigured,
    sameServer: facts.sameServer,
    sourceReadable: facts.sourceReadable(plan.sourceTable),
  });
  const notDirect = notDirectReason(plan, blocker);
  if (notDirect === null) {
    return {
      method: 'insert-select',
      oneRead: false,
      reason: 'one server, the destination user reads the source, every handler has an SQL form',
      label: 'insert-select',
    };
  }
  const method = streamWriter(plan, facts.localInfile);
  const writer =
    method === 'load-data'
      ? 'written with LOAD DATA'
      : facts.localInfile
        ? 'written with INSERT: a column type LOAD DATA cannot carry exactly'
        : 'written with INSERT: LOAD DATA LOCAL is off on the destination';
  return {
    method,
    oneRead,
    reason: `streamed: ${notDirect}; ${writer}`,
    label: methodLabel(method, oneRead),
  };
}

/** The method's name in every report: `load-data (one read)` for a keyless document. */
export function methodLabel(method: CopyMethod, oneRead: boolean): string {
  return oneRead ? `${method} (one read)` : method;
}

function notDirectReason(plan: DocumentPlan, blocker: DirectCopyBlocker | null): string | null {
  switch (blocker) {
    case 'different-servers':
      return 'source and destination are different servers';
    case 'not-configured':
      return '<direct_document_copy> is 0';
    case 'source-unreadable':
      return `the destination user cannot read the source table ${plan.sourceTable}`;
    case null:
      break;
  }
  if (plan.key === null) return 'no usable key, so it is read whole';
  if (!plan.sqlExpressible) return 'a handler has no SQL form';
  return null;
}

/**
 * Reads, once, what decides the methods: both servers' facts, and (only where direct copy
 * could run) whether the destination user may read each source table.
 */
export async function readCopyFacts(
  config: Config,
  connections: Connections,
  plans: readonly DocumentPlan[],
): Promise<CopyFacts> {
  const [source, destination] = await Promise.all([
    serverFacts(connections.source),
    serverFacts(connections.destination),
  ]);
  const sameServer = source.identity === destination.identity;
  const readable = new Set<string>();
  if (config.options.directDocumentCopy && sameServer) {
    for (const plan of plans) {
      if (plan.owner !== 'data' || readable.has(plan.sourceTable)) continue;
      if (
        await destinationCanReadSource(connections.destination, connections.source.schema, plan.sourceTable)
      )
        readable.add(plan.sourceTable);
    }
  }
  return {
    directConfigured: config.options.directDocumentCopy,
    sameServer,
    sourceReadable: (table) => readable.has(table),
    localInfile: destination.localInfile,
    maxAllowedPacket: destination.maxAllowedPacket,
  };
}

/** Every plan's choice, by document. */
export function chooseCopyMethods(plans: readonly DocumentPlan[], facts: CopyFacts): Map<string, CopyChoice> {
  return new Map(plans.map((plan) => [plan.document, chooseCopyMethod(plan, facts)]));
}

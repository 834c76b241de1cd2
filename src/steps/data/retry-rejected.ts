/**
 * `migrate data --retry-rejected`: after the operator fixed what made rows fail (widened a
 * column, corrected a handler), writes the rejected rows again.
 *
 * A row with a source key is read again from the source by that key and goes through today's
 * plan through the chunk sink (a transform added since applies, mapId gets the copy's ids), so
 * what lands is the row as the shop has it now; a
 * key the source no longer has is skipped and counted. A keyless row has nothing to read it
 * again by: its stored values are used, and each entry is written once, so three identical
 * rejected rows are three rows. Rows that fail again stay in the file with the new reason; the
 * file is replaced atomically, and removed once every entry was written or skipped.
 */
import { existsSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Queryable } from '../../db/database.js';
import type { IdMapStore } from '../../db/id-map-store.js';
import { writeRows } from '../../db/row-writer.js';
import { readRowsByKey } from '../../db/rows-by-key.js';
import { serverFacts } from '../../db/server-identity.js';
import { ChunkSink, type ChunkWriteOutcome, type RejectedSink } from '../../engine/chunk-sink.js';
import { errorText, MigrateError } from '../../errors.js';
import type { Value } from '../../handlers/contract.js';
import type { DocumentPlan } from '../../mappings/plan.js';
import type { ProgressStore } from '../../progress/store.js';
import { syncDir, writePrivateFileAtomic } from '../../util/private-file.js';
import type { Connections } from '../plan-stage.js';
import { readRejectedFile } from './rejected-file.js';
import {
  decodeValues,
  encodeValues,
  type RejectedEntry,
  type RejectedLog,
  sourceKeyFromDestination,
  sourceKeyOf,
} from './rejected-log.js';

export interface RetryOutcome {
  document: string;
  loaded: number;
  stillRejected: number;
  /** Rows whose key the source no longer has: skipped on purpose, and gone from the file. */
  goneFromSource: number;
  /** Entries of other documents found in this file (older versions could share a file): kept. */
  otherDocuments: number;
  /** The line number of a last line cut short by an interrupted write, which was skipped. */
  tornLine?: number;
  file: string;
}

const BATCH = 1000;

interface Pending {
  entry: RejectedEntry;
  /** The source key to read the row again by; null for keyless rows. */
  key: Value[] | null;
}

export async function retryRejected(
  connections: Connections,
  plans: readonly DocumentPlan[],
  progress: ProgressStore,
  log: RejectedLog,
  /** The id map table: handlers that look ids up (mapId) get the same ids as the copy. */
  idMaps?: IdMapStore,
): Promise<RetryOutcome[]> {
  const facts = await serverFacts(connections.destination);
  const outcomes: RetryOutcome[] = [];
  for (const plan of plans) {
    const file = log.pathOf(plan.document);
    if (!existsSync(file)) continue;
    const outcome: RetryOutcome = {
      document: plan.document,
      loaded: 0,
      stillRejected: 0,
      goneFromSource: 0,
      otherDocuments: 0,
      file,
    };
    // The whole file is read once first: a corrupt line stops the retry before anything is written.
    for await (const _ of readRejectedFile(file, (line) => {
      outcome.tornLine = line;
    }));

    const still: RejectedEntry[] = [];
    const seen = new Set<string>();
    const columns = plan.columns.map((c) => c.destination);
    let batch: Pending[] = [];

    const flush = async () => {
      if (batch.length === 0) return;
      const current = batch;
      batch = [];
      const { sourceRows, storedRows, gone } = await currentRows(connections, plan, current);
      // Rows that fail again stay in the file; a refused row whose key arrives transformed gets
      // its source key from the row it was made from.
      const keys = new Map<string, RejectedEntry['values']>();
      const stillRejected: RejectedSink = {
        append(entries) {
          for (const entry of entries) {
            const key = entry.key ?? keys.get(JSON.stringify(entry.values));
            still.push(key ? { ...entry, key } : entry);
          }
        },
      };
      const sink = new ChunkSink({
        destination: connections.destination,
        rejected: stillRejected,
        ...(idMaps && { idMaps }),
      });
      const write = async (tx: Queryable, values: Value[][]): Promise<ChunkWriteOutcome> => {
        if (values.length === 0) return { written: 0 };
        const result = await writeRows(tx, values, {
          table: plan.destinationTable,
          columns,
          maxAllowedPacket: facts.maxAllowedPacket,
          useLoadData: false,
        });
        return { written: result.written, refused: result.rejected };
      };
      const chunk = { document: plan.document, table: plan.destinationTable, columns };
      const loaded = async (tx: Queryable, written: number, skipped: number) => {
        await progress.unreject(tx, plan.document, written, skipped);
        outcome.loaded += written;
        outcome.goneFromSource += skipped;
      };
      // Source-shaped rows (read again by key, or a handler's refusal with no key) go through
      // today's plan, with the id maps' lookups like the copy.
      if (sourceRows.length > 0 || gone > 0) {
        await sink.commit({
          ...chunk,
          plan,
          rows: sourceRows.map((r) => r.values),
          write: (tx, values) => {
            if (!plan.destinationKey) rememberKeys(sourceRows, values, keys);
            return write(tx, values);
          },
          after: (tx, counts) => loaded(tx, counts.written, gone),
        });
      }
      // Keyless rows the destination refused are written again from their stored values.
      if (storedRows.length > 0) {
        await sink.commit({
          ...chunk,
          plan: null,
          rows: storedRows,
          write,
          after: (tx, counts) => loaded(tx, counts.written, 0),
        });
      }
    };

    for await (const { entry } of readRejectedFile(file, () => {})) {
      if (entry.document !== plan.document) {
        still.push(entry);
        outcome.otherDocuments++;
        continue;
      }
      const key = keyOf(plan, entry);
      // A keyed row is written once however often it was logged (a crash between the file write
      // and the commit repeats a line); keyless rows keep their multiplicity.
      const identity = key
        ? JSON.stringify(encodeValues(key))
        : plan.key
          ? JSON.stringify(entry.values)
          : null;
      if (identity !== null) {
        if (seen.has(identity)) continue;
        seen.add(identity);
      }
      batch.push({ entry, key });
      if (batch.length >= BATCH) await flush();
    }
    await flush();

    outcome.stillRejected = still.length - outcome.otherDocuments;
    try {
      if (still.length === 0) {
        rmSync(file);
        syncDir(dirname(file));
      } else {
        writePrivateFileAtomic(file, still.map((e) => `${JSON.stringify(e)}\n`).join(''));
      }
    } catch (error) {
      throw new MigrateError(
        `${outcome.loaded} rows of ${plan.document} were loaded, but ${file} could not be rewritten (${errorText(error)}): it still lists them`,
        {
          code: 'REJECTED_WRITE_FAILED',
          hint: `free space on the disk that holds ${dirname(file)}, then retry again: the rows already loaded come back as ER_DUP_ENTRY and can be deleted from the file`,
          context: { step: 'data', document: plan.document, file },
          cause: error,
        },
      );
    }
    outcomes.push(outcome);
  }
  return outcomes;
}

/**
 * The rows to write for a batch: keyed rows as the source has them now, and keyless rows a
 * handler refused, both source-shaped (for today's plan); keyless rows the destination refused,
 * destination-shaped from their stored values. `gone` counts keys the source no longer has.
 */
async function currentRows(
  connections: Connections,
  plan: DocumentPlan,
  batch: readonly Pending[],
): Promise<{
  sourceRows: Array<{ values: Value[]; key: Value[] | null }>;
  storedRows: Value[][];
  gone: number;
}> {
  const keyed = batch.filter((p) => p.key !== null);
  const source =
    plan.key && keyed.length > 0
      ? await readRowsByKey(
          connections.source,
          {
            schema: connections.source.schema,
            table: plan.sourceTable,
            columns: plan.sourceColumns,
            types: plan.sourceTypes,
            key: plan.key,
          },
          keyed.map((p) => p.key ?? []),
        )
      : [];
  const found = matchRows(plan, source);
  const sourceRows: Array<{ values: Value[]; key: Value[] | null }> = [];
  const storedRows: Value[][] = [];
  let gone = 0;
  for (const pending of batch) {
    if (pending.key) {
      const row = found(pending.key);
      if (row) sourceRows.push({ values: row, key: pending.key });
      else gone++;
      continue;
    }
    const values = decodeValues(pending.entry.values);
    const byName = (names: readonly string[]) =>
      names.map((name) => values[pending.entry.columns.indexOf(name)] ?? null);
    // By column name, so columns added since are NULL.
    if (pending.entry.stage === 'write') storedRows.push(byName(plan.columns.map((c) => c.destination)));
    else sourceRows.push({ values: byName(plan.sourceColumns), key: null });
  }
  return { sourceRows, storedRows, gone };
}

/**
 * Remembers the source key of each transformed row by its values, for a plan whose key arrives
 * transformed: a refused row's entry then still carries the key to read it again by. Rows pair
 * up by position when no handler refused one (the chain keeps their order); otherwise the
 * refused rows' entries keep no key and a later retry uses their stored values.
 */
function rememberKeys(
  sourceRows: ReadonlyArray<{ values: Value[]; key: Value[] | null }>,
  values: readonly Value[][],
  keys: Map<string, RejectedEntry['values']>,
): void {
  if (values.length !== sourceRows.length) return; // some row was refused by a handler: no reliable pairing
  for (const [i, row] of values.entries()) {
    const key = sourceRows[i]?.key;
    if (key) keys.set(JSON.stringify(encodeValues(row)), encodeValues(key));
  }
}

/**
 * Finds the row read for a key. Keys are compared as the source printed them; a key the
 * source's collation matched but that differs in case or trailing spaces is found too.
 */
function matchRows(plan: DocumentPlan, rows: readonly Value[][]): (key: Value[]) => Value[] | undefined {
  const exact = new Map<string, Value[]>();
  const loose = new Map<string, Value[]>();
  for (const row of rows) {
    const key = sourceKeyOf(plan, row) ?? [];
    exact.set(JSON.stringify(encodeValues(key)), row);
    loose.set(looseKey(key), row);
  }
  return (key) => exact.get(JSON.stringify(encodeValues(key))) ?? loose.get(looseKey(key));
}

function looseKey(key: readonly Value[]): string {
  return JSON.stringify(
    encodeValues(key.map((v) => (typeof v === 'string' ? v.toLowerCase().trimEnd() : v))),
  );
}

/** The entry's source key: stored with it, or recovered from its values. */
function keyOf(plan: DocumentPlan, entry: RejectedEntry): Value[] | null {
  if (!plan.key) return null;
  if (entry.key && entry.key.length === plan.key.length) return decodeValues(entry.key);
  const values = decodeValues(entry.values);
  if (entry.stage === 'write') return sourceKeyFromDestination(plan, entry.columns, values);
  const indexes = plan.key.map((k) => entry.columns.indexOf(k));
  return indexes.some((i) => i < 0) ? null : indexes.map((i) => values[i] ?? null);
}

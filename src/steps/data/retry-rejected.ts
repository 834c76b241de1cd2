/**
 * `migrate data --retry-rejected`: after the operator fixed what made rows fail (widened a
 * column, corrected a handler), reads the rejected-rows files back, streaming, and writes the
 * rows again. Rows that load leave the file; rows that still fail stay, with the new reason.
 */
import { createReadStream, existsSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import jsonl from 'stream-json/jsonl/Parser.js';
import { writeRows } from '../../db/row-writer.js';
import { serverFacts } from '../../db/server-identity.js';
import type { Value } from '../../handlers/contract.js';
import type { DocumentPlan } from '../../mappings/plan.js';
import type { ProgressStore } from '../../progress/store.js';
import type { Connections } from '../plan-stage.js';
import { decodeValues, type RejectedEntry, type RejectedLog, refusedEntries } from './rejected-log.js';
import { transformRow } from './transform-row.js';

export interface RetryOutcome {
  document: string;
  loaded: number;
  stillRejected: number;
  file: string;
}

const BATCH = 1000;

export async function retryRejected(
  connections: Connections,
  plans: readonly DocumentPlan[],
  progress: ProgressStore,
  log: RejectedLog,
): Promise<RetryOutcome[]> {
  const facts = await serverFacts(connections.destination);
  const outcomes: RetryOutcome[] = [];
  for (const plan of plans) {
    const file = log.pathOf(plan.document);
    if (!existsSync(file)) continue;
    const still: RejectedEntry[] = [];
    const seen = new Set<string>();
    let loaded = 0;
    let batch: Array<{ entry: RejectedEntry; values: Value[] }> = [];

    const flush = async () => {
      if (batch.length === 0) return;
      const current = batch;
      batch = [];
      await connections.destination.transaction(async (tx) => {
        const result = await writeRows(
          tx,
          current.map((c) => c.values),
          {
            table: plan.destinationTable,
            columns: plan.columns.map((c) => c.destination),
            maxAllowedPacket: facts.maxAllowedPacket,
            useLoadData: false,
          },
        );
        const columns = plan.columns.map((c) => c.destination);
        still.push(
          ...refusedEntries(
            plan.document,
            plan.destinationTable,
            columns,
            result.rejected,
            new Date().toISOString(),
          ),
        );
        await progress.unreject(tx, plan.document, result.written);
        loaded += result.written;
      });
    };

    const parser = createReadStream(file).pipe(jsonl.parser());
    for await (const item of parser as AsyncIterable<{ value: RejectedEntry }>) {
      const entry = item.value;
      const identity = JSON.stringify(entry.values);
      if (seen.has(identity)) continue; // a crash between the file write and the commit repeats a line
      seen.add(identity);
      const values = toDestinationValues(plan, entry);
      if ('reason' in values) {
        still.push({ ...entry, error: values.reason, at: new Date().toISOString() });
        continue;
      }
      batch.push({ entry, values: values.values });
      if (batch.length >= BATCH) await flush();
    }
    await flush();

    if (still.length === 0) {
      await rm(file);
    } else {
      const temporary = `${file}.tmp`;
      await writeFile(temporary, still.map((e) => `${JSON.stringify(e)}\n`).join(''));
      await rename(temporary, file);
    }
    outcomes.push({ document: plan.document, loaded, stillRejected: still.length, file });
  }
  return outcomes;
}

/** A refused write is retried as it was; a row a handler refused goes through today's plan again. */
function toDestinationValues(
  plan: DocumentPlan,
  entry: RejectedEntry,
): { values: Value[] } | { reason: string } {
  const values = decodeValues(entry.values);
  if (entry.stage === 'write') return { values };
  // By name: the map may have changed since the row was refused.
  const result = transformRow(
    plan,
    plan.sourceColumns.map((c) => values[entry.columns.indexOf(c)] ?? null),
  );
  return result.ok ? { values: result.values } : { reason: result.reason };
}

/**
 * Rejected rows (invariant 4): a row the destination refuses, or a handler cannot convert, is
 * appended with the reason to rejected/<document>.jsonl before its chunk commits, and synced
 * to disk, so a crash can repeat an entry but never lose one. `--retry-rejected` reads the
 * files back.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Value } from '../../handlers/contract.js';

/** One line of a rejected-rows file. Values are destination-shaped when `stage` is 'write'. */
export interface RejectedEntry {
  document: string;
  /** 'transform': a handler refused the source row; 'write': the destination refused the row. */
  stage: 'transform' | 'write';
  table: string;
  columns: string[];
  values: Array<string | null | { hex: string }>;
  error: string;
  code: string;
  at: string;
}

export function encodeValues(values: readonly Value[]): RejectedEntry['values'] {
  return values.map((v) => (Buffer.isBuffer(v) ? { hex: v.toString('hex') } : v));
}

export function decodeValues(values: RejectedEntry['values']): Value[] {
  return values.map((v) => (v !== null && typeof v === 'object' ? Buffer.from(v.hex, 'hex') : v));
}

/** A document name made safe as a file name (names may hold any character). */
export function rejectedFileName(document: string): string {
  return `${document.replace(/[^A-Za-z0-9_.-]/g, '_')}.jsonl`;
}

/** Entries for rows the destination refused, destination-shaped (the writer's RejectedRow). */
export function refusedEntries(
  document: string,
  table: string,
  columns: string[],
  refused: ReadonlyArray<{ values: Value[]; error: string; code: string }>,
  at: string,
): RejectedEntry[] {
  return refused.map((r) => ({
    document,
    stage: 'write',
    table,
    columns,
    values: encodeValues(r.values),
    error: r.error,
    code: r.code,
    at,
  }));
}

export class RejectedLog {
  private readonly counts = new Map<string, number>();

  constructor(readonly dir: string) {}

  pathOf(document: string): string {
    return join(this.dir, rejectedFileName(document));
  }

  append(entries: readonly RejectedEntry[]): void {
    if (entries.length === 0) return;
    mkdirSync(this.dir, { recursive: true });
    const byDocument = new Map<string, RejectedEntry[]>();
    for (const entry of entries)
      byDocument.set(entry.document, [...(byDocument.get(entry.document) ?? []), entry]);
    for (const [document, list] of byDocument) {
      const fd = openSync(this.pathOf(document), 'a');
      try {
        writeSync(fd, list.map((e) => `${JSON.stringify(e)}\n`).join(''));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      this.counts.set(document, (this.counts.get(document) ?? 0) + list.length);
    }
  }

  /** Rows rejected in this run, per document. */
  get totals(): ReadonlyMap<string, number> {
    return this.counts;
  }
}

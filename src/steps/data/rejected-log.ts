/**
 * Rejected rows (invariant 4): a row the destination refuses, or a handler cannot convert, is
 * appended with the reason to rejected/<document>.jsonl before its chunk commits, and synced
 * to disk, so a crash can repeat an entry but never lose one. A write that fails (a full disk)
 * throws REJECTED_WRITE_FAILED inside the caller's transaction, so the chunk rolls back: its
 * rows are then neither in the destination nor in the file, and the next run copies them again.
 * Files and their folder are readable by their owner only (rows hold customers' data).
 * `--retry-rejected` reads the files back (rejected-file.ts).
 */
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fchmodSync,
  fstatSync,
  ftruncateSync,
  openSync,
  readSync,
  renameSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { errorText, MigrateError } from '../../errors.js';
import type { Value } from '../../handlers/contract.js';
import type { DocumentPlan } from '../../mappings/plan.js';
import { appendWhole } from '../../util/append-whole.js';
import { ensurePrivateDir, PRIVATE_FILE_MODE, syncDir } from '../../util/private-file.js';

type EncodedValue = string | null | { hex: string };

/** One line of a rejected-rows file. Values are destination-shaped when `stage` is 'write'. */
export interface RejectedEntry {
  /** The source document the row belongs to; a retry only writes it into that document. */
  document: string;
  /** 'transform': a handler refused the source row; 'write': the destination refused the row. */
  stage: 'transform' | 'write';
  table: string;
  columns: string[];
  values: EncodedValue[];
  /**
   * The row's source key (in the plan's key column order), by which a retry reads the row
   * again; absent for keyless documents, and when the key reached the destination transformed.
   */
  key?: EncodedValue[];
  error: string;
  code: string;
  at: string;
}

export function encodeValues(values: readonly Value[]): EncodedValue[] {
  return values.map((v) => (Buffer.isBuffer(v) ? { hex: v.toString('hex') } : v));
}

export function decodeValues(values: readonly EncodedValue[]): Value[] {
  return values.map((v) => (v !== null && typeof v === 'object' ? Buffer.from(v.hex, 'hex') : v));
}

/** The source key of a source-shaped row (`plan.sourceColumns` order); null without a key. */
export function sourceKeyOf(plan: DocumentPlan, sourceValues: readonly Value[]): Value[] | null {
  if (!plan.key) return null;
  return plan.key.map((k) => sourceValues[plan.sourceColumns.indexOf(k)] ?? null);
}

/**
 * The source key of a destination-shaped row, when the key arrives untransformed
 * (`plan.destinationKey`); null otherwise. `columns` name the values.
 */
export function sourceKeyFromDestination(
  plan: DocumentPlan,
  columns: readonly string[],
  values: readonly Value[],
): Value[] | null {
  if (!plan.key || !plan.destinationKey) return null;
  const indexes = plan.destinationKey.map((c) => columns.indexOf(c));
  if (indexes.some((i) => i < 0)) return null;
  return indexes.map((i) => values[i] ?? null);
}

const PLAIN = /^[A-Za-z0-9_.-]$/;
/** Encoded names longer than this are cut and made unique by a hash (file names stop at 255 bytes). */
const MAX_NAME = 200;

/**
 * A document name as a file name: characters outside [A-Za-z0-9_.-] are percent-encoded (their
 * UTF-8 bytes), so two names never share a file and plain names are unchanged. Document names
 * may hold any character; table names are at most 64 characters, which encoded can pass the
 * 255 bytes a file name may have: those are cut and end in `~` and a hash of the whole name.
 */
export function rejectedFileName(document: string): string {
  let encoded = '';
  for (const char of document) {
    if (PLAIN.test(char)) encoded += char;
    else
      for (const byte of Buffer.from(char, 'utf8'))
        encoded += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  if (encoded.length > MAX_NAME) {
    const hash = createHash('sha256').update(document).digest('hex').slice(0, 16);
    encoded = `${encoded.slice(0, MAX_NAME - 17)}~${hash}`;
  }
  return `${encoded}.jsonl`;
}

/** Entries for rows the destination refused, destination-shaped (the writer's RejectedRow). */
export function refusedEntries(
  document: string,
  table: string,
  columns: string[],
  refused: ReadonlyArray<{ values: Value[]; error: string; code: string }>,
  at: string,
  /** The document's plan: with it, each entry keeps its source key when the key arrives untransformed. */
  plan?: DocumentPlan,
): RejectedEntry[] {
  return refused.map((r) => {
    const key = plan ? sourceKeyFromDestination(plan, columns, r.values) : null;
    return {
      document,
      stage: 'write',
      table,
      columns,
      values: encodeValues(r.values),
      ...(key ? { key: encodeValues(key) } : {}),
      error: r.error,
      code: r.code,
      at,
    };
  });
}

export class RejectedLog {
  private readonly counts = new Map<string, number>();
  private readonly synced = new Set<string>();

  constructor(readonly dir: string) {}

  pathOf(document: string): string {
    return join(this.dir, rejectedFileName(document));
  }

  /**
   * Appends and fsyncs; call it inside the chunk's transaction, before the commit. Throws
   * REJECTED_WRITE_FAILED (after cutting the file back to where it was) when the file cannot
   * take the entries, so the chunk rolls back.
   */
  append(entries: readonly RejectedEntry[]): void {
    if (entries.length === 0) return;
    const byDocument = new Map<string, RejectedEntry[]>();
    for (const entry of entries) {
      const list = byDocument.get(entry.document) ?? [];
      list.push(entry);
      byDocument.set(entry.document, list);
    }
    for (const [document, list] of byDocument) {
      const file = this.pathOf(document);
      try {
        this.appendLines(file, Buffer.from(list.map((e) => `${JSON.stringify(e)}\n`).join('')));
      } catch (error) {
        throw writeFailed(file, document, error);
      }
      this.counts.set(document, (this.counts.get(document) ?? 0) + list.length);
    }
  }

  /**
   * Moves the document's file aside as `<name>.jsonl.<time>.<reason>` (`--reset`, or a keyless
   * copy that starts over), so no retry replays rows that are copied again from the source.
   * Returns the new path, or undefined when there was no file.
   */
  archive(document: string, reason: string): string | undefined {
    const file = this.pathOf(document);
    if (!existsSync(file)) return undefined;
    const stamp = new Date().toISOString().replace(/[-:]/g, '');
    const archived = `${file}.${stamp}.${reason}`;
    renameSync(file, archived);
    syncDir(this.dir);
    return archived;
  }

  /** Rows rejected in this run, per document. */
  get totals(): ReadonlyMap<string, number> {
    return this.counts;
  }

  private appendLines(file: string, data: Buffer): void {
    ensurePrivateDir(this.dir);
    const fd = openSync(file, 'a+', PRIVATE_FILE_MODE);
    try {
      fchmodSync(fd, PRIVATE_FILE_MODE); // a file an older version created readable by all
      // A failed write that could not be cut back is cut off by wholeLinesEnd before the next append.
      appendWhole(fd, wholeLinesEnd(fd), data, { sync: true });
    } finally {
      closeSync(fd);
    }
    if (!this.synced.has(file)) {
      syncDir(dirname(file)); // the new file's entry in its folder survives a crash too
      this.synced.add(file);
    }
  }
}

/**
 * The end of the file's last whole line. A line cut short by an earlier interrupted write
 * (whose chunk therefore did not commit) is cut off here, so new lines never follow it.
 */
function wholeLinesEnd(fd: number): number {
  const size = fstatSync(fd).size;
  if (size === 0) return 0;
  const block = Buffer.alloc(64 * 1024);
  let end = size;
  while (end > 0) {
    const start = Math.max(0, end - block.length);
    const read = readSync(fd, block, 0, end - start, start);
    const newline = block.subarray(0, read).lastIndexOf(0x0a);
    if (newline >= 0) {
      const whole = start + newline + 1;
      if (whole < size) ftruncateSync(fd, whole);
      return whole;
    }
    end = start;
  }
  ftruncateSync(fd, 0);
  return 0;
}

function writeFailed(file: string, document: string, error: unknown): MigrateError {
  return new MigrateError(
    `the rejected-rows file ${file} could not be written (${errorText(error)}); the chunk of ${document} that rejected these rows was rolled back, so none of its rows is lost`,
    {
      code: 'REJECTED_WRITE_FAILED',
      hint: `free space on the disk that holds ${dirname(file)} (or point <rejected_dir> in config.xml to a disk with room), then run the same command again: it resumes from the last committed chunk`,
      context: { document, file },
      cause: error,
    },
  );
}

/**
 * Reading a rejected-rows file back, line by line (files can be large). A last line without
 * its newline was cut short by an interrupted write: its chunk did not commit, so its rows are
 * copied again, and the line is skipped with a warning. Any other line that is not an entry
 * is corruption: the retry stops, naming the file and the line, and changes nothing.
 */
import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { MigrateError } from '../../errors.js';
import type { RejectedEntry } from './rejected-log.js';

export interface RejectedLine {
  entry: RejectedEntry;
  /** 1-based line number in the file. */
  line: number;
}

/** Yields the file's entries; `onTorn` hears of a last line cut short, which is skipped. */
export async function* readRejectedFile(
  file: string,
  onTorn: (line: number) => void,
): AsyncGenerator<RejectedLine> {
  const endsWhole = endsWithNewline(file);
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY });
  let previous: { text: string; line: number } | undefined;
  let number = 0;
  for await (const text of lines) {
    number++;
    if (previous) {
      const entry = parse(file, previous.text, previous.line);
      if (entry) yield { entry, line: previous.line };
    }
    previous = { text, line: number };
  }
  if (!previous) return;
  if (!endsWhole && !parses(previous.text)) {
    onTorn(previous.line);
    return;
  }
  const entry = parse(file, previous.text, previous.line);
  if (entry) yield { entry, line: previous.line };
}

function parse(file: string, text: string, line: number): RejectedEntry | undefined {
  if (text.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw corrupt(file, line, (error as Error).message);
  }
  if (!isEntry(value)) throw corrupt(file, line, 'not a rejected-row entry');
  return value;
}

function parses(text: string): boolean {
  try {
    return isEntry(JSON.parse(text));
  } catch {
    return false;
  }
}

function isEntry(value: unknown): value is RejectedEntry {
  const e = value as Partial<RejectedEntry> | null;
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof e.document === 'string' &&
    (e.stage === 'write' || e.stage === 'transform') &&
    Array.isArray(e.columns) &&
    Array.isArray(e.values) &&
    (e.key === undefined || Array.isArray(e.key))
  );
}

function corrupt(file: string, line: number, reason: string): MigrateError {
  return new MigrateError(`line ${line} of the rejected-rows file is not a whole entry (${reason})`, {
    code: 'REJECTED_FILE_CORRUPT',
    hint: `nothing was retried. Open ${file} and repair or delete line ${line} (each line is one JSON object; \`migrate check --deep\` finds a row whose line is lost), then retry`,
    context: { step: 'data', file, line },
  });
}

function endsWithNewline(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const { size } = fstatSync(fd);
    if (size === 0) return true;
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    return last[0] === 0x0a;
  } finally {
    closeSync(fd);
  }
}

/**
 * Rows as the text `LOAD DATA ... CHARACTER SET utf8mb4 FIELDS TERMINATED BY '\t'
 * ENCLOSED BY '' ESCAPED BY '\\' LINES TERMINATED BY '\n'` reads back exactly: fields
 * separated by tabs, one line a row, `\N` for NULL, and \ TAB LF CR NUL escaped with a
 * backslash. Text is written as UTF-8; a Buffer is written as its raw bytes (escaped the same
 * way): no UTF-8 sequence contains an ASCII byte, so the server's scan for tabs, newlines and
 * backslashes never mistakes part of a binary value for one, and binary columns take the bytes
 * unconverted. Produced lazily in chunks, so a batch is never held twice in memory.
 */
import { isUtf8 } from 'node:buffer';
import type { Value } from '../handlers/contract.js';
import { BufferPool } from './buffer-pool.js';
import { backslashEscaper } from './escape-text.js';
import { FieldKind, fieldLength, lengthBytes, NULL_FIELD, type RawRows } from './raw-rows.js';

/** Bytes per packet of the LOCAL INFILE transfer. */
export const LOAD_DATA_PACKET_BYTES = 256 * 1024;

/** The packets of rawLoadData's text, reused (see buffer-pool.ts): about 4 a chunk, 8 chunks in flight. */
const TEXT_BUFFERS = new BufferPool(LOAD_DATA_PACKET_BYTES, 48);

const SPECIAL = /[\0\t\n\r\\]/g;

const ESCAPE: string[] = [];
ESCAPE[0x00] = '\\0';
ESCAPE[0x09] = '\\t';
ESCAPE[0x0a] = '\\n';
ESCAPE[0x0d] = '\\r';
ESCAPE[0x5c] = '\\\\';

const BACKSLASH = 0x5c;
const TAB = 0x09;
const NEWLINE = 0x0a;
const LETTER_N = 0x4e;
/** The letter after the backslash for each byte that needs an escape, 0 for the others. */
const BYTE_ESCAPE = new Uint8Array(256);
BYTE_ESCAPE[0x00] = 0x30; // \0
BYTE_ESCAPE[0x09] = 0x74; // \t
BYTE_ESCAPE[0x0a] = 0x6e; // \n
BYTE_ESCAPE[0x0d] = 0x72; // \r
BYTE_ESCAPE[0x5c] = 0x5c; // \\

/** A text value escaped for a LOAD DATA field. */
export const escapeLoadDataText = backslashEscaper(SPECIAL, ESCAPE);

/** Collects bytes into chunks of about `chunkBytes`. */
class ChunkWriter {
  private buffer: Buffer;
  private position = 0;
  readonly ready: Buffer[] = [];

  constructor(private readonly chunkBytes: number) {
    this.buffer = Buffer.allocUnsafe(chunkBytes);
  }

  /** Makes room for `bytes` more, handing the current chunk over when it is too full. */
  private reserve(bytes: number): void {
    if (this.position + bytes <= this.buffer.length) return;
    this.flush();
    if (bytes > this.buffer.length) this.buffer = Buffer.allocUnsafe(Math.max(bytes, this.chunkBytes));
  }

  writeText(text: string): void {
    this.reserve(text.length * 3); // a UTF-16 code unit never takes more than 3 bytes of UTF-8
    this.position += this.buffer.write(text, this.position, 'utf8');
  }

  writeEscapedBytes(bytes: Buffer): void {
    this.reserve(bytes.length * 2);
    const out = this.buffer;
    let at = this.position;
    for (let i = 0; i < bytes.length; i++) {
      const byte = bytes[i] as number;
      const letter = BYTE_ESCAPE[byte] as number;
      if (letter === 0) {
        out[at++] = byte;
      } else {
        out[at++] = BACKSLASH;
        out[at++] = letter;
      }
    }
    this.position = at;
  }

  /** Hands over the bytes written so far as a chunk and starts a new one. */
  flush(): void {
    if (this.position === 0) return;
    this.ready.push(this.buffer.subarray(0, this.position));
    this.buffer = Buffer.allocUnsafe(this.chunkBytes);
    this.position = 0;
  }
}

/**
 * The LOAD DATA text of `rows`, in chunks of about `chunkBytes` (a chunk becomes one packet
 * of the LOCAL INFILE transfer). Throws a TypeError on a value that is not string/Buffer/null.
 */
export function* loadDataChunks(rows: readonly (readonly Value[])[], chunkBytes: number): Generator<Buffer> {
  const writer = new ChunkWriter(chunkBytes);
  for (const row of rows) {
    let pending = '';
    for (let i = 0; i < row.length; i++) {
      const value = row[i];
      if (i > 0) pending += '\t';
      if (value === null) {
        pending += '\\N';
      } else if (typeof value === 'string') {
        pending += escapeLoadDataText(value);
      } else if (Buffer.isBuffer(value)) {
        if (pending.length > 0) writer.writeText(pending);
        pending = '';
        writer.writeEscapedBytes(value);
      } else {
        throw new TypeError(`a row value must be a string, a Buffer or null, got ${typeof value}`);
      }
    }
    writer.writeText(pending + '\n');
    if (writer.ready.length > 0) {
      yield* writer.ready;
      writer.ready.length = 0;
    }
  }
  writer.flush();
  yield* writer.ready;
}

/**
 * The LOAD DATA text of rows kept as the server's bytes (raw-rows.ts), in chunks of about
 * `chunkBytes`: the same bytes loadDataChunks makes of `raw.values()`, without a JavaScript value
 * per field. Plain columns (numbers, dates) are copied without an escape scan. The caller has
 * made sure their text is valid UTF-8 (RawRows.textIsUtf8). A plain function with each line made
 * by a small function of its own and a one-byte length read inline, not a generator with
 * everything in it: 25% less CPU for the same bytes (BENCHMARKS.md, issue 16, second round).
 */
export function rawLoadDataChunks(
  raw: RawRows,
  chunkBytes: number,
  take: () => Buffer = () => Buffer.allocUnsafe(chunkBytes),
): Buffer[] {
  const { bytes, kinds, starts } = raw;
  const columns = kinds.length;
  const plain = Uint8Array.from(kinds, (kind) => (kind === FieldKind.Plain ? 1 : 0));
  const chunks: Buffer[] = [];
  let out = take();
  let at = 0;
  for (let r = 0; r < raw.length; r++) {
    const from = starts[r] as number;
    // Worst case: every byte escaped, plus a separator (or newline) and \N per column.
    const most = ((starts[r + 1] as number) - from) * 2 + columns * 3;
    if (at + most > out.length) {
      if (at > 0) chunks.push(out.subarray(0, at));
      out = most > chunkBytes ? Buffer.allocUnsafe(most) : take();
      at = 0;
    }
    at = rawLoadDataLine(bytes, from, out, at, plain);
  }
  if (at > 0) chunks.push(out.subarray(0, at));
  return chunks;
}

/**
 * Writes the LOAD DATA line of the row whose fields start at `bytes[from]` into `out` at `at`;
 * returns where it ends. `plain[c]` is 1 for a column copied without an escape scan.
 */
function rawLoadDataLine(bytes: Buffer, from: number, out: Buffer, at: number, plain: Uint8Array): number {
  const columns = plain.length;
  for (let c = 0; c < columns; c++) {
    if (c > 0) out[at++] = TAB;
    const head = bytes[from] as number;
    let start: number;
    let stop: number;
    if (head < NULL_FIELD) {
      start = from + 1; // the common case: a length under 251 in one byte
      stop = start + head;
    } else if (head === NULL_FIELD) {
      out[at++] = BACKSLASH;
      out[at++] = LETTER_N;
      from++;
      continue;
    } else {
      start = from + lengthBytes(head);
      stop = start + fieldLength(bytes, from);
    }
    from = stop;
    if (plain[c] === 1) {
      for (let i = start; i < stop; i++) out[at++] = bytes[i] as number;
      continue;
    }
    for (let i = start; i < stop; i++) {
      const byte = bytes[i] as number;
      const letter = BYTE_ESCAPE[byte] as number;
      if (letter === 0) {
        out[at++] = byte;
      } else {
        out[at++] = BACKSLASH;
        out[at++] = letter;
      }
    }
  }
  out[at++] = NEWLINE;
  return at;
}

/** Rows kept as the server's bytes with their LOAD DATA text, made at once and checked (rawLoadData). */
export class RawLoadData {
  constructor(
    readonly rows: RawRows,
    /** rawLoadDataChunks' text, one Buffer per packet of the transfer. */
    readonly text: readonly Buffer[],
    /** The pooled buffers the text lies in. */
    private homes: Buffer[] = [],
  ) {}

  /** Gives the buffers back to their pools: call it once the chunk is written (or abandoned). */
  release(): void {
    this.rows.release();
    for (const home of this.homes) TEXT_BUFFERS.give(home);
    this.homes = [];
  }

  get length(): number {
    return this.rows.length;
  }
}

/**
 * The LOAD DATA text of `raw`, made at once (while the previous chunk is written), or undefined
 * when some text value is not valid UTF-8 (the chunk must then go the values' way, where its row
 * is rejected). Without binary columns the check is one native pass over the text made: escapes
 * are ASCII, so the text is valid UTF-8 exactly when every text value is.
 */
export function rawLoadData(raw: RawRows): RawLoadData | undefined {
  const homes: Buffer[] = [];
  const take = () => {
    const buffer = TEXT_BUFFERS.take();
    homes.push(buffer);
    return buffer;
  };
  const text = rawLoadDataChunks(raw, LOAD_DATA_PACKET_BYTES, take);
  const valid = raw.kinds.includes(FieldKind.Bytes) ? raw.textIsUtf8() : text.every((chunk) => isUtf8(chunk));
  if (valid) return new RawLoadData(raw, text, homes);
  for (const home of homes) TEXT_BUFFERS.give(home);
  return undefined;
}

/**
 * The longest line of rawLoadDataChunks' text for `raw` can take at most this many bytes (every
 * byte escaped): a chunk under max_allowed_packet by this bound needs no exact count.
 */
export function rawLoadDataLineBytesAtMost(raw: RawRows): number {
  let most = 0;
  for (let r = 0; r < raw.length; r++) {
    const bytes = (raw.starts[r + 1] as number) - (raw.starts[r] as number);
    if (bytes > most) most = bytes;
  }
  return most * 2 + raw.columns * 3;
}

/**
 * The bytes `row` takes as one line of loadDataChunks' text, its newline included: what the
 * server must hold at once, so a row whose line exceeds max_allowed_packet cannot be loaded.
 */
export function loadDataLineBytes(row: readonly Value[]): number {
  let bytes = row.length; // the tabs between the values and the newline
  for (const value of row) {
    if (value === null) {
      bytes += 2; // \N
    } else if (typeof value === 'string') {
      bytes += Buffer.byteLength(value) + (value.match(SPECIAL)?.length ?? 0);
    } else if (Buffer.isBuffer(value)) {
      bytes += value.length;
      for (let i = 0; i < value.length; i++) if (BYTE_ESCAPE[value[i] as number] !== 0) bytes++;
    }
  }
  return bytes;
}

/**
 * An upper bound of loadDataLineBytes that takes no time per character: a UTF-16 code unit is at
 * most 3 bytes of UTF-8 (an escaped one is ASCII, 2 bytes), a byte at most 2. A row under it
 * needs no exact count, which keeps the check off the hot path.
 */
export function loadDataLineBytesAtMost(row: readonly Value[]): number {
  let bytes = row.length;
  for (const value of row) {
    if (value === null) bytes += 2;
    else if (typeof value === 'string') bytes += value.length * 3;
    else if (Buffer.isBuffer(value)) bytes += value.length * 2;
  }
  return bytes;
}

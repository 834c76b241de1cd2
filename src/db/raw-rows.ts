/**
 * Rows kept as the bytes the server sent, for the bulk copy of a table whose values need no
 * handler and no conversion: no JavaScript value per field is made, the bytes go straight into
 * LOAD DATA text (load-data-text.ts, rawLoadDataChunks). Values are made only when a chunk
 * cannot go that way (the fall-back to INSERTs, a key to resume from), by the same exact rules
 * as every other read (exact-text.ts, exactRows).
 *
 * How the bytes are taken: mysql2 has no public way to hand over a row packet, so the read
 * (Database.queryRaw) puts a RawRowReader in the place of mysql2's compiled row parser for that
 * one query (watched-client.ts): mysql2 still frames the packets and handles the result's header,
 * fields, errors and end, but each row packet goes to RawRowReader.next, which copies its bytes
 * (the fields' length-coded encoding, as the protocol sends them) into one buffer of the chunk
 * with one native copy. No JavaScript value, closure or array is made per row or field (mysql2's
 * parser with a typeCast made a closure per field and an array per row, kept until the query
 * ended: most of the copy's garbage). The select list starts with an empty string (ROW_MARKER),
 * which the reader skips; it makes the result one column wider than the table, so a statement
 * not built for this path is caught. test/db/raw-rows.test.ts checks the bytes against mysql2's
 * own reading for every column type.
 */
import { isUtf8 } from 'node:buffer';
import type { Value } from '../handlers/contract.js';
import { BufferPool } from './buffer-pool.js';
import { exactRows, type ResultField } from './exact-text.js';

/** The select list's first expression, which marks where each row's fields start. */
export const ROW_MARKER = "'' AS `store_migrate_row`";

/** How a column's bytes become LOAD DATA text. */
export enum FieldKind {
  /** Numbers, dates and times: the server's ASCII text, never a byte that needs an escape. */
  Plain = 0,
  /** Text in UTF-8: escaped, and checked to be valid UTF-8 before it is used. */
  Text = 1,
  /** Bytes: escaped, copied unconverted. */
  Bytes = 2,
}

const BINARY_CHARSET = 63;
/** mysql2's column types (its Types constants) whose text is the server's ASCII text of a number or time. */
const PLAIN_TYPES = new Set([
  0, // DECIMAL
  1, // TINY
  2, // SHORT
  3, // LONG
  4, // FLOAT
  5, // DOUBLE
  7, // TIMESTAMP
  8, // LONGLONG
  9, // INT24
  10, // DATE
  11, // TIME
  12, // DATETIME
  13, // YEAR
  246, // NEWDECIMAL
]);
const STRING_TYPES = new Set([15, 253, 254, 249, 250, 251, 252]); // VARCHAR, VAR_STRING, STRING, *BLOB
const JSON_TYPE = 245;

/** The kind of each column of a result (without the marker column). */
export function fieldKinds(fields: readonly ResultField[]): FieldKind[] {
  return fields.map((field) => {
    if (PLAIN_TYPES.has(field.columnType)) return FieldKind.Plain;
    if (field.columnType === JSON_TYPE) return FieldKind.Text;
    if (STRING_TYPES.has(field.columnType) && field.characterSet !== BINARY_CHARSET) return FieldKind.Text;
    return FieldKind.Bytes; // binary strings, BIT, GEOMETRY and any type not known here: escaped
  });
}

/** One chunk of rows as the server's bytes: the length-coded fields of each row, back to back. */
export class RawRows {
  constructor(
    /** The rows' fields, length-coded as in the protocol (0xFB is NULL). */
    readonly bytes: Buffer,
    /** Where row i starts in `bytes`; starts[length] is the end. */
    readonly starts: Uint32Array,
    readonly length: number,
    readonly fields: readonly ResultField[],
    readonly kinds: readonly FieldKind[],
    /** The pooled buffer `bytes` lies in, if it does: given back by release(). */
    private home?: Buffer,
  ) {}

  /** Gives the rows' buffer back to the pool: call it once nothing reads these rows any more. */
  release(): void {
    if (this.home) ROW_BUFFERS.give(this.home);
    this.home = undefined;
  }

  get columns(): number {
    return this.fields.length;
  }

  /** Row `i` as values, exactly as queryArrays reads them. */
  row(i: number): Value[] {
    return exactRows([this.fieldBuffers(i)], this.fields)[0] as Value[];
  }

  /** Every row as values, exactly as queryArrays reads them: for the paths that need values. */
  values(): Value[][] {
    const rows: (Buffer | null)[][] = [];
    for (let i = 0; i < this.length; i++) rows.push(this.fieldBuffers(i));
    return exactRows(rows, this.fields);
  }

  /**
   * True when every text value is valid UTF-8. Otherwise the chunk must go through values(),
   * where such a value stays bytes and its row is rejected (src/steps/data/inexact-text.ts).
   */
  textIsUtf8(): boolean {
    const { bytes, kinds } = this;
    const columns = kinds.length;
    let at = 0;
    const end = this.starts[this.length] as number;
    while (at < end) {
      for (let c = 0; c < columns; c++) {
        const head = bytes[at] as number;
        if (head === NULL_FIELD) {
          at++;
          continue;
        }
        const start = at + lengthBytes(head);
        const stop = start + fieldLength(bytes, at);
        if (kinds[c] === FieldKind.Text) {
          let high = 0;
          for (let i = start; i < stop; i++) high |= bytes[i] as number;
          if (high >= 0x80 && !isUtf8(bytes.subarray(start, stop))) return false;
        }
        at = stop;
      }
    }
    return true;
  }

  /** Row `i`'s fields as Buffers (null for NULL). */
  private fieldBuffers(i: number): (Buffer | null)[] {
    const values: (Buffer | null)[] = [];
    let at = this.starts[i] as number;
    for (let c = 0; c < this.columns; c++) {
      const head = this.bytes[at] as number;
      if (head === NULL_FIELD) {
        values.push(null);
        at++;
        continue;
      }
      const start = at + lengthBytes(head);
      const stop = start + fieldLength(this.bytes, at);
      values.push(Buffer.from(this.bytes.subarray(start, stop)));
      at = stop;
    }
    return values;
  }
}

/** The first byte of a NULL field. */
export const NULL_FIELD = 0xfb;

/** How many bytes the length of a field takes, from its first byte (not NULL). */
export function lengthBytes(head: number): number {
  if (head < 0xfb) return 1;
  if (head === 0xfc) return 3;
  if (head === 0xfd) return 4;
  return 9;
}

/** The length of the (not NULL) field whose length-coded header starts at `at`. */
export function fieldLength(bytes: Uint8Array, at: number): number {
  const head = bytes[at] as number;
  if (head < 0xfb) return head;
  const b1 = bytes[at + 1] as number;
  const b2 = bytes[at + 2] as number;
  if (head === 0xfc) return b1 | (b2 << 8);
  const b3 = bytes[at + 3] as number;
  if (head === 0xfd) return b1 | (b2 << 8) | (b3 << 16);
  // 8 bytes: no field comes near 2^32 bytes (max_allowed_packet is at most 1 GB)
  return (b1 | (b2 << 8) | (b3 << 16)) + (bytes[at + 4] as number) * 2 ** 24;
}

/**
 * A chunk's row buffers (a chunk is bounded to about 768 KB of table bytes); a chunk that needs
 * more doubles into buffers of its own. Enough are kept for every chunk in flight at the default
 * concurrency (a chunk being written and one read ahead per part).
 */
const ROW_BUFFERS = new BufferPool(1024 * 1024, 16);

/** What the reader needs of a row packet mysql2 received: the row's fields lie in buffer[offset, end). */
export interface RowPacket {
  readonly buffer: Buffer;
  readonly offset: number;
  readonly end: number;
}

/**
 * Takes a result's row packets in place of mysql2's row parser (see the header): `next` is
 * called with each row packet while it is received, copies the row's fields after the marker
 * into one buffer of the chunk, and makes no value; `finish` returns the rows once the query
 * has returned its fields.
 */
export class RawRowReader {
  private bytes = ROW_BUFFERS.take();
  private home: Buffer | undefined = this.bytes;
  private used = 0;
  private starts = new Uint32Array(4096);
  /** Rows read so far. */
  count = 0;

  /** Called by mysql2 (as its row parser's next) for each row; returns no row value. */
  next(packet: RowPacket): undefined {
    const { buffer, end } = packet;
    let from = packet.offset;
    const head = buffer[from] as number;
    if (head === NULL_FIELD) throw new Error('the row marker came back NULL');
    from += lengthBytes(head) + fieldLength(buffer, from);
    const size = end - from;
    const used = this.used;
    if (used + size > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, used + size));
      this.bytes.copy(grown, 0, 0, used);
      if (this.home) ROW_BUFFERS.give(this.home);
      this.home = undefined;
      this.bytes = grown;
    }
    buffer.copy(this.bytes, used, from, end);
    if (this.count + 1 >= this.starts.length) {
      const grown = new Uint32Array(this.starts.length * 2);
      grown.set(this.starts);
      this.starts = grown;
    }
    this.starts[this.count++] = used;
    this.used = used + size;
    return undefined;
  }

  /** The rows read, with `fields` (the result's fields after the marker). */
  finish(fields: readonly ResultField[]): RawRows {
    this.starts[this.count] = this.used;
    const rows = new RawRows(
      this.bytes.subarray(0, this.used),
      this.starts,
      this.count,
      fields,
      fieldKinds(fields),
      this.home,
    );
    this.home = undefined;
    return rows;
  }

  /** Gives the buffer back when the read failed and finish() will not be called. */
  abandon(): void {
    if (this.home) ROW_BUFFERS.give(this.home);
    this.home = undefined;
  }
}

/**
 * Rows kept as the bytes the server sent, for the bulk copy of a table whose values need no
 * handler and no conversion: no JavaScript value per field is made, the bytes go straight into
 * LOAD DATA text (load-data-text.ts, rawLoadDataChunks). Values are made only when a chunk
 * cannot go that way (the fall-back to INSERTs, a key to resume from), by the same exact rules
 * as every other read (exact-text.ts, exactRows).
 *
 * How the bytes are taken: mysql2 has no public way to hand over a row packet, so the read puts
 * an empty string first in its select list, and a typeCast callback asks mysql2 for that value
 * only (`field.buffer()`): an empty view whose offset is where the row's other fields begin in
 * the packet. The callback walks their length-coded encoding from there, copies the row into
 * one buffer of the chunk, and leaves the other fields unread. Test/db/raw-rows.test.ts checks
 * the bytes against mysql2's own reading for every column type.
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

/** What the collector needs of mysql2's typeCast field wrapper. */
interface MarkerField {
  buffer(): Buffer | null;
}

/**
 * A chunk's row buffers (a chunk is bounded to about 768 KB of table bytes); a chunk that needs
 * more doubles into buffers of its own. Enough are kept for every chunk in flight at the default
 * concurrency (a chunk being written and one read ahead per part).
 */
const ROW_BUFFERS = new BufferPool(1024 * 1024, 16);

/**
 * A typeCast that collects each row's bytes (see the header) and `finish`, which returns them
 * once the query has returned its fields. `columns` is the number of columns after the marker.
 */
export function rawRowCollector(columns: number): {
  typeCast: (field: MarkerField, next: () => unknown) => unknown;
  finish(fields: readonly ResultField[]): RawRows;
} {
  let bytes = ROW_BUFFERS.take();
  let home: Buffer | undefined = bytes;
  let used = 0;
  let starts = new Uint32Array(4096);
  let count = 0;
  let marker: MarkerField | undefined;
  let source: Uint8Array | undefined;
  const typeCast = (field: MarkerField): unknown => {
    marker ??= field;
    if (field !== marker) return null; // the row's other fields: read below, from the packet
    const view = field.buffer();
    if (view === null) throw new Error('the row marker came back NULL');
    if (source === undefined || source.buffer !== view.buffer) {
      source = new Uint8Array(view.buffer);
    }
    const start = view.byteOffset;
    let at = start;
    for (let c = 0; c < columns; c++) {
      const head = source[at] as number;
      at += head === NULL_FIELD ? 1 : lengthBytes(head) + fieldLength(source, at);
    }
    const size = at - start;
    if (used + size > bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(bytes.length * 2, used + size));
      bytes.copy(grown, 0, 0, used);
      if (home) ROW_BUFFERS.give(home);
      home = undefined;
      bytes = grown;
    }
    bytes.set(source.subarray(start, at), used);
    if (count + 1 >= starts.length) {
      const grown = new Uint32Array(starts.length * 2);
      grown.set(starts);
      starts = grown;
    }
    starts[count++] = used;
    used += size;
    return null;
  };
  return {
    typeCast,
    finish(fields) {
      starts[count] = used;
      return new RawRows(bytes.subarray(0, used), starts, count, fields, fieldKinds(fields), home);
    },
  };
}

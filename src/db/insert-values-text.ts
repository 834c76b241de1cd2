/**
 * Rows kept as the server's bytes (raw-rows.ts) as the tuples of multi-row `INSERT ... VALUES`
 * statements, for a destination table with an AUTO_INCREMENT column written by several
 * connections at once. With innodb_autoinc_lock_mode=1 (MariaDB's default) LOAD DATA holds the
 * table's AUTO-INC lock for the whole statement, so parallel LOAD DATA statements into one table
 * take turns; an INSERT ... VALUES is a "simple insert" (its row count is known) and takes the
 * lock only for a moment, so the parts of one table are written at once (BENCHMARKS.md, issue 16).
 *
 * The text is the same the row writer's INSERTs make of the rows' values (sql-literal.ts): NULL,
 * every text, number and date as a quoted string with \0 \n \r Ctrl-Z ' \ ? escaped, bytes as
 * X'hex'. It is made straight from the bytes, without a JavaScript value per field, at read time
 * (while the previous chunk is written), in bodies of about TARGET_BODY_BYTES: a statement is
 * the writer's `INSERT INTO t (columns) VALUES ` followed by one body.
 */
import { isUtf8 } from 'node:buffer';
import { FieldKind, fieldLength, lengthBytes, NULL_FIELD, type RawRows } from './raw-rows.js';

/** Bytes a body aims for: the row writer's 512 KB statements (TARGET_STATEMENT_BYTES) less room for the prefix. */
export const TARGET_BODY_BYTES = 512 * 1024 - 4096;

const BACKSLASH = 0x5c;
const QUOTE = 0x27;
const COMMA = 0x2c;
const OPEN = 0x28;
const CLOSE = 0x29;
const LETTER_X = 0x58;

/** The letter after the backslash for each byte a string literal escapes (as sql-literal.ts), 0 for the others. */
const SQL_ESCAPE = new Uint8Array(256);
SQL_ESCAPE[0x00] = 0x30; // \0
SQL_ESCAPE[0x0a] = 0x6e; // \n
SQL_ESCAPE[0x0d] = 0x72; // \r
SQL_ESCAPE[0x1a] = 0x5a; // \Z
SQL_ESCAPE[0x27] = 0x27; // \'
SQL_ESCAPE[0x5c] = 0x5c; // \\
SQL_ESCAPE[0x3f] = 0x3f; // \? (see sql-literal.ts)

const HEX = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const NULL_TEXT = Uint8Array.from('NULL', (c) => c.charCodeAt(0));

/** Scratch space the bodies are made in before they become strings; grown for a larger row. */
let scratch = Buffer.allocUnsafe(TARGET_BODY_BYTES + 64 * 1024);

/** Rows kept as the server's bytes with their INSERT tuples, made at once and checked (rawInsertValues). */
export class RawInsertValues {
  constructor(
    readonly rows: RawRows,
    /** The tuples, `(..),(..)`, one string per statement. */
    readonly bodies: readonly string[],
    /** The UTF-8 bytes of each body. */
    readonly bodyBytes: readonly number[],
  ) {}

  /** Gives the rows' buffer back to its pool: call it once the chunk is written (or abandoned). */
  release(): void {
    this.rows.release();
  }

  get length(): number {
    return this.rows.length;
  }
}

/**
 * The most bytes row `r`'s tuple can take: every byte escaped or in hex, plus quotes (or X'')
 * and a comma per field, and the parentheses.
 */
export function rawTupleBytesAtMost(raw: RawRows, r: number): number {
  return ((raw.starts[r + 1] as number) - (raw.starts[r] as number)) * 2 + raw.columns * 4 + 2;
}

/**
 * The INSERT tuples of `raw`, in bodies of about `bodyBytes`, or undefined when some text value
 * is not valid UTF-8 (the chunk must then go the values' way, where its row is rejected).
 * Escapes and hex are ASCII, so a body is valid UTF-8 exactly when its text values are: one
 * native check per body.
 */
export function rawInsertValues(raw: RawRows, bodyBytes = TARGET_BODY_BYTES): RawInsertValues | undefined {
  const { bytes, kinds, starts } = raw;
  const kind = Uint8Array.from(kinds);
  const bodies: string[] = [];
  const sizes: number[] = [];
  let at = 0;
  let out = scratch;
  const finish = (): boolean => {
    const body = out.subarray(0, at);
    if (!isUtf8(body)) return false;
    bodies.push(body.toString('utf8'));
    sizes.push(at);
    at = 0;
    return true;
  };
  for (let r = 0; r < raw.length; r++) {
    const most = rawTupleBytesAtMost(raw, r);
    if (at > 0 && at + most > bodyBytes) {
      if (!finish()) return undefined;
    }
    if (at + most > out.length) {
      out = Buffer.allocUnsafe(at + most);
      if (out.length <= 16 * 1024 * 1024) scratch = out;
    }
    if (at > 0) out[at++] = COMMA;
    at = rawTuple(bytes, starts[r] as number, out, at, kind);
  }
  if (at > 0 && !finish()) return undefined;
  return new RawInsertValues(raw, bodies, sizes);
}

/** Writes the tuple of the row whose fields start at `bytes[from]` into `out` at `at`; returns where it ends. */
function rawTuple(bytes: Buffer, from: number, out: Buffer, at: number, kind: Uint8Array): number {
  const columns = kind.length;
  out[at++] = OPEN;
  for (let c = 0; c < columns; c++) {
    if (c > 0) out[at++] = COMMA;
    const head = bytes[from] as number;
    let start: number;
    let stop: number;
    if (head < NULL_FIELD) {
      start = from + 1; // the common case: a length under 251 in one byte
      stop = start + head;
    } else if (head === NULL_FIELD) {
      out.set(NULL_TEXT, at);
      at += 4;
      from++;
      continue;
    } else {
      start = from + lengthBytes(head);
      stop = start + fieldLength(bytes, from);
    }
    from = stop;
    const k = kind[c] as number;
    if (k === FieldKind.Plain) {
      out[at++] = QUOTE;
      for (let i = start; i < stop; i++) out[at++] = bytes[i] as number;
      out[at++] = QUOTE;
    } else if (k === FieldKind.Text) {
      out[at++] = QUOTE;
      for (let i = start; i < stop; i++) {
        const byte = bytes[i] as number;
        const letter = SQL_ESCAPE[byte] as number;
        if (letter === 0) {
          out[at++] = byte;
        } else {
          out[at++] = BACKSLASH;
          out[at++] = letter;
        }
      }
      out[at++] = QUOTE;
    } else {
      out[at++] = LETTER_X;
      out[at++] = QUOTE;
      for (let i = start; i < stop; i++) {
        const byte = bytes[i] as number;
        out[at++] = HEX[byte >> 4] as number;
        out[at++] = HEX[byte & 15] as number;
      }
      out[at++] = QUOTE;
    }
  }
  out[at++] = CLOSE;
  return at;
}

/**
 * A small, strict reader of PHP's serialize() format and a writer of the value as JSON, for
 * serializedToJson (Magento 1 stored options and configuration as serialized PHP, Magento 2.2+
 * as JSON). It reads by byte offset, because s:LEN counts UTF-8 bytes, not characters.
 * Supported: N; b: i: d: s: a: and O: (any class). Not supported: references (r:, R:), custom
 * serialization (C:) and enums (E:).
 */

/** Array keys and object properties, in order. A key PHP would store as an integer is `intKey`. */
export type PhpEntries = ReadonlyMap<string, { readonly intKey: boolean; readonly value: PhpValue }>;

export type PhpValue =
  | { readonly kind: 'null' }
  | { readonly kind: 'bool'; readonly value: boolean }
  /** The integer's exact digits; it may not fit a JS number. */
  | { readonly kind: 'int'; readonly digits: string }
  /** `offset` is where the value starts, for the error about INF and NAN. */
  | { readonly kind: 'float'; readonly value: number; readonly offset: number }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'array'; readonly entries: PhpEntries }
  | { readonly kind: 'object'; readonly className: string; readonly entries: PhpEntries };

/** Input that is not serialized PHP, or a value JSON cannot hold. The message ends with the byte offset. */
export class PhpSerializeError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at byte ${offset}`);
    this.name = 'PhpSerializeError';
  }
}

/** Deeper nesting than this is refused rather than risking the call stack. */
const MAX_DEPTH = 512;
const INT = /^[+-]?\d+$/;
const FLOAT = /^(?:[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|NAN|-?INF)$/;
/** A string key PHP turns into an integer key: canonical decimal within 64 bits. */
const INT_KEY = /^(?:0|-?[1-9]\d{0,18})$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const SPECIAL_FLOATS: Readonly<Record<string, number>> = {
  NAN: Number.NaN,
  INF: Infinity,
  '-INF': -Infinity,
};
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Parses one serialized value that must span the whole input. */
export function unserialize(input: Buffer | string): PhpValue {
  const reader = new Reader(typeof input === 'string' ? Buffer.from(input, 'utf8') : input);
  const value = reader.value(0);
  if (reader.pos < reader.bytes.length)
    throw new PhpSerializeError('unexpected data after the value', reader.pos);
  return value;
}

/** Compact JSON, like PHP's json_encode: a list array (keys 0..n-1 in order) becomes a JSON array. */
export function toJson(value: PhpValue): string {
  switch (value.kind) {
    case 'null':
      return 'null';
    case 'bool':
      return value.value ? 'true' : 'false';
    case 'int':
      return value.digits;
    case 'float':
      if (!Number.isFinite(value.value)) {
        throw new PhpSerializeError(`the float ${value.value} has no JSON equivalent`, value.offset);
      }
      return Object.is(value.value, -0) ? '-0' : JSON.stringify(value.value);
    case 'string':
      return JSON.stringify(value.value);
    case 'array':
      if (isList(value.entries))
        return `[${[...value.entries.values()].map((e) => toJson(e.value)).join(',')}]`;
      return jsonObject(value.entries);
    case 'object':
      return jsonObject(value.entries);
    default:
      return value satisfies never;
  }
}

function isList(entries: PhpEntries): boolean {
  let index = 0;
  for (const [key, entry] of entries) {
    if (!entry.intKey || key !== String(index++)) return false;
  }
  return true;
}

function jsonObject(entries: PhpEntries): string {
  const members = [...entries].map(([key, entry]) => `${JSON.stringify(key)}:${toJson(entry.value)}`);
  return `{${members.join(',')}}`;
}

class Reader {
  pos = 0;
  constructor(readonly bytes: Buffer) {}

  value(depth: number): PhpValue {
    const start = this.pos;
    const type = this.bytes[this.pos++];
    if (type === undefined) throw new PhpSerializeError('unexpected end of input, expected a value', start);
    const tag = String.fromCharCode(type);
    if (tag === 'N') {
      this.expect(';');
      return { kind: 'null' };
    }
    if (!'bidsaO'.includes(tag)) throw new PhpSerializeError(`unsupported type "${tag}"`, start);
    this.expect(':');
    switch (tag) {
      case 'b': {
        const text = this.token(';');
        if (text !== '0' && text !== '1') throw new PhpSerializeError(`b:${text}; is not a boolean`, start);
        return { kind: 'bool', value: text === '1' };
      }
      case 'i': {
        const text = this.token(';');
        if (!INT.test(text)) throw new PhpSerializeError(`i:${text}; is not an integer`, start);
        return { kind: 'int', digits: BigInt(text).toString() };
      }
      case 'd': {
        const text = this.token(';');
        if (!FLOAT.test(text)) throw new PhpSerializeError(`d:${text}; is not a float`, start);
        const value = SPECIAL_FLOATS[text] ?? Number(text);
        return { kind: 'float', value, offset: start };
      }
      case 's': {
        const value = this.string();
        this.expect(';');
        return { kind: 'string', value };
      }
      case 'a':
        return { kind: 'array', entries: this.entries(depth, false) };
      case 'O': {
        const className = this.string();
        this.expect(':');
        return { kind: 'object', className, entries: this.entries(depth, true) };
      }
      default:
        throw new PhpSerializeError(`unsupported type "${tag}"`, start); // unreachable: checked above
    }
  }

  /** `N:{key value ...}` of an array or object (object properties lose their \0*\0 / \0Class\0 marker). */
  private entries(depth: number, isObject: boolean): PhpEntries {
    if (depth >= MAX_DEPTH) throw new PhpSerializeError(`nesting deeper than ${MAX_DEPTH} levels`, this.pos);
    const count = this.length();
    this.expect('{');
    const entries = new Map<string, { intKey: boolean; value: PhpValue }>();
    for (let i = 0; i < count; i++) {
      let { key, intKey } = this.key();
      if (isObject && key.startsWith('\0')) key = key.slice(key.indexOf('\0', 1) + 1);
      entries.set(key, { intKey, value: this.value(depth + 1) });
    }
    this.expect('}');
    return entries;
  }

  private key(): { key: string; intKey: boolean } {
    const start = this.pos;
    const type = this.bytes[this.pos++];
    if (type === 0x69 /* i */) {
      this.expect(':');
      const text = this.token(';');
      if (!INT.test(text)) throw new PhpSerializeError(`i:${text}; is not an integer key`, start);
      return { key: BigInt(text).toString(), intKey: true };
    }
    if (type === 0x73 /* s */) {
      this.expect(':');
      const key = this.string();
      this.expect(';');
      const intKey = INT_KEY.test(key) && BigInt(key) >= INT64_MIN && BigInt(key) <= INT64_MAX;
      return { key, intKey };
    }
    if (type === undefined) throw new PhpSerializeError('unexpected end of input, expected a key', start);
    throw new PhpSerializeError('expected an array key (i: or s:)', start);
  }

  /** `LEN:"bytes"`, the bytes decoded as UTF-8. */
  private string(): string {
    const length = this.length();
    this.expect('"');
    const start = this.pos;
    const end = start + length;
    if (end >= this.bytes.length) {
      throw new PhpSerializeError(`a string of ${length} bytes runs past the end of the input`, start);
    }
    if (this.bytes[end] !== 0x22 /* " */) {
      throw new PhpSerializeError(
        `expected '"' after a string of ${length} bytes (wrong length prefix?)`,
        end,
      );
    }
    this.pos = end + 1;
    try {
      return utf8.decode(this.bytes.subarray(start, end));
    } catch {
      throw new PhpSerializeError('the string is not valid UTF-8', start);
    }
  }

  /** A non-negative count or byte length, followed by ':'. */
  private length(): number {
    const start = this.pos;
    const text = this.token(':');
    const length = Number(text);
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(length)) {
      throw new PhpSerializeError(`"${text}" is not a length`, start);
    }
    return length;
  }

  /** The ASCII text up to `terminator`, which is consumed. Tokens are numbers: at most 64 bytes. */
  private token(terminator: string): string {
    const limit = Math.min(this.bytes.length, this.pos + 64);
    const end = this.bytes.subarray(0, limit).indexOf(terminator.charCodeAt(0), this.pos);
    if (end < 0 && limit === this.bytes.length) {
      throw new PhpSerializeError(`unexpected end of input, expected "${terminator}"`, limit);
    }
    if (end < 0) throw new PhpSerializeError(`expected a number ending in "${terminator}"`, this.pos);
    const text = this.bytes.toString('latin1', this.pos, end);
    this.pos = end + 1;
    return text;
  }

  private expect(char: string): void {
    const found = this.bytes[this.pos];
    if (found === undefined)
      throw new PhpSerializeError(`unexpected end of input, expected "${char}"`, this.pos);
    if (found !== char.charCodeAt(0)) {
      throw new PhpSerializeError(`expected "${char}", found "${String.fromCharCode(found)}"`, this.pos);
    }
    this.pos++;
  }
}

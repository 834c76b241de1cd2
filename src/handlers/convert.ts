/**
 * convert: maps old codes to new ones (e.g. an order state or a source model class name).
 * keepUnmapped keeps a value the map does not list as it is, as the Magento tool's Convert
 * handler does: for maps that rename a few codes among many that stay.
 * Lookup is exact (case-, accent- and trailing-space-sensitive): a value matches a key when its
 * UTF-8 bytes equal the key's. The SQL form compares the same bytes, which holds for text
 * columns in utf8/utf8mb4 (Magento's) and binary columns.
 */
import {
  type HandlerDefinition,
  HandlerParamsError,
  HandlerRejection,
  type SqlBuilder,
  type Value,
} from './contract.js';

const NEEDS = 'convert needs params.map (an object of "from": "to" pairs; each "to" a string or null)';

export const convert: HandlerDefinition = {
  name: 'convert',
  description:
    'Maps the value through a table; NULL stays NULL. params: { "map": { from: to | null }, "default"?: string | null, "keepUnmapped"?: boolean } ' +
    '(a value not in the map: the default, or kept as it is with keepUnmapped, else the row is rejected)',
  create(params) {
    const map = params.map;
    if (typeof map !== 'object' || map === null || Array.isArray(map)) throw new HandlerParamsError(NEEDS);
    const pairs: [string, string | null][] = [];
    for (const [from, to] of Object.entries(map)) {
      if (typeof to !== 'string' && to !== null) {
        throw new HandlerParamsError(
          `${NEEDS}; params.map["${from}"] is ${JSON.stringify(to) ?? 'undefined'}`,
        );
      }
      pairs.push([from, to]);
    }
    const fallback = params.default;
    if (fallback !== undefined && typeof fallback !== 'string' && fallback !== null) {
      throw new HandlerParamsError('convert: params.default must be a string or null (or left out)');
    }
    const keepUnmapped = params.keepUnmapped;
    if (keepUnmapped !== undefined && typeof keepUnmapped !== 'boolean') {
      throw new HandlerParamsError('convert: params.keepUnmapped must be true or false (or left out)');
    }
    if (keepUnmapped === true && fallback !== undefined) {
      throw new HandlerParamsError(
        'convert: give either params.default (a value not in the map becomes it) or params.keepUnmapped (it stays as it is), not both',
      );
    }
    const hasDefault = ('default' in params && fallback !== undefined) || keepUnmapped === true;
    // Keyed by each key's UTF-8 bytes as a binary string, so strings and Buffers look up alike.
    const table = new Map(pairs.map(([from, to]) => [Buffer.from(from, 'utf8').toString('binary'), to]));

    const transform = (value: Value): Value => {
      if (value === null) return null;
      const key = Buffer.isBuffer(value)
        ? value.toString('binary')
        : Buffer.from(value, 'utf8').toString('binary');
      const mapped = table.get(key);
      if (mapped !== undefined) return mapped;
      if (fallback !== undefined) return fallback;
      if (keepUnmapped === true) return value;
      const shown = Buffer.isBuffer(value) ? `0x${value.toString('hex')}` : value;
      throw new HandlerRejection(`value "${shown}" is not in the convert map and no default is given`);
    };
    if (!hasDefault) return { transform };

    // Without a default (or keepUnmapped) a miss rejects the row, which SQL cannot express: then there is no sql().
    const sql = (builder: SqlBuilder): string => {
      const literal = (v: string | null): string => (v === null ? 'NULL' : builder.literal(v));
      const self = builder.self;
      const whens = pairs.map(
        ([from, to]) =>
          ` WHEN CAST(${self} AS BINARY) = CAST(${builder.literal(from)} AS BINARY) THEN ${literal(to)}`,
      );
      const otherwise = keepUnmapped === true ? self : literal(fallback ?? null);
      return `CASE WHEN ${self} IS NULL THEN NULL${whens.join('')} ELSE ${otherwise} END`;
    };
    return { transform, sql };
  },
};

/**
 * truncateSuffix: removes a fixed ending from a value (e.g. ".html" from Magento 1 URL keys).
 * Matching is exact (case-sensitive); a Buffer is matched against the suffix's UTF-8 bytes.
 */
import { type HandlerDefinition, HandlerParamsError } from './contract.js';

export const truncateSuffix: HandlerDefinition = {
  name: 'truncateSuffix',
  description:
    'Removes the suffix when the value ends with it; otherwise unchanged. params: { "suffix": string }',
  create(params) {
    const suffix = params.suffix;
    if (typeof suffix !== 'string' || suffix === '') {
      throw new HandlerParamsError('truncateSuffix needs params.suffix (a non-empty string, e.g. ".html")');
    }
    const suffixBytes = Buffer.from(suffix, 'utf8');
    // MySQL counts characters as code points, JS string length counts UTF-16 units.
    const characters = [...suffix].length;
    return {
      transform(value) {
        if (value === null) return null;
        if (Buffer.isBuffer(value)) {
          const end = value.length - suffixBytes.length;
          return end >= 0 && value.subarray(end).equals(suffixBytes) ? value.subarray(0, end) : value;
        }
        return value.endsWith(suffix) ? value.slice(0, value.length - suffix.length) : value;
      },
      // Compared as bytes, so the SQL is as case-sensitive as the JS (a collation would ignore case).
      // On a binary column RIGHT/CHAR_LENGTH count bytes: the same as the JS for an ASCII suffix.
      sql(builder) {
        const self = builder.self;
        return (
          `IF(CAST(RIGHT(${self}, ${characters}) AS BINARY) = CAST(${builder.literal(suffix)} AS BINARY), ` +
          `LEFT(${self}, CHAR_LENGTH(${self}) - ${characters}), ${self})`
        );
      },
    };
  },
};

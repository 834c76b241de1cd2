/**
 * truncate: makes a value fit a shorter destination column. Values longer than `length`
 * characters (bytes for a Buffer, as MySQL counts a binary column) are cut to `length`; with
 * `reject: true` such a row is rejected instead, with its length in the reason, so nothing is
 * cut silently. Shorter values and NULL pass unchanged.
 */
import { type HandlerDefinition, HandlerParamsError, HandlerRejection } from './contract.js';

export const truncate: HandlerDefinition = {
  name: 'truncate',
  description:
    'Cuts values longer than length characters to length (or, with reject: true, rejects those rows). params: { "length": number, "reject"?: boolean }',
  create(params) {
    const length = params.length;
    if (typeof length !== 'number' || !Number.isInteger(length) || length < 1) {
      throw new HandlerParamsError(
        'truncate needs params.length (a whole number >= 1: the destination column size)',
      );
    }
    if (params.reject !== undefined && typeof params.reject !== 'boolean') {
      throw new HandlerParamsError('truncate: params.reject must be true or false');
    }
    const reject = params.reject === true;
    const tooLong = (size: number, unit: string): never => {
      throw new HandlerRejection(
        `value is ${size} ${unit}, longer than ${length} (truncate with reject: true)`,
      );
    };
    return {
      transform(value) {
        if (value === null) return null;
        if (Buffer.isBuffer(value)) {
          if (value.length <= length) return value;
          return reject ? tooLong(value.length, 'bytes') : value.subarray(0, length);
        }
        // MySQL counts characters as code points; a JS string's length counts UTF-16 units.
        if (value.length <= length) return value;
        const characters = [...value];
        if (characters.length <= length) return value;
        return reject ? tooLong(characters.length, 'characters') : characters.slice(0, length).join('');
      },
      // Rejecting needs the tool to see each row; cutting is LEFT(), so INSERT ... SELECT can still copy.
      ...(reject ? {} : { sql: (builder) => `LEFT(${builder.self}, ${length})` }),
    };
  },
};

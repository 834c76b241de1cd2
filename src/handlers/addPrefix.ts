/** addPrefix: puts a fixed text in front of a value (e.g. a path or a code that gained a namespace). */
import { type HandlerDefinition, HandlerParamsError } from './contract.js';

export const addPrefix: HandlerDefinition = {
  name: 'addPrefix',
  description: 'Puts a fixed text in front of the value; NULL stays NULL. params: { "prefix": string }',
  create(params) {
    const prefix = params.prefix;
    if (typeof prefix !== 'string') throw new HandlerParamsError('addPrefix needs params.prefix (a string)');
    const prefixBytes = Buffer.from(prefix, 'utf8');
    return {
      transform(value) {
        if (value === null) return null;
        return Buffer.isBuffer(value) ? Buffer.concat([prefixBytes, value]) : prefix + value;
      },
      sql: (builder) => `CONCAT(${builder.literal(prefix)}, ${builder.self})`,
    };
  },
};

/** setValue: writes one fixed value into a field, whatever the source held (e.g. a new store id). */
import { type HandlerDefinition, HandlerParamsError } from './contract.js';

export const setValue: HandlerDefinition = {
  name: 'setValue',
  description: 'Sets the field to a fixed value. params: { "value": string | null }',
  create(params) {
    const value = params.value;
    if (!('value' in params) || (typeof value !== 'string' && value !== null)) {
      throw new HandlerParamsError('setValue needs params.value (a string or null)');
    }
    return {
      transform: () => value,
      sql: (builder) => (value === null ? 'NULL' : builder.literal(value)),
    };
  },
};

/** copyField: fills a field from another field of the same row (e.g. a column that was split in two). */
import { type HandlerDefinition, HandlerParamsError, HandlerRejection } from './contract.js';

export const copyField: HandlerDefinition = {
  name: 'copyField',
  description: 'Copies the value of another field of the same row. params: { "from": field name }',
  create(params) {
    const from = params.from;
    if (typeof from !== 'string' || from === '') {
      throw new HandlerParamsError('copyField needs params.from (the name of a field of the same row)');
    }
    return {
      reads: [from],
      transform(_value, row) {
        const copied = Object.hasOwn(row, from) ? row[from] : undefined;
        if (copied === undefined) throw new HandlerRejection(`copyField: the row has no field "${from}"`);
        return copied;
      },
      sql: (builder) => builder.column(from),
    };
  },
};

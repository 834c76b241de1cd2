/** A stand-in SqlBuilder for handler unit tests; the real one is tested against a database elsewhere. */
import type { SqlBuilder } from '../../src/handlers/contract.js';

export const fakeBuilder: SqlBuilder = {
  self: '`t`.`c`',
  column: (name) => '`t`.`' + name + '`',
  literal: (value) => "'" + value.replace(/\\/g, '\\\\').replace(/'/g, "''") + "'",
};

/**
 * The select list a reader sends. Most columns are read as they are; FLOAT is the exception:
 * MariaDB prints a FLOAT with 6 significant digits (1.0000001 reads as `1`), so it is read as
 * the DOUBLE it widens to exactly (`+ 0E0` works on every MySQL and MariaDB version), and that
 * text writes back to the same FLOAT bits.
 */
import { quoteIdentifier } from './identifiers.js';

export function readColumns(columns: readonly string[], types: readonly string[], alias?: string): string {
  const prefix = alias ? `${quoteIdentifier(alias)}.` : '';
  return columns
    .map((column, i) => {
      const expression = prefix + quoteIdentifier(column);
      return types[i] === 'float' ? `(${expression} + 0E0) AS ${quoteIdentifier(column)}` : expression;
    })
    .join(', ');
}

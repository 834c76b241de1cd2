/**
 * Identifier quoting. Table and column names come from mapping files and live schemas, so
 * every one of them is quoted here before it reaches SQL: a backtick inside a name is
 * doubled, so no name can end the identifier and inject SQL.
 */

/** `name` with embedded backticks doubled. */
export function quoteIdentifier(name: string): string {
  if (name.length === 0) throw new Error('an SQL identifier cannot be empty');
  if (name.includes('\0')) throw new Error('an SQL identifier cannot contain a NUL character');
  return '`' + name.replaceAll('`', '``') + '`';
}

/** `schema`.`table` */
export function qualifiedName(schema: string, table: string): string {
  return `${quoteIdentifier(schema)}.${quoteIdentifier(table)}`;
}

/** A comma-separated list of quoted identifiers, optionally qualified by a table alias. */
export function columnList(columns: readonly string[], alias?: string): string {
  const prefix = alias ? `${quoteIdentifier(alias)}.` : '';
  return columns.map((c) => prefix + quoteIdentifier(c)).join(', ');
}

/**
 * Reads a mysqldump / mariadb-dump file as statements, so an install can be loaded through the
 * tool's own connection (no `mariadb` client needed) and a fixture can be cut out of it.
 *
 * The dump's own format makes this safe: a statement ends on a line that ends with the current
 * delimiter (row values never hold a raw newline; the dump escapes it), and `DELIMITER` lines
 * switch the delimiter around trigger bodies.
 */

/** One statement of a dump and the delimiter it was written with (`;` or, for triggers, `;;`). */
export interface DumpStatement {
  text: string;
  delimiter: string;
}

/** The statements of a dump, in order; comment lines and the client-only sandbox line dropped. */
export function dumpStatements(dump: string): DumpStatement[] {
  const statements: DumpStatement[] = [];
  let delimiter = ';';
  let current: string[] = [];
  for (const line of dump.split('\n')) {
    if (current.length === 0) {
      const trimmed = line.trim();
      if (trimmed === '' || trimmed.startsWith('-- ') || trimmed === '--') continue;
      // mariadb-dump's first line is a command for the mariadb client, not for the server.
      if (trimmed.startsWith('/*M!999999\\- enable the sandbox mode')) continue;
      const switched = /^DELIMITER\s+(\S+)\s*$/i.exec(trimmed);
      if (switched?.[1]) {
        delimiter = switched[1];
        continue;
      }
    }
    current.push(line);
    const end = line.trimEnd();
    if (end.endsWith(delimiter)) {
      const text = current.join('\n').trimEnd();
      statements.push({ text: text.slice(0, text.length - delimiter.length).trim(), delimiter });
      current = [];
    }
  }
  const rest = current.join('\n').trim();
  if (rest) statements.push({ text: rest, delimiter });
  return statements;
}

/** Writes statements back in the dump's format (DELIMITER lines around trigger bodies). */
export function formatDump(statements: DumpStatement[]): string {
  const out: string[] = [];
  for (const s of statements) {
    if (s.delimiter === ';') out.push(`${s.text};`);
    else out.push(`DELIMITER ${s.delimiter}`, `${s.text}${s.delimiter}`, 'DELIMITER ;');
  }
  return `${out.join('\n')}\n`;
}

/**
 * The table a statement belongs to: the table it creates, drops, locks, fills or alters, or
 * the table a trigger fires on. Undefined for session statements (SET, UNLOCK TABLES).
 */
export function statementTable(statement: DumpStatement): string | undefined {
  const text = statement.text;
  const direct =
    /^(?:DROP TABLE IF EXISTS|CREATE TABLE|LOCK TABLES|INSERT INTO)\s+`([^`]+)`/i.exec(text) ??
    /^\/\*!\d+ ALTER TABLE `([^`]+)`/i.exec(text);
  if (direct?.[1]) return direct[1];
  const trigger =
    /\bTRIGGER\s+\S+\s+(?:BEFORE|AFTER)\s+(?:INSERT|UPDATE|DELETE)\s+ON\s+`?([A-Za-z0-9_$]+)`?/i.exec(text);
  return trigger?.[1];
}

/** Tables a statement needs to exist: foreign-key targets of a CREATE TABLE, tables a trigger writes. */
export function statementDependencies(statement: DumpStatement): string[] {
  const text = statement.text;
  const found = new Set<string>();
  if (/^CREATE TABLE/i.test(text)) {
    for (const m of text.matchAll(/REFERENCES `([^`]+)`/g)) if (m[1]) found.add(m[1]);
  } else if (/\bTRIGGER\b/i.test(text)) {
    for (const m of text.matchAll(/\b(?:INTO|UPDATE|FROM)\s+`?([A-Za-z0-9_$]+)`?/gi))
      if (m[1]) found.add(m[1]);
  }
  const own = statementTable(statement);
  if (own) found.delete(own);
  return [...found];
}

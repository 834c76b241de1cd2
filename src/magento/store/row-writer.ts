/**
 * Buffered multi-row INSERTs for the store generator: rows go in ~1000 at a time, so 100,000
 * orders take minutes. Ids are the generator's own (from the table's MAX up), so parents and
 * children are written without reading ids back.
 */
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { qualifiedName, quoteIdentifier } from '../../db/identifiers.js';

export type Row = Record<string, unknown>;

const ROWS_PER_INSERT = 1000;

export class RowWriter {
  /** Rows written, per table. */
  readonly counts: Record<string, number> = {};
  private readonly buffers = new Map<string, { columns: string[]; rows: unknown[][] }>();
  private readonly nextIds = new Map<string, number>();

  constructor(
    readonly conn: Connection,
    readonly schema: string,
    /** The install's table prefix (1.9's `db/table_prefix`), put before every table name. */
    readonly prefix = '',
  ) {
    if (!/^[A-Za-z0-9_]*$/.test(prefix))
      throw new Error(`a table prefix of letters, digits and _ only, got "${prefix}"`);
  }

  /** `{schema}.table` in the generator's own SQL becomes the schema and the prefixed table. */
  private sql(text: string): string {
    return text.replaceAll('{schema}.', `${quoteIdentifier(this.schema)}.${this.prefix}`);
  }

  /** Queues one row; every row of a table has the columns of its first row. */
  async add(table: string, row: Row): Promise<void> {
    let buffer = this.buffers.get(table);
    if (!buffer) {
      buffer = { columns: Object.keys(row), rows: [] };
      this.buffers.set(table, buffer);
    }
    const values = buffer.columns.map((c) => {
      if (!(c in row)) throw new Error(`store generator: a ${table} row lacks column ${c}`);
      return row[c];
    });
    if (Object.keys(row).length !== buffer.columns.length) {
      throw new Error(`store generator: a ${table} row has columns the first one had not`);
    }
    buffer.rows.push(values);
    this.counts[table] = (this.counts[table] ?? 0) + 1;
    if (buffer.rows.length >= ROWS_PER_INSERT) await this.flushTable(table);
  }

  /** The next id of `table`.`column`: the installer's MAX + 1 first, then one more each call. */
  async nextId(table: string, column: string): Promise<number> {
    const key = `${table}.${column}`;
    let last = this.nextIds.get(key);
    if (last === undefined) {
      const [rows] = await this.conn.query<RowDataPacket[]>(
        `SELECT COALESCE(MAX(${quoteIdentifier(column)}), 0) AS id FROM ${qualifiedName(this.schema, this.prefix + table)}`,
      );
      last = Number(rows[0]?.id ?? 0);
    }
    this.nextIds.set(key, last + 1);
    return last + 1;
  }

  async flushTable(table: string): Promise<void> {
    const buffer = this.buffers.get(table);
    if (!buffer || buffer.rows.length === 0) return;
    const rows = buffer.rows;
    buffer.rows = [];
    const columns = buffer.columns.map(quoteIdentifier).join(', ');
    await this.conn.query(
      `INSERT INTO ${qualifiedName(this.schema, this.prefix + table)} (${columns}) VALUES ?`,
      [rows],
    );
  }

  async flush(): Promise<void> {
    for (const table of this.buffers.keys()) await this.flushTable(table);
  }

  /** Runs a statement of the generator's own (an UPDATE after the rows are in) in the store's schema. */
  async execute(sql: string, params: unknown[] = []): Promise<void> {
    await this.flush();
    await this.conn.query(this.sql(sql), params);
  }

  async select<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    await this.flush();
    const [rows] = await this.conn.query<RowDataPacket[]>(this.sql(sql), params);
    return rows as T[];
  }
}

/**
 * The handler extension point. A handler transforms one field's value of one row. Handlers
 * are pure: they never touch a connection. A value a handler cannot convert is reported by
 * throwing {@link HandlerRejection}; the row then goes to the rejected-rows file with the
 * reason, and the rest of the chunk proceeds.
 */

/** A column value exactly as read: text as string, binary as Buffer, SQL NULL as null. */
export type Value = string | Buffer | null;

/** One row, keyed by column name. */
export type Row = Record<string, Value>;

/** Parameters given to a handler in a map file: `"params": { ... }`. */
export type HandlerParams = Readonly<Record<string, unknown>>;

/** Helpers a handler uses to express itself in SQL; identifiers and literals come quoted. */
export interface SqlBuilder {
  /** The quoted source expression of this field (e.g. `src`.`remote_ip`), or NULL if it has none. */
  readonly self: string;
  /** The quoted source expression of another field of the same row. */
  column(name: string): string;
  /** A quoted SQL string literal. */
  literal(value: string): string;
}

/** A handler bound to its params, ready to run on rows. */
export interface FieldHandler {
  /**
   * Returns the field's new value. `row` is the whole row as it stands at this point of the
   * chain (source-shaped for source handlers, destination-shaped for destination handlers).
   */
  transform(value: Value, row: Readonly<Row>): Value;
  /**
   * The same transformation as one SQL expression, when there is one. A document whose
   * handlers all have one can be copied by `INSERT ... SELECT` alone.
   */
  sql?(builder: SqlBuilder): string;
  /** Other fields of the row this handler reads (so the planner selects them). */
  readonly reads?: readonly string[];
}

/** A named handler kind: validates its params and binds them. */
export interface HandlerDefinition {
  readonly name: string;
  /** One line for `--help` and errors: what it does and which params it takes. */
  readonly description: string;
  /** Throws {@link HandlerParamsError} when params are missing or of the wrong type. */
  create(params: HandlerParams): FieldHandler;
}

/** A value the handler cannot convert. The message is the reason written beside the row. */
export class HandlerRejection extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'HandlerRejection';
  }
}

/** Params in a map file that do not fit the handler. Turned into a ConfigError by the loader. */
export class HandlerParamsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HandlerParamsError';
  }
}

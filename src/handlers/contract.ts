/**
 * The handler extension point. A handler transforms one field's value of one row. Handlers
 * never touch a connection: one that needs ids from an id map declares `needs` and is handed
 * lookups the engine loaded per chunk. A value a handler cannot convert is reported by
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

/**
 * Id lookups a handler may use when it declares `needs.idMaps` (src/engine/id-map.ts). The
 * engine loads every id a chunk asks for with one query per map before the chunk is
 * transformed, so `id` is synchronous and never a query per row.
 */
export interface IdLookups {
  /** The destination id the id map `map` gives `sourceId`; undefined when it has none. */
  id(map: string, sourceId: string): string | undefined;
}

/** What a handler needs beyond the row: the id maps it looks ids up in. */
export interface HandlerNeeds {
  readonly idMaps: readonly string[];
  /**
   * `'value'`: the ids it asks its maps for are its own field's value as it arrives (mapId), so
   * the engine collects them from the chunk's rows directly and runs the chain once. Absent: the
   * engine learns them by running the chunk through the handlers once with a recording lookup.
   */
  readonly idsFrom?: 'value';
}

/** A handler bound to its params, ready to run on rows. */
export interface FieldHandler {
  /**
   * Returns the field's new value. `row` is the whole row as it stands at this point of the
   * chain (source-shaped for source handlers, destination-shaped for destination handlers).
   * `lookups` is given when the handler declares `needs`; absent on paths that cannot look
   * ids up, where such a handler must reject the row rather than guess.
   */
  transform(value: Value, row: Readonly<Row>, lookups?: IdLookups): Value;
  /** Declared id maps (see {@link IdLookups}). A handler without `needs` stays pure. */
  readonly needs?: HandlerNeeds;
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

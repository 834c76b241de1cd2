/**
 * A plan says, for one document, everything a step needs to move it: which source table and
 * columns are read, how each destination column is filled, which handlers run, how rows are
 * paged, and whether SQL alone can do the copy. Steps execute plans; they never re-read rules.
 */
import type { FieldHandler } from '../handlers/contract.js';

/** A handler bound to the field it transforms. */
export interface BoundHandler {
  /** The field it writes: a source column for source handlers, a destination column for destination handlers. */
  field: string;
  /** As written in the map file: a built-in name or a module path. */
  name: string;
  handler: FieldHandler;
}

/** How one destination column is filled. */
export interface ColumnMapping {
  destination: string;
  /** The source column it is copied from, or null when only a destination handler fills it. */
  source: string | null;
}

/** Which step copies a document: most go through `migrate data`; the settings map claims some. */
export type DocumentOwner = 'data' | 'settings';

export interface DocumentPlan {
  /** Source document name without prefix: the id in progress, logs and rejected-rows files. */
  document: string;
  destinationDocument: string;
  /** Real table names, prefixes applied. */
  sourceTable: string;
  destinationTable: string;
  owner: DocumentOwner;
  /** Source columns read, in source order: mapped ones, key columns and those handlers read. */
  sourceColumns: string[];
  /** The data types of `sourceColumns`, in the same order. */
  sourceTypes: string[];
  /** Destination columns written, in destination order. */
  columns: ColumnMapping[];
  /** The data types (information_schema DATA_TYPE) of `columns`, in the same order. */
  destinationTypes: string[];
  sourceHandlers: BoundHandler[];
  destinationHandlers: BoundHandler[];
  /** Source columns rows are paged by; null when the table has no usable key. */
  key: string[] | null;
  /** The destination columns the key arrives in, when it arrives untransformed; else null. */
  destinationKey: string[] | null;
  /** True when every handler has an SQL form, so `INSERT ... SELECT` can copy the document. */
  sqlExpressible: boolean;
  estimatedRows: number;
  estimatedBytes: number;
  /**
   * The destination table has an AUTO_INCREMENT column: its LOAD DATA statements take turns on
   * the AUTO-INC lock, so parts written in parallel use INSERTs (insert-values-text.ts).
   */
  destinationAutoIncrement?: boolean;
}

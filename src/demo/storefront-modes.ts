/**
 * How the simulated storefront talks to its database. Real shops do more than plain queries, and
 * each of these habits meets the tool's change tracking differently (issue 11): Magento 2, Java
 * and Node shops prepare statements on the server once per connection and reuse them; extensions
 * run stored procedures; back offices run long reports that hold a table's metadata lock; audit
 * extensions put triggers of their own on the order table. The modes combine freely.
 */

export interface ProcedureMode {
  /** CALLs a second, on a connection of its own. */
  callsPerSecond: number;
  /** Single-row UPDATEs each call makes, in a loop inside the procedure. */
  writesPerCall: number;
}

export interface ReportMode {
  /** How long each report query runs (it holds the order table's metadata lock that long). */
  seconds: number;
  /** The pause between two reports. */
  pauseSeconds: number;
}

export interface StorefrontModes {
  /** Selling connections (default 1), sharing the storefront's rate, as a shop's web workers do. */
  connections?: number;
  /** Server-side prepared statements (mysql2 `execute`), prepared once per connection and reused. */
  prepared?: boolean;
  /** A stored procedure (created in the store) that writes to the order table in a loop, CALLed repeatedly. */
  procedure?: ProcedureMode;
  /** Long report queries aggregating over the order table, one after another on a connection of their own. */
  report?: ReportMode;
  /** AFTER INSERT / UPDATE / DELETE audit triggers on the order table writing into `audit_orders`. */
  ownTriggers?: boolean;
  /**
   * A maintenance flag file, as Magento's `maintenance.flag`: while it exists the shop takes no
   * orders and makes no changes (operations in hand finish); once it is gone it sells again.
   */
  maintenanceFlag?: string;
}

export const DEFAULT_PROCEDURE: ProcedureMode = { callsPerSecond: 20, writesPerCall: 10 };
export const DEFAULT_REPORT: ReportMode = { seconds: 5, pauseSeconds: 1 };

/** The modes as one command-line argument of the storefront process (no secrets in it). */
export function encodeModes(modes: StorefrontModes): string {
  return JSON.stringify(modes);
}

export function decodeModes(text: string | undefined): StorefrontModes {
  if (!text) return {};
  const parsed = JSON.parse(text) as StorefrontModes;
  return {
    connections: Math.max(1, Math.floor(parsed.connections ?? 1)),
    prepared: parsed.prepared === true,
    ownTriggers: parsed.ownTriggers === true,
    procedure: parsed.procedure ? { ...DEFAULT_PROCEDURE, ...parsed.procedure } : undefined,
    report: parsed.report ? { ...DEFAULT_REPORT, ...parsed.report } : undefined,
    ...(parsed.maintenanceFlag ? { maintenanceFlag: parsed.maintenanceFlag } : {}),
  };
}

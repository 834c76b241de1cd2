/**
 * The check report: what `migrate check` found, in the shape `--json` writes and
 * schemas/check-report.schema.json documents. The console table and the HTML page render this
 * same object, so all three always agree. Change the shape only together with the schema and
 * REPORT_VERSION.
 */

/** Bumped with any change to the shape (the schema allows no field it does not list). */
export const REPORT_VERSION = 3;

export const LIVE_SOURCE_NOTE =
  'a live source can differ from the destination until delta has caught up: rows the shop wrote after they were copied show as changed, missing or extra';

/**
 * The report's note, from the change logs as the check ended: empty ones mean every change the
 * shop made had been applied, so a difference is real; waiting changes may explain differences.
 * Without change tracking (null), the general note.
 */
export function liveSourceNote(waiting: ReadonlyMap<string, number> | null): string {
  if (waiting === null || waiting.size === 0) return LIVE_SOURCE_NOTE;
  const pending = [...waiting].filter(([, rows]) => rows > 0);
  if (pending.length === 0) {
    return `the ${waiting.size} change logs were empty when the check ended: delta had applied every change the shop made, so a difference is real`;
  }
  const total = pending.reduce((sum, [, rows]) => sum + rows, 0);
  const list = pending.map(([document, rows]) => `${document} ${rows}`).join(', ');
  return `${total} changes were still waiting in the change logs when the check ended (${list}): differences in those documents may be them; run migrate delta until it has caught up and check again`;
}

/** A key value: text as it is, binary as hex. */
export type ReportKeyValue = string | null | { hex: string };
/** A key, one value per destination key column. */
export type ReportKey = ReportKeyValue[];

export type CheckMode = 'count' | 'deep';
export type DocumentStatus = 'ok' | 'mismatch' | 'skipped';
/** sql: the database hashed; stream: the tool hashed; count: rows counted only. */
export type CheckMethod = 'sql' | 'stream' | 'count';
export type RunState = 'pending' | 'copying' | 'copied' | 'failed';

/** What the progress store says about the last data run of a document. */
export interface LastRun {
  state: RunState;
  rows: number;
  rejected: number;
  /** Wall time of the slowest part (parts run in parallel). */
  seconds: number;
  method: string | null;
  lastError: string | null;
}

export interface DifferenceCounts {
  missing: number;
  extra: number;
  changed: number;
}

/**
 * The counts a report shows: null where the check did not look (a count-only check, or a
 * document `migrate settings` merges). Row counts cannot say which rows are missing, extra or
 * changed, so the report must not print a zero it does not know.
 */
export type ReportedCounts = { [Kind in keyof DifferenceCounts]: number | null };

export const NOT_MEASURED: ReportedCounts = { missing: null, extra: null, changed: null };

export interface DocumentReport {
  document: string;
  destination: string;
  sourceTable: string;
  destinationTable: string;
  status: DocumentStatus;
  method: CheckMethod;
  /** The destination key columns the keys below are given in; null when compared as a whole. */
  key: string[] | null;
  sourceRows: number;
  destinationRows: number;
  /** Rows the data run rejected (progress store); they are in rejected/<document>.jsonl. */
  rejectedRows: number;
  counts: ReportedCounts;
  /** True when every differing row was found by key; false for counts derived from row counts. */
  exact: boolean;
  /** The first differing keys, in key order (at most the report's keyLimit each). */
  missing: ReportKey[];
  extra: ReportKey[];
  changed: ReportKey[];
  /** Key-range chunks compared (0 for a count). */
  chunks: number;
  seconds: number;
  notes: string[];
  lastRun: LastRun | null;
  /** The command that repairs a mismatch (or checks again after the fix); null when it matches. */
  repair: string | null;
}

/** What the map deliberately keeps out of the migration, by its ignore rules. */
export interface LeftBehind {
  source: { documents: string[]; fields: string[] };
  destination: { documents: string[]; fields: string[] };
}

export const NOTHING_LEFT_BEHIND: LeftBehind = {
  source: { documents: [], fields: [] },
  destination: { documents: [], fields: [] },
};

/** One foreign key of the destination and the rows that break it. */
export interface ConstraintReport {
  constraint: string;
  /** The child table as a document name (the destination prefix removed). */
  document: string;
  table: string;
  columns: string[];
  /** The parent table, `schema.table` when it lies in another schema. */
  parentTable: string;
  parentColumns: string[];
  /** Child rows whose non-NULL referencing columns match no parent row. */
  orphans: number;
  /** The child's primary key columns the examples are named by; null without one. */
  key: string[] | null;
  /** The first orphans (at most ORPHAN_EXAMPLES): their key and the values they point at. */
  examples: Array<{ key: ReportKey; references: ReportKey }>;
  /** What to do about the orphans; null when there are none. */
  repair: string | null;
}

/** Referential integrity of the destination over its declared foreign keys. */
export interface ReferentialIntegrity {
  /** Which constraints were verified, in words. */
  scope: string;
  constraints: number;
  /** Constraints with at least one orphan row. */
  violated: number;
  orphanRows: number;
  /** Every constraint verified, violated ones first. */
  checked: ConstraintReport[];
}

/** What a step's or profile's own verification found (src/steps/check/verification.ts). */
export interface VerificationReport {
  name: string;
  scope: string;
  status: 'ok' | 'failed';
  findings: Array<{
    document: string;
    message: string;
    rows: number | null;
    examples: ReportKey[];
    repair: string;
  }>;
}

/** Examples listed per violated constraint. */
export const ORPHAN_EXAMPLES = 5;

export const NO_CONSTRAINTS: ReferentialIntegrity = {
  scope: 'not verified',
  constraints: 0,
  violated: 0,
  orphanRows: 0,
  checked: [],
};

/** Whether the settings merge is complete, planned again from both databases at check time. */
export interface SettingsState {
  status: 'in-sync' | 'differs' | 'failed';
  detail: string;
  repair: string | null;
}

export interface ReportTotals {
  documents: number;
  ok: number;
  mismatch: number;
  skipped: number;
  sourceRows: number;
  destinationRows: number;
  /** Sums over the documents that measured them; null when none did (a count-only check). */
  missing: number | null;
  extra: number | null;
  changed: number | null;
  rejectedRows: number;
}

export interface CheckReport {
  version: typeof REPORT_VERSION;
  tool: string;
  /** When the check started and when this report was made (ISO 8601, UTC). */
  startedAt: string;
  generatedAt: string;
  seconds: number;
  config: string;
  mode: CheckMode;
  /** user@host:port/database of each side (never a password). */
  source: string;
  destination: string;
  note: string;
  /** mismatch when a document differs, a foreign key has orphan rows or a verification failed (exit status 4). */
  status: 'ok' | 'mismatch';
  keyLimit: number;
  totals: ReportTotals;
  documents: DocumentReport[];
  leftBehind: LeftBehind;
  /** null without a settings map. */
  settings: SettingsState | null;
  referentialIntegrity: ReferentialIntegrity;
  /** Verifications steps and profiles added; empty when none did. */
  verifications: VerificationReport[];
}

export function totalsOf(documents: readonly DocumentReport[]): ReportTotals {
  const sum = (pick: (d: DocumentReport) => number) => documents.reduce((t, d) => t + pick(d), 0);
  return {
    documents: documents.length,
    ok: documents.filter((d) => d.status === 'ok').length,
    mismatch: documents.filter((d) => d.status === 'mismatch').length,
    skipped: documents.filter((d) => d.status === 'skipped').length,
    sourceRows: sum((d) => d.sourceRows),
    destinationRows: sum((d) => d.destinationRows),
    missing: measuredSum(documents, 'missing'),
    extra: measuredSum(documents, 'extra'),
    changed: measuredSum(documents, 'changed'),
    rejectedRows: sum((d) => d.rejectedRows),
  };
}

function measuredSum(documents: readonly DocumentReport[], kind: keyof DifferenceCounts): number | null {
  const measured = documents.map((d) => d.counts[kind]).filter((n): n is number => n !== null);
  return measured.length === 0 ? null : measured.reduce((t, n) => t + n, 0);
}

/** How a count the check did not measure is shown: an en dash, "not measured". */
export const NOT_MEASURED_TEXT = '–';

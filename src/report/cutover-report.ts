/**
 * The cut-over report (`migrate cutover --json`, and the HTML page made from it): the window
 * phase by phase, each with its time and what it did, what was verified before and inside the
 * window, and how it ended. Keys are listed as in the check report (text, `{ "hex" }`, null).
 */
import type { DifferenceCounts, ReportKey } from './check-report.js';

export const CUTOVER_REPORT_VERSION = 1;

export type PhaseName = 'before' | 'maintenance_on' | 'drain' | 'verify' | 'go_live' | 'after' | 'abort';

export const PHASE_TITLES: Record<PhaseName, string> = {
  before: 'before downtime',
  maintenance_on: 'maintenance on',
  drain: 'drain',
  verify: 'verify',
  go_live: 'go live',
  after: 'after',
  abort: 'abort',
};

export interface PhaseRecord {
  phase: PhaseName;
  /** ISO 8601, UTC. */
  startedAt: string;
  seconds: number;
  /** `skipped`: the rehearsal does not run the hooks that move traffic (or config.xml has no such hook). */
  status: 'ok' | 'failed' | 'skipped' | 'stopped';
  /** Inside the downtime window (maintenance on up to go live). */
  inWindow: boolean;
  /** What the phase did, one line each. */
  details: string[];
}

export interface VerifiedDocument {
  document: string;
  destination: string;
  status: 'ok' | 'mismatch';
  sourceRows: number;
  destinationRows: number;
  rejectedRows: number;
  /** Keys delta applied since the document's last full deep check, compared row by row; null: not keyed, counted only. */
  keysCompared: number | null;
  counts: DifferenceCounts;
  missing: ReportKey[];
  extra: ReportKey[];
  changed: ReportKey[];
  notes: string[];
}

export interface CutoverReport {
  version: typeof CUTOVER_REPORT_VERSION;
  tool: string;
  config: string;
  source: string;
  destination: string;
  rehearsal: boolean;
  startedAt: string;
  generatedAt: string;
  /** done: the new shop is live; aborted: the old one is back in service (or would be, in a rehearsal). */
  status: 'done' | 'aborted';
  phases: PhaseRecord[];
  /** The downtime: from maintenance on to the end of go live (or of the abort). */
  window: { seconds: number; startedAt: string; endedAt: string } | null;
  /** Documents a full deep check compared before downtime (they had not been verified yet). */
  checkedBefore: Array<{ document: string; status: 'ok' | 'mismatch'; rows: number; differences: number }>;
  verify: VerifiedDocument[];
  /** Why the cut-over was aborted; null when it was not. */
  abort: { phase: PhaseName; reason: string; hookRan: boolean } | null;
}

/**
 * The verification hook: how a step or profile adds its own proof to `migrate check` (e.g. a
 * profile verifying its entities by natural key, beside the row and foreign-key checks). A
 * verification only reads; what it finds is reported like the built-in checks, and a failed
 * one makes the check exit 4. The engine calls each registered verification once per check.
 */
import type { Config } from '../../config/types.js';
import type { DocumentPlan } from '../../mappings/plan.js';
import type { ReportKey, VerificationReport } from '../../report/check-report.js';
import type { Connections } from '../plan-stage.js';

/** What a verification is given: both databases (read them only) and the checked plans. */
export interface VerificationContext {
  config: Config;
  connections: Connections;
  /** The documents this check covers (after --only / --skip). */
  plans: readonly DocumentPlan[];
  /** The config path as repair commands should name it. */
  configPath: string;
}

/** One thing a verification found wrong, named so the operator can find and repair it. */
export interface VerificationFinding {
  /** The document it concerns (destination name). */
  document: string;
  /** What is wrong, in one sentence. */
  message: string;
  /** How many rows are affected; null when not a row count. */
  rows: number | null;
  /** The first affected rows' keys, when there are such. */
  examples: ReportKey[];
  /** What to do next, naming the command where there is one. */
  repair: string;
}

/**
 * Who verified (a step or profile name, the section title), what was verified in words (shown
 * even when all is well), and what was found. The check report carries it as it is.
 */
export interface VerificationResult extends VerificationReport {
  findings: VerificationFinding[];
}

/** A step's or profile's own verification. */
export type Verification = (ctx: VerificationContext) => Promise<VerificationResult>;

/** A result from findings: failed when there is any. */
export function verificationResult(
  name: string,
  scope: string,
  findings: readonly VerificationFinding[],
): VerificationResult {
  return { name, scope, status: findings.length > 0 ? 'failed' : 'ok', findings: [...findings] };
}

/**
 * Runs the verifications one after another (they read whole tables; the check already runs
 * documents in parallel). A verification that throws fails the check with its error: a proof
 * that could not be made is not a pass.
 */
export async function runVerifications(
  verifications: readonly Verification[],
  ctx: VerificationContext,
): Promise<VerificationResult[]> {
  const results: VerificationResult[] = [];
  for (const verify of verifications) results.push(await verify(ctx));
  return results;
}

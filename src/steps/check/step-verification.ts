/**
 * The steps' own verification (Step.verify: merged documents by id map, computed documents by
 * the select's count, a profile's checks) as `migrate check` verifications, so the check proves
 * what `migrate data` proved at the end of its run, at any later time. The check only reads:
 * the steps get a context whose stores are read, never created, and whose rejected-rows log
 * and stop signal go unused by a verify.
 */
import type { Config } from '../../config/types.js';
import { IdMapStore, idMapTableName } from '../../db/id-map-store.js';
import { serverFacts } from '../../db/server-identity.js';
import type { Step, StepCheck, StepContext } from '../../engine/step.js';
import type { Logger } from '../../log.js';
import type { DocumentPlan } from '../../mappings/plan.js';
import { ProgressStore } from '../../progress/store.js';
import { shellWord } from '../../util/shell-word.js';
import { RejectedLog } from '../data/rejected-log.js';
import type { Connections } from '../plan-stage.js';
import {
  type Verification,
  type VerificationContext,
  type VerificationFinding,
  verificationResult,
} from './verification.js';

/**
 * One verification per step that has a `verify`, named `step <name>`. `plans` are all the
 * map's plans (a merge finds its document's plan there even when --only leaves it unchecked).
 */
export function stepVerifications(
  steps: readonly Step[],
  plans: readonly DocumentPlan[],
  log: Logger,
): Verification[] {
  return steps
    .filter((step) => step.verify)
    .map((step) => async (ctx: VerificationContext) => {
      const checks =
        (await step.verify?.(await readOnlyStepContext(ctx.config, ctx.connections, plans, log))) ?? [];
      return verificationResult(
        `step ${step.name}`,
        checks.length > 0 ? checks.map(scopeText).join('; ') : 'nothing to verify',
        checks.filter((c) => !c.ok).map((c) => finding(c, ctx.configPath)),
      );
    });
}

/** What was compared, with both counts: shown even when all is well. */
function scopeText(check: StepCheck): string {
  return `${check.document}: ${check.actual} of ${check.expected} ${check.note}`;
}

function finding(check: StepCheck, configPath: string): VerificationFinding {
  return {
    document: check.document,
    message: `the source says ${check.expected}, the destination holds ${check.actual} (${check.note})`,
    rows: Math.abs(check.expected - check.actual),
    examples: [],
    repair: `migrate data ${shellWord(configPath)} --only ${shellWord(check.document)}`,
  };
}

/**
 * A StepContext for verify only: the progress and id map stores are read as they are (absent
 * before a run: no parts, no entries), nothing is ensured or written.
 */
async function readOnlyStepContext(
  config: Config,
  connections: Connections,
  plans: readonly DocumentPlan[],
  log: Logger,
): Promise<StepContext> {
  const facts = await serverFacts(connections.destination);
  return {
    config,
    source: connections.source,
    destination: connections.destination,
    progress: new ProgressStore(connections.destination, config.options.progressTable),
    idMaps: new IdMapStore(connections.destination, idMapTableName(config.options.progressTable)),
    rejected: new RejectedLog(config.options.rejectedDir),
    stop: { requested: false },
    log,
    maxAllowedPacket: facts.maxAllowedPacket,
    plans,
    onRows: () => {},
  };
}

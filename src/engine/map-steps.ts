/**
 * The steps a run has: the merges and computed documents its map file declares, then the
 * steps its profile adds, in that order. Merges run before the map's bulk copy (the copy looks
 * ids up in the maps they fill); computed documents and profile steps run after it.
 */
import type { MapRules } from '../mappings/map-rules.js';
import { PatternList } from '../mappings/pattern.js';
import type { DocumentPlan } from '../mappings/plan.js';
import { ComputedStep } from './computed-step.js';
import { MergeStep, orderMerges } from './merge-step.js';
import type { Profile } from './profile.js';
import type { Step } from './step.js';

export interface RunSteps {
  /** Run before the bulk copy, in dependency order (see orderMerges once plans are known). */
  merges: MergeStep[];
  /** Run after the bulk copy, in order. */
  after: Step[];
}

export function stepsOf(rules: MapRules, profile: Profile | undefined): RunSteps {
  const merges = [...rules.destination.merge].map(
    ([document, key]) => new MergeStep(document, key, rules.destination.keepIds.has(document)),
  );
  const computed = [...rules.computed].map(([document, c]) => new ComputedStep(document, c.select, c.key));
  const profileSteps = typeof profile?.steps === 'function' ? profile.steps(rules) : (profile?.steps ?? []);
  return { merges, after: [...computed, ...profileSteps] };
}

/** Destination documents the steps fill: the map's resolver treats them as filled, never as unfilled. */
export function claimedDocuments(steps: RunSteps): string[] {
  return [...steps.merges, ...steps.after].flatMap((s) => [...s.documents]);
}

/** The map rules with the steps' documents added to destination.documents.ignore. */
export function rulesWithClaims(rules: MapRules, steps: RunSteps): MapRules {
  const claimed = claimedDocuments(steps);
  if (claimed.length === 0) return rules;
  return {
    ...rules,
    destination: {
      ...rules.destination,
      ignoreDocuments: new PatternList([...rules.destination.ignoreDocuments.patterns, ...claimed]),
    },
  };
}

/** The merges of the selected plans, ordered so every id map is filled before a merge uses it. */
export function selectedMerges(steps: RunSteps, plans: readonly DocumentPlan[]): MergeStep[] {
  return orderMerges(
    steps.merges.filter((m) => m.planOf(plans)),
    plans,
  );
}

/** `--only` / `--skip` on steps: a step runs when one of its documents (or its name) is selected. */
export function selectSteps(
  steps: readonly Step[],
  only?: readonly string[],
  skip?: readonly string[],
): Step[] {
  const onlyList = only?.length ? new PatternList(only) : undefined;
  const skipList = new PatternList(skip ?? []);
  const names = (s: Step) => [s.name, ...s.documents];
  return steps.filter(
    (s) =>
      (!onlyList || names(s).some((n) => onlyList.matches(n))) && !names(s).some((n) => skipList.matches(n)),
  );
}

/**
 * `--only` / `--skip`: document globs matched against the source or the destination name, the
 * same way for every command that takes them.
 */
import { PatternList } from './pattern.js';
import type { DocumentPlan } from './plan.js';

export function selectByGlobs(
  plans: readonly DocumentPlan[],
  only?: readonly string[],
  skip?: readonly string[],
): DocumentPlan[] {
  const onlyList = only?.length ? new PatternList(only) : undefined;
  const skipList = new PatternList(skip ?? []);
  const named = (p: DocumentPlan, list: PatternList) =>
    list.matches(p.document) || list.matches(p.destinationDocument);
  return plans.filter((p) => (!onlyList || named(p, onlyList)) && !named(p, skipList));
}

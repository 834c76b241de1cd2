/**
 * Verification of tax rates, tax rules, sales rules and catalog rules by natural key: each 1.9
 * rate and tax rule by its code, each rule by its name, compared value by value with every id
 * spelled as what it stands for (website, store and group codes, tax class names), and a rule's
 * conditions and actions as decoded trees (1.9's converted as the migration converts them,
 * against 2.4's JSON). A mismatch names the entity and the value. Rows of 2.4's own (its
 * seeded US rates) are not compared. Then the destination's foreign keys of these tables:
 * their rows are copied with foreign key checks off, so none may point at nothing.
 */
import { isDeepStrictEqual } from 'node:util';
import {
  type KeyedEntity,
  RULE_ENTITIES,
  RULE_TABLES,
  type RuleEntity,
  readRuleEntities,
} from '../../../db/magento-rules.js';
import type { Step, StepCheck, StepContext } from '../../../engine/step.js';
import { HandlerRejection } from '../../../handlers/contract.js';
import { PhpSerializeError, toJson, unserialize } from '../../../handlers/php-serialize.js';
import { orphanCheck } from '../orphan-check.js';
import { convertRuleTree } from './rule-conditions.js';

/** Mismatches named in a check's note. */
const NAMED = 3;
const TREES = ['conditions_serialized', 'actions_serialized'];

export class RulesCheck implements Step {
  readonly name = 'tax rates, tax rules, sales and catalog rules by natural key';
  readonly documents: readonly string[] = [];

  async run() {
    return [];
  }

  async verify(ctx: StepContext): Promise<StepCheck[]> {
    const { sourcePrefix, destPrefix } = ctx.config.options;
    const checks: StepCheck[] = [];
    for (const entity of RULE_ENTITIES) {
      const before = await readRuleEntities(
        ctx.source,
        {
          schema: ctx.source.schema,
          prefix: sourcePrefix,
          version: '1.9',
        },
        entity,
      );
      const now = grouped(
        await readRuleEntities(
          ctx.destination,
          { schema: ctx.destination.schema, prefix: destPrefix, version: '2.4' },
          entity,
        ),
      );
      checks.push(compare(entity, grouped(before), now));
    }
    checks.push(
      await orphanCheck(
        ctx,
        RULE_TABLES.map((t) => `${ctx.config.options.destPrefix}${t}`),
        'tax and rule tables foreign keys',
      ),
    );
    return checks;
  }
}

/** Entities by key; several 1.9 rules may share a name, so a key holds a list. */
function grouped(entities: readonly KeyedEntity[]): Map<string, KeyedEntity[]> {
  const byKey = new Map<string, KeyedEntity[]>();
  for (const e of entities) {
    const k = e.key.toLowerCase();
    byKey.set(k, [...(byKey.get(k) ?? []), e]);
  }
  return byKey;
}

function compare(
  entity: RuleEntity,
  before: Map<string, KeyedEntity[]>,
  now: Map<string, KeyedEntity[]>,
): StepCheck {
  let expected = 0;
  let equal = 0;
  let rejected = 0;
  const named: string[] = [];
  for (const [key, sources] of before) {
    const found = [...(now.get(key) ?? [])];
    for (const source of sources) {
      expected++;
      const wanted = expectedValues(source);
      if (wanted === 'rejected') {
        rejected++; // in the rejected-rows file with the reason
        continue;
      }
      // The first 2.4 entity of that key with no difference matches (and is used up).
      let first: string | undefined;
      const index = found.findIndex((candidate) => {
        const difference = firstDifference(wanted, candidate.values);
        first ??= difference;
        return difference === undefined;
      });
      if (index >= 0) {
        found.splice(index, 1);
        equal++;
      } else if (named.length < NAMED) {
        named.push(`${entity} ${JSON.stringify(source.key)}: ${first ?? 'missing in 2.4'}`);
      }
    }
  }
  const ok = equal + rejected === expected;
  return {
    document: ENTITY_DOCUMENTS[entity],
    expected,
    actual: equal + rejected,
    ok,
    note: ok
      ? `${entity}s by ${entity.startsWith('tax') ? 'code' : 'name'}, equal value by value, ids as codes and names${entity.endsWith(' rule') && !entity.startsWith('tax') ? ', conditions as decoded trees' : ''}: ${equal} equal, ${rejected} rejected`
      : `${entity}s differ: ${named.join('; ')}${expected - equal - rejected > named.length ? '; ...' : ''}`,
  };
}

/** The check of each entity is named after its main document, so a repair hint names a real one. */
const ENTITY_DOCUMENTS: Readonly<Record<RuleEntity, string>> = {
  'tax rate': 'tax_calculation_rate',
  'tax rule': 'tax_calculation_rule',
  'sales rule': 'salesrule',
  'catalog rule': 'catalogrule',
};

type Wanted = Record<string, unknown>;

/** The 1.9 values as 2.4 should hold them: trees converted and decoded; 'rejected' if the migration rejects it. */
function expectedValues(source: KeyedEntity): Wanted | 'rejected' {
  const wanted: Wanted = { ...source.values };
  for (const column of TREES) {
    const text = source.values[column];
    if (text === undefined || text === null || text === '') continue;
    try {
      wanted[column] = JSON.parse(toJson(convertRuleTree(unserialize(text))));
    } catch (error) {
      if (error instanceof HandlerRejection || error instanceof PhpSerializeError) return 'rejected';
      throw error;
    }
  }
  return wanted;
}

function firstDifference(wanted: Wanted, stored: Record<string, string | null>): string | undefined {
  for (const [column, value] of Object.entries(wanted)) {
    const have = stored[column] ?? null;
    if (TREES.includes(column) && value !== null && typeof value === 'object') {
      let decoded: unknown;
      try {
        decoded = have === null ? null : JSON.parse(have);
      } catch {
        decoded = have;
      }
      if (!isDeepStrictEqual(value, decoded)) return `${column}: the decoded trees differ`;
      continue;
    }
    if (!sameText(value as string | null, have))
      return `${column}: ${shown(value as string | null)} in 1.9, ${shown(have)} in 2.4`;
  }
  return undefined;
}

/** Equal text, or equal numbers (2.4 widened some decimals: 10.0000 and 10.000000 are one amount). */
function sameText(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  if (a === b) return true;
  const numeric = /^-?\d+(\.\d+)?$/;
  return numeric.test(a) && numeric.test(b) && Number(a) === Number(b);
}

function shown(value: string | null): string {
  return value === null ? 'NULL' : JSON.stringify(value);
}

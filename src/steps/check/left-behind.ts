/**
 * What the map deliberately leaves behind: the documents and fields its ignore rules keep out
 * of the migration, on both sides. Whoever signs off the cut-over must see what was not
 * migrated on purpose, next to the proof that the rest was.
 */
import type { SchemaSnapshot } from '../../db/schema.js';
import { fieldIgnoreRule, type MapRules, type SideRules } from '../../mappings/map-rules.js';
import type { DocumentPlan } from '../../mappings/plan.js';
import type { Resolution } from '../../mappings/resolve.js';
import type { LeftBehind } from '../../report/check-report.js';

export interface LeftBehindInput {
  rules: MapRules;
  resolution: Resolution;
  source: SchemaSnapshot;
  destination: SchemaSnapshot;
  destPrefix: string;
}

export function leftBehindOf(input: LeftBehindInput): LeftBehind {
  const { rules, resolution } = input;
  const plans = resolution.plans;
  const filled = new Set(plans.map((p) => p.destinationDocument));
  const destinationDocuments = [...input.destination.keys()]
    .filter((table) => table.startsWith(input.destPrefix))
    .map((table) => table.slice(input.destPrefix.length))
    .filter((document) => !filled.has(document) && rules.destination.ignoreDocuments.matches(document))
    .sort();
  return {
    source: {
      documents: resolution.ignored.map((i) => i.document).sort(),
      fields: ignoredFields(plans, input.source, (p) => [p.document, p.sourceTable], rules.source, 'source'),
    },
    destination: {
      documents: destinationDocuments,
      fields: ignoredFields(
        plans,
        input.destination,
        (p) => [p.destinationDocument, p.destinationTable],
        rules.destination,
        'destination',
      ),
    },
  };
}

/** `document.field` of every column of a mapped document that an ignore rule (by name or type) matches. */
function ignoredFields(
  plans: readonly DocumentPlan[],
  schema: SchemaSnapshot,
  side: (plan: DocumentPlan) => [document: string, table: string],
  rules: SideRules,
  sideName: 'source' | 'destination',
): string[] {
  const fields = new Set<string>();
  for (const plan of plans) {
    const [document, table] = side(plan);
    for (const column of schema.get(table)?.columns ?? []) {
      const qualified = `${document}.${column.name}`;
      if (fieldIgnoreRule(rules, sideName, qualified, column.dataType)) fields.add(qualified);
    }
  }
  return [...fields].sort();
}

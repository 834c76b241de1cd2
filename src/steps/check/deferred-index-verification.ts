/**
 * `migrate check` fails while a destination table still lacks indexes the copy dropped for speed
 * (src/steps/data/deferred-indexes.ts): its rows may all match, but a store without them is not
 * the store the operator is signing off, and its queries would crawl.
 */
import { qualifiedName } from '../../db/identifiers.js';
import { DeferredIndexStore } from '../../progress/deferred-index-store.js';
import { shellWord } from '../../util/shell-word.js';
import { type Verification, type VerificationFinding, verificationResult } from './verification.js';

export const deferredIndexVerification: Verification = async ({ config, connections, configPath }) => {
  const { destination } = connections;
  const missing = new Map<string, string[]>();
  for (const index of await new DeferredIndexStore(destination, config.options.progressTable).missing())
    missing.set(index.table, [...(missing.get(index.table) ?? []), index.clause]);
  const findings: VerificationFinding[] = [...missing].map(([table, clauses]) => ({
    document: table,
    message: `${clauses.length} index(es) the copy dropped for speed are not built yet`,
    rows: null,
    examples: [],
    repair:
      `run \`migrate data ${shellWord(configPath)}\`: it builds them as soon as the document is copied ` +
      `(or by hand: ALTER TABLE ${qualifiedName(destination.schema, table)} ${clauses.map((c) => `ADD ${c}`).join(', ')})`,
  }));
  return verificationResult('destination indexes', 'every index the copy deferred is built again', findings);
};

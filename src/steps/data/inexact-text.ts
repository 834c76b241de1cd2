/**
 * Exact or rejected: a source text value whose bytes are not valid UTF-8 reaches the copy as
 * those bytes (a Buffer, see src/db/exact-text.ts) instead of text with replacement characters.
 * It cannot be carried on as text without changing it, so its row is rejected with a reason
 * that names the column and shows the bytes.
 */
import { TEXT_TYPES } from '../../db/column-types.js';
import type { Value } from '../../handlers/contract.js';
import { fieldName } from '../../mappings/field-name.js';
import type { DocumentPlan } from '../../mappings/plan.js';

const TEXT = new Set<string>([...TEXT_TYPES, 'enum', 'set']);
const SHOWN_BYTES = 32;
const textIndexes = new WeakMap<DocumentPlan, number[]>();

/** The positions of `plan.sourceColumns` that hold text (a Buffer there is text that did not decode). */
export function textSourceColumns(plan: DocumentPlan): number[] {
  let found = textIndexes.get(plan);
  if (!found) {
    found = plan.sourceTypes.flatMap((type, i) => (TEXT.has(type) ? [i] : []));
    textIndexes.set(plan, found);
  }
  return found;
}

/** Why the row cannot be copied exactly, or null when every text value is text. */
export function inexactText(plan: DocumentPlan, row: readonly Value[]): string | null {
  for (const i of textSourceColumns(plan)) {
    const value = row[i];
    if (!Buffer.isBuffer(value)) continue;
    const shown = value.subarray(0, SHOWN_BYTES).toString('hex').toUpperCase();
    const more = value.length > SHOWN_BYTES ? `... (${value.length} bytes)` : '';
    return (
      `${fieldName(plan.document, plan.sourceColumns[i] ?? '')}: the bytes ${shown}${more} are not valid UTF-8 text, ` +
      'so no destination text can hold them unchanged (they would become U+FFFD replacement characters); ' +
      'correct the value on the source, then retry the rejected rows'
    );
  }
  return null;
}

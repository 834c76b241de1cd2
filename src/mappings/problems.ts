/**
 * What the integrity check finds. Every problem names the document (and field), says what is
 * wrong, and gives the exact rule to add and the file to add it to.
 */

export type Severity = 'error' | 'warning' | 'info';

export type ProblemCode =
  | 'SOURCE_DOCUMENT_UNMAPPED'
  | 'DESTINATION_DOCUMENT_UNFILLED'
  | 'DOCUMENT_RENAME_TARGET_MISSING'
  | 'DOCUMENTS_SHARE_DESTINATION'
  | 'SOURCE_FIELD_UNMAPPED'
  | 'FIELD_RENAME_TARGET_MISSING'
  | 'FIELD_RENAME_WRONG_DOCUMENT'
  | 'FIELDS_SHARE_DESTINATION'
  | 'DESTINATION_FIELD_UNFILLED'
  | 'DESTINATION_FIELD_GENERATED'
  | 'TYPE_NARROWING'
  | 'NO_PAGING_KEY'
  | 'SOURCE_ORPHAN_ROWS'
  | 'HANDLER_FIELD_MISSING'
  | 'RULE_UNUSED'
  /** A merged document whose natural key or id column cannot work (src/engine/merge-step.ts). */
  | 'MERGE_INVALID'
  /** A computed document whose select or destination does not fit (src/engine/computed-step.ts). */
  | 'COMPUTED_INVALID'
  /** The Magento profile's source or destination is not a version it supports (src/profiles/magento-1.9-to-2.4/version). */
  | 'MAGENTO_VERSION_UNSUPPORTED'
  /** A problem a profile's or user's step found in its own integrity check. */
  | 'STEP_INTEGRITY';

export interface Problem {
  severity: Severity;
  code: ProblemCode;
  document: string;
  field?: string;
  message: string;
  /** The rule to add, and where: `add "log_visitor" to source.documents.ignore in map.json`. */
  fix: string;
}

/** `--auto`: errors become warnings, as the Magento tool's `-a` does. */
export function relaxErrors(problems: readonly Problem[]): Problem[] {
  return problems.map((p) => (p.severity === 'error' ? { ...p, severity: 'warning' } : p));
}

export function countBySeverity(problems: readonly Problem[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const p of problems) counts[p.severity]++;
  return counts;
}

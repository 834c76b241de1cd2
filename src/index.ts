/**
 * store-migrate's public entry point (package.json "main": dist/index.js): the contracts a
 * user's module implements — a Handler (one field's value), a Step (work beyond the map), a
 * Profile (a migration path under one name) — and the errors it may throw. A user module
 * imports types from here: `import type { Profile, Step } from 'store-migrate'`.
 */

export { ComputedStep } from './engine/computed-step.js';
export { MergeStep } from './engine/merge-step.js';
export type { Profile } from './engine/profile.js';
export { builtInProfiles, resolveProfile } from './engine/profiles.js';
export type {
  Step,
  StepCheck,
  StepContext,
  StepDocumentResult,
  StepIntegrityContext,
} from './engine/step.js';
export { ConfigError, ERROR_CODES, type ErrorCode, ExitCode, MigrateError } from './errors.js';
export {
  type FieldHandler,
  type HandlerDefinition,
  type HandlerNeeds,
  type HandlerParams,
  HandlerParamsError,
  HandlerRejection,
  type IdLookups,
  type Row,
  type SqlBuilder,
  type Value,
} from './handlers/contract.js';
export { builtInHandlers } from './handlers/registry.js';
export type { Problem, Severity } from './mappings/problems.js';

/**
 * store-migrate's public entry point (package.json "main": dist/index.js): the contracts a
 * user's module implements — a Handler (one field's value), a Step (work beyond the map), a
 * Profile (a migration path under one name) — and the errors it may throw. A user module
 * imports types from here: `import type { Profile, Step } from 'store-migrate'`.
 *
 * It also exports each command's workflow, so a script can run a migration without the CLI:
 * load the config and mapping files, open the connections (and, for a writing workflow, take
 * the run lock), call the workflow with its options and callbacks, and read its typed result.
 */

export { loadConfig } from './config/load-config.js';
export type { Config } from './config/types.js';
export { ComputedStep } from './engine/computed-step.js';
export { MergeStep } from './engine/merge-step.js';
export type { Profile } from './engine/profile.js';
export { builtInProfiles, resolveProfile } from './engine/profiles.js';
export { acquireRunLock, type RunLock } from './engine/run-lock.js';
export type {
  Step,
  StepCheck,
  StepContext,
  StepDocumentResult,
  StepIntegrityContext,
} from './engine/step.js';
export { Throttle } from './engine/throttle.js';
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
export { createLogger, type Logger, type Verbosity } from './log.js';
export type { Problem, Severity } from './mappings/problems.js';
export type { CheckReport } from './report/check-report.js';
export {
  type CheckProgress,
  type CheckWorkflowContext,
  type CheckWorkflowOptions,
  type CheckWorkflowResult,
  runCheckWorkflow,
} from './steps/check/check-workflow.js';
export {
  type PlanWorkflowOptions,
  type PlanWorkflowResult,
  runPlanWorkflow,
} from './steps/check/plan-workflow.js';
export { runStatusWorkflow, type StatusWorkflowResult } from './steps/check/status-workflow.js';
export {
  type CutoverWorkflowOptions,
  type CutoverWorkflowResult,
  requireTrafficHooks,
  runCutoverWorkflow,
} from './steps/cutover/cutover-workflow.js';
export {
  type DataProgress,
  type DataWorkflowContext,
  type DataWorkflowOptions,
  type DataWorkflowUi,
  runDataWorkflow,
} from './steps/data/data-workflow.js';
export { findInstalled, removeInstalled } from './steps/delta/cleanup.js';
export {
  cleanupPrefix,
  cleanupProgressTable,
  type ProgressCleanup,
} from './steps/delta/cleanup-workflow.js';
export {
  type DeltaWorkflowContext,
  type DeltaWorkflowOptions,
  type DeltaWorkflowResult,
  type DeltaWorkflowUi,
  requireDeltaLog,
  runDeltaWorkflow,
} from './steps/delta/delta-workflow.js';
export {
  type Connections,
  closeConnections,
  loadMappingFiles,
  type MappingFiles,
  openConnections,
  openTracker,
} from './steps/plan-stage.js';
export {
  runSettingsWorkflow,
  type SettingsWorkflowContext,
  type SettingsWorkflowResult,
  type SettingsWorkflowUi,
  settingsRules,
} from './steps/settings/settings-workflow.js';

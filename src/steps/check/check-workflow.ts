/**
 * The workflow of `migrate check`, as a library function: resolve the map, compare the selected
 * documents (counts, or deep), the steps' own verification (merges, computed documents, a
 * profile's steps), write the JSON and HTML reports when asked, and remember for `migrate
 * cutover` what a deep check found equal. It returns the report and the exit status; the CLI
 * (src/cli/commands/check.ts) parses, supplies the progress display and renders the report.
 */
import { resolve } from 'node:path';
import type { Config } from '../../config/types.js';
import { selectedMerges, selectSteps } from '../../engine/map-steps.js';
import { ExitCode } from '../../errors.js';
import type { Logger } from '../../log.js';
import { DeferredIndexStore } from '../../progress/deferred-index-store.js';
import { renderCheckHtml } from '../../report/check-html.js';
import type { CheckMode, CheckReport } from '../../report/check-report.js';
import { writePrivateFileAtomic } from '../../util/private-file.js';
import { warnIntegrityErrors } from '../integrity-warning.js';
import { type Connections, type MappingFiles, resolveAgainstDatabases } from '../plan-stage.js';
import { deferredIndexVerification } from './deferred-index-verification.js';
import { beginVerifiedRecord, recordVerified } from './record-verified.js';
import { runCheck } from './run-check.js';
import { selectDocuments } from './select-documents.js';
import { stepVerifications } from './step-verification.js';

export interface CheckWorkflowOptions {
  /** The config path as the operator typed it, for the commands the report suggests. */
  configArg: string;
  mode: CheckMode;
  only?: string[];
  skip?: string[];
  /** Keys listed per document for each of missing, extra, changed. */
  keyLimit?: number;
  /** Source rows per checksummed key range (deep). */
  chunkRows?: number;
  /** Paths to write the JSON report and the HTML page to. */
  json?: string;
  html?: string;
}

/** The check's progress as the CLI shows it (src/cli/progress-display.ts). */
export interface CheckProgress {
  document(name: string, total: number, done: number): void;
  rows(name: string, rows: number): void;
  finish(name: string): void;
  stop(): void;
}

export interface CheckWorkflowContext {
  config: Config;
  files: MappingFiles;
  connections: Connections;
  log: Logger;
  /** Starts the progress display. */
  progress(): CheckProgress;
}

export interface CheckWorkflowResult {
  report: CheckReport;
  /** ok, or volume (4) when a document differs, a foreign key has orphans or a verification failed. */
  exitCode: ExitCode;
}

/** Runs `migrate check` on open connections. The caller closes them. */
export async function runCheckWorkflow(
  context: CheckWorkflowContext,
  options: CheckWorkflowOptions,
): Promise<CheckWorkflowResult> {
  const { config, files, connections, log } = context;
  const resolution = await resolveAgainstDatabases(config, files, connections);
  warnIntegrityErrors(
    log,
    resolution.problems,
    options.configArg,
    'documents it cannot resolve are not checked',
  );
  const selected = selectDocuments(resolution.plans, options.only, options.skip);
  const steps = files.steps ?? { merges: [], after: [] };
  const verifiedSteps = [
    ...selectedMerges(steps, selected),
    ...selectSteps(steps.after, options.only, options.skip),
  ];
  // A merged document keeps the destination's seeded rows, so its counts differ by design: the
  // merge's own verification (its id map against the source) proves it instead.
  const merged = new Set(steps.merges.map((m) => m.document));
  const plans = selected.filter((p) => !merged.has(p.destinationDocument));
  log.info(`${options.mode === 'deep' ? 'deep check' : 'check'} of ${plans.length} documents...`);
  // A deep check remembers what it found equal, so `migrate cutover` need not compare it again.
  const verified =
    options.mode === 'deep'
      ? await beginVerifiedRecord(connections.destination, config.options.progressTable)
      : undefined;
  const display = context.progress();
  let report: CheckReport;
  try {
    report = await runCheck(config, connections, plans, {
      mode: options.mode,
      keyLimit: options.keyLimit,
      chunkRows: options.chunkRows,
      ...(files.deltaLog ? { deltaLog: files.deltaLog } : {}),
      configPath: options.configArg,
      signOff: { files, resolution },
      rewrittenBy: new Map(steps.after.flatMap((s) => (s.rewrites ?? []).map((d) => [d, s.name] as const))),
      verifications: [
        // Only where a copy ever deferred an index: elsewhere there is nothing it could find.
        ...((await new DeferredIndexStore(connections.destination, config.options.progressTable).exists())
          ? [deferredIndexVerification]
          : []),
        ...stepVerifications(verifiedSteps, resolution.plans, log),
      ],
      filledTables: [
        ...selected.filter((p) => merged.has(p.destinationDocument)).map((p) => p.destinationTable),
        ...verifiedSteps.flatMap((s) => s.documents).map((d) => `${config.options.destPrefix}${d}`),
      ],
      onDocument: (document, total) => display.document(document, total, 0),
      onRows: (document, rows) => display.rows(document, rows),
    });
    for (const d of report.documents) display.finish(d.document);
  } finally {
    display.stop();
  }
  if (options.json)
    log.info(`JSON report: ${writeReport(options.json, `${JSON.stringify(report, null, 2)}\n`)}`);
  if (options.html) log.info(`HTML report: ${writeReport(options.html, renderCheckHtml(report))}`);
  if (verified) {
    await recordVerified(verified, report).catch((error: unknown) =>
      log.warn(`could not record the documents found equal, for migrate cutover: ${String(error)}`),
    );
  }
  return { report, exitCode: report.status === 'mismatch' ? ExitCode.volume : ExitCode.ok };
}

/** Reports name rows and values: readable by their owner only, and never half-written. */
function writeReport(path: string, text: string): string {
  const file = resolve(path);
  writePrivateFileAtomic(file, text);
  return file;
}

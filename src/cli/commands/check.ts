/**
 * `migrate check <config>`: the proof for the cut-over. Row counts per document, or with
 * --deep every row compared by key-range checksums; a console table, and on request a JSON
 * report (schemas/check-report.schema.json) and a self-contained HTML page. Also verifies the
 * destination's foreign keys (orphan rows). Exit 4 on any difference or orphan row; the report
 * files are written either way.
 */
import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { ExitCode, MigrateError } from '../../errors.js';
import type { Logger } from '../../log.js';
import { mismatchAdvice } from '../../report/check-advice.js';
import { renderCheckHtml } from '../../report/check-html.js';
import type { CheckReport } from '../../report/check-report.js';
import { formatCheck } from '../../report/check-text.js';
import { beginVerifiedRecord, recordVerified } from '../../steps/check/record-verified.js';
import { DEFAULT_CHUNK_ROWS, DEFAULT_KEY_LIMIT, runCheck } from '../../steps/check/run-check.js';
import { selectDocuments } from '../../steps/check/select-documents.js';
import {
  closeConnections,
  loadMappingFiles,
  openConnections,
  resolveAgainstDatabases,
} from '../../steps/plan-stage.js';
import { writePrivateFileAtomic } from '../../util/private-file.js';
import { commandContext, type GlobalArgs } from '../context.js';
import { warnIntegrityErrors } from '../integrity-warning.js';
import { createProgressDisplay } from '../progress-display.js';

export interface CheckArgs extends GlobalArgs {
  config: string;
  deep?: boolean;
  json?: string;
  html?: string;
  only?: string[];
  skip?: string[];
  keys?: number;
  chunkSize?: number;
}

export const command = 'check <config>';
export const describe =
  'compare source and destination per document: row counts, or with --deep every row by checksum';

export function builder(yargs: Argv): Argv<CheckArgs> {
  return yargs
    .positional('config', { type: 'string', describe: 'path to config.xml', demandOption: true })
    .option('deep', {
      type: 'boolean',
      describe: 'compare every row (key-range checksums, bisected down to the differing keys)',
    })
    .option('json', {
      type: 'string',
      describe: 'write the report as JSON (schemas/check-report.schema.json)',
    })
    .option('html', { type: 'string', describe: 'write the report as one self-contained HTML page' })
    .option('only', {
      type: 'string',
      array: true,
      describe: 'check only documents matching these globs (source or destination names)',
    })
    .option('skip', { type: 'string', array: true, describe: 'leave out documents matching these globs' })
    .option('keys', {
      type: 'number',
      default: DEFAULT_KEY_LIMIT,
      describe: 'keys listed per document for each of missing, extra, changed',
    })
    .option('chunk-size', {
      type: 'number',
      default: DEFAULT_CHUNK_ROWS,
      describe: 'source rows per checksummed key range (--deep)',
    })
    .check((argv) => {
      const keys = Number(argv.keys);
      const chunkSize = Number(argv.chunkSize);
      if (!Number.isInteger(keys) || keys < 0) throw usageError('--keys takes a whole number >= 0');
      if (!Number.isInteger(chunkSize) || chunkSize < 2)
        throw usageError('--chunk-size takes a whole number >= 2');
      return true;
    })
    .example('$0 check config.xml', 'row counts per document')
    .example(
      '$0 check config.xml --deep --json check.json --html check.html',
      'compare every row; write both reports',
    ) as Argv<CheckArgs>;
}

export async function handler(args: CheckArgs): Promise<number> {
  const { log, config } = await commandContext(args);
  const files = await loadMappingFiles(config);
  const connections = await openConnections(config);
  try {
    const resolution = await resolveAgainstDatabases(config, files, connections);
    warnIntegrityErrors(log, resolution.problems, args.config, 'documents it cannot resolve are not checked');
    const plans = selectDocuments(resolution.plans, args.only, args.skip);
    const mode = args.deep ? 'deep' : 'count';
    log.info(`${mode === 'deep' ? 'deep check' : 'check'} of ${plans.length} documents...`);
    // A deep check remembers what it found equal, so `migrate cutover` need not compare it again.
    const verified =
      mode === 'deep'
        ? await beginVerifiedRecord(connections.destination, config.options.progressTable)
        : undefined;
    const display = createProgressDisplay(checkWording(log), Boolean(process.stderr.isTTY));
    let report: CheckReport;
    try {
      report = await runCheck(config, connections, plans, {
        mode,
        keyLimit: args.keys,
        chunkRows: args.chunkSize,
        ...(files.deltaLog ? { deltaLog: files.deltaLog } : {}),
        configPath: args.config,
        signOff: { files, resolution },
        onDocument: (document, total) => display.document(document, total, 0),
        onRows: (document, rows) => display.rows(document, rows),
      });
      for (const d of report.documents) display.finish(d.document);
    } finally {
      display.stop();
    }
    if (args.json) {
      const file = await writeReport(args.json, `${JSON.stringify(report, null, 2)}\n`);
      log.info(`JSON report: ${file}`);
    }
    if (args.html) {
      const file = await writeReport(args.html, renderCheckHtml(report));
      log.info(`HTML report: ${file}`);
    }
    if (verified) {
      await recordVerified(verified, report).catch((error: unknown) =>
        log.warn(`could not record the documents found equal, for migrate cutover: ${String(error)}`),
      );
    }
    log.result(formatCheck(report));
    if (report.status === 'mismatch') {
      log.error(mismatchAdvice(report, args.config, files.deltaLog !== undefined));
      return ExitCode.volume;
    }
    return ExitCode.ok;
  } finally {
    await closeConnections(connections);
  }
}

/** Reports name rows and values: readable by their owner only, and never half-written. */
async function writeReport(path: string, text: string): Promise<string> {
  const file = resolve(path);
  writePrivateFileAtomic(file, text);
  return file;
}

/** The progress display's periodic line speaks of copying; a check reads. */
function checkWording(log: Logger): Logger {
  return { ...log, info: (text: string) => log.info(text.replace(/^copied /, 'checked ')) };
}

export function usageError(message: string): MigrateError {
  return new MigrateError(message, {
    code: 'USAGE',
    exitCode: ExitCode.usage,
    hint: 'see `migrate check --help`',
  });
}

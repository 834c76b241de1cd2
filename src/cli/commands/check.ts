/**
 * `migrate check <config>`: the proof for the cut-over. Row counts per document, or with
 * --deep every row compared by key-range checksums; a console table, and on request a JSON
 * report (schemas/check-report.schema.json) and a self-contained HTML page. Also verifies the
 * destination's foreign keys (orphan rows) and runs the steps' own verification. Exit 4 on any
 * difference, orphan row or failed verification; the report files are written either way.
 * Parses and renders; the workflow is src/steps/check/check-workflow.ts.
 */
import type { Argv } from 'yargs';
import { ExitCode, MigrateError } from '../../errors.js';
import type { Logger } from '../../log.js';
import { mismatchAdvice } from '../../report/check-advice.js';
import { formatCheck } from '../../report/check-text.js';
import { runCheckWorkflow } from '../../steps/check/check-workflow.js';
import { DEFAULT_CHUNK_ROWS, DEFAULT_KEY_LIMIT } from '../../steps/check/run-check.js';
import { closeConnections, loadMappingFiles, openConnections } from '../../steps/plan-stage.js';
import { commandContext, type GlobalArgs } from '../context.js';
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
    const { report, exitCode } = await runCheckWorkflow(
      {
        config,
        files,
        connections,
        log,
        progress: () => createProgressDisplay(checkWording(log), Boolean(process.stderr.isTTY)),
      },
      {
        configArg: args.config,
        mode: args.deep ? 'deep' : 'count',
        only: args.only,
        skip: args.skip,
        keyLimit: args.keys,
        chunkRows: args.chunkSize,
        json: args.json,
        html: args.html,
      },
    );
    log.result(formatCheck(report));
    if (report.status === 'mismatch')
      log.error(mismatchAdvice(report, args.config, files.deltaLog !== undefined));
    return exitCode;
  } finally {
    await closeConnections(connections);
  }
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

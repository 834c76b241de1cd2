/**
 * `migrate cutover <config>`: the downtime window as one command (src/steps/cutover/): before
 * downtime, maintenance on, drain, verify, go live, each timed; an abort hook when anything
 * fails or Ctrl+C inside the window. Parses, wires Ctrl+C and renders the window; the workflow
 * (the window and its reports) is src/steps/cutover/cutover-workflow.ts.
 */
import type { Argv } from 'yargs';
import { ExitCode, MigrateError } from '../../errors.js';
import { formatCutover } from '../../report/cutover-text.js';
import { requireTrafficHooks, runCutoverWorkflow } from '../../steps/cutover/cutover-workflow.js';
import { DEFAULT_DRAIN_PERIOD_MS } from '../../steps/cutover/run-cutover.js';
import { loadMappingFiles } from '../../steps/plan-stage.js';
import { commandContext, type GlobalArgs } from '../context.js';
import { handleStopSignals } from '../stop-signal.js';
import { commandLine } from '../writing-run.js';

export interface CutoverArgs extends GlobalArgs {
  config: string;
  drainPeriod?: number;
  rehearse?: boolean;
  stopDelta?: boolean;
  json?: string;
  html?: string;
}

export const command = 'cutover <config>';
export const describe =
  'the downtime window: maintenance on, drain the change logs, verify, go live; abort hook on failure';

export function builder(yargs: Argv): Argv<CutoverArgs> {
  return yargs
    .positional('config', { type: 'string', describe: 'path to config.xml', demandOption: true })
    .option('drain-period', {
      type: 'number',
      default: DEFAULT_DRAIN_PERIOD_MS,
      describe: 'ms the change logs must stay empty after maintenance is on, so in-flight writes finish',
    })
    .option('rehearse', {
      type: 'boolean',
      describe:
        'the whole sequence without the hooks that move traffic (maintenance_on, go_live, abort); prints the window it would take',
    })
    .option('stop-delta', {
      type: 'boolean',
      describe: 'ask a running `migrate delta` of this pair to finish its batch and exit, then take over',
    })
    .option('json', {
      type: 'string',
      describe: 'the report as JSON (default: cutover-report.json beside config.xml)',
    })
    .option('html', {
      type: 'string',
      describe: 'the report as one HTML page (default: cutover-report.html beside config.xml)',
    })
    .check((argv) => {
      const drain = Number(argv.drainPeriod);
      if (!Number.isInteger(drain) || drain < 0) {
        throw new MigrateError('--drain-period takes whole milliseconds >= 0', {
          code: 'USAGE',
          exitCode: ExitCode.usage,
          hint: 'e.g. --drain-period 5000',
        });
      }
      return true;
    })
    .example('$0 cutover config.xml --rehearse', 'time the window on a copy of the store, no traffic moved')
    .example(
      '$0 cutover config.xml --stop-delta',
      'the cut-over, taking over from a running delta',
    ) as Argv<CutoverArgs>;
}

export async function handler(args: CutoverArgs): Promise<number> {
  const { log, config } = await commandContext(args);
  const files = await loadMappingFiles(config);
  const rehearse = Boolean(args.rehearse);
  requireTrafficHooks({ config, configPath: args.config, rehearse });
  let inWindow = false;
  const { stop, dispose } = handleStopSignals(
    log,
    {
      first: inWindow
        ? 'aborting the cut-over: the abort hook puts the old shop back in service'
        : 'stopping',
      second: 'stopped at once',
    },
    () =>
      inWindow
        ? 'the cut-over is aborting: wait for the abort hook, which puts the old shop back in service'
        : undefined,
  );
  try {
    log.info(
      `cutover${rehearse ? ' rehearsal (no traffic hooks)' : ''}: drain period ${(Number(args.drainPeriod ?? DEFAULT_DRAIN_PERIOD_MS) / 1000).toFixed(1)} s`,
    );
    const outcome = await runCutoverWorkflow({
      config,
      files,
      log,
      stop,
      commandLine: commandLine(),
      configPath: args.config,
      drainPeriodMs: Number(args.drainPeriod ?? DEFAULT_DRAIN_PERIOD_MS),
      rehearse,
      stopDelta: Boolean(args.stopDelta),
      onWindow: (open) => {
        inWindow = open;
      },
      json: args.json,
      html: args.html,
    });
    log.result(formatCutover(outcome.report));
    log.info(`reports: ${outcome.jsonFile} and ${outcome.htmlFile}`);
    if (outcome.exitCode === ExitCode.ok) log.result(outcome.summary);
    else log.error(outcome.summary);
    return outcome.exitCode;
  } finally {
    dispose();
  }
}

/**
 * The workflow of `migrate cutover`, as a library function: refuse a real cut-over without the
 * hooks that move traffic, run the window (src/steps/cutover/run-cutover.ts), and write its JSON
 * and HTML reports (beside config.xml unless paths are given). It returns the outcome and where
 * the reports are; the CLI (src/cli/commands/cutover.ts) parses, wires Ctrl+C and renders.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ConfigError } from '../../errors.js';
import { renderCutoverHtml } from '../../report/cutover-html.js';
import { hasHook } from './hooks.js';
import { type CutoverOptions, type CutoverOutcome, runCutover } from './run-cutover.js';

export interface CutoverWorkflowOptions extends CutoverOptions {
  /** Where to write the reports (default: cutover-report.json / .html beside config.xml). */
  json?: string;
  html?: string;
}

export interface CutoverWorkflowResult extends CutoverOutcome {
  /** Absolute paths of the reports written. */
  jsonFile: string;
  htmlFile: string;
}

/** A real cut-over moves traffic through hooks: without them, only a rehearsal may run. */
export function requireTrafficHooks(
  options: Pick<CutoverOptions, 'config' | 'configPath' | 'rehearse'>,
): void {
  const missing = (['maintenance_on', 'go_live', 'abort'] as const).filter(
    (hook) => !hasHook(options.config, hook),
  );
  if (options.rehearse || missing.length === 0) return;
  throw new ConfigError(
    `config.xml has no ${missing.map((h) => `<${h}>`).join(', ')} in <hooks>; the cut-over needs them to move traffic`,
    {
      code: 'CUTOVER_HOOKS_MISSING',
      hint: `add <hooks><maintenance_on>...</maintenance_on><go_live>...</go_live><abort>...</abort></hooks> to config.xml (see config.xml.example), or time the window first with \`migrate cutover ${options.configPath} --rehearse\``,
    },
  );
}

/** Runs the cut-over and writes its reports. */
export async function runCutoverWorkflow(options: CutoverWorkflowOptions): Promise<CutoverWorkflowResult> {
  const outcome = await runCutover(options);
  const folder = dirname(options.config.file);
  const jsonFile = await writeReport(
    options.json ?? join(folder, 'cutover-report.json'),
    `${JSON.stringify(outcome.report, null, 2)}\n`,
  );
  const htmlFile = await writeReport(
    options.html ?? join(folder, 'cutover-report.html'),
    renderCutoverHtml(outcome.report),
  );
  return { ...outcome, jsonFile, htmlFile };
}

async function writeReport(path: string, text: string): Promise<string> {
  const file = resolve(path);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, text);
  return file;
}

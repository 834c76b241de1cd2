/** Runs the check library against a config file, as the CLI does, for tests that inspect the report. */
import assert from 'node:assert/strict';
import { loadConfig } from '../../../src/config/load-config.js';
import type { CheckReport, DocumentReport } from '../../../src/report/check-report.js';
import { type CheckOptions, runCheck } from '../../../src/steps/check/run-check.js';
import {
  closeConnections,
  loadMappingFiles,
  openConnections,
  resolveAgainstDatabases,
} from '../../../src/steps/plan-stage.js';

export async function check(configFile: string, options: CheckOptions): Promise<CheckReport> {
  const config = await loadConfig(configFile);
  const files = await loadMappingFiles(config);
  const connections = await openConnections(config);
  try {
    const { plans } = await resolveAgainstDatabases(config, files, connections);
    return await runCheck(config, connections, plans, options);
  } finally {
    await closeConnections(connections);
  }
}

export function documentOf(report: CheckReport, document: string): DocumentReport {
  const found = report.documents.find((d) => d.document === document);
  assert.ok(found, `${document} is in the report`);
  return found;
}

/** The report's documents that differ, by name. */
export function mismatching(report: CheckReport): string[] {
  return report.documents.filter((d) => d.status === 'mismatch').map((d) => d.document);
}

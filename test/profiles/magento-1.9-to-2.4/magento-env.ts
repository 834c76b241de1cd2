/**
 * The profile's tests' Magento pair: m1gen's test/support/magento.ts (the real 1.9.3.2 and 2.4.8
 * installs from ../shared/magento, else the schema fixture) with the names these tests use,
 * and `sql` for reads and hand-written source rows across both schemas.
 */

import { adminConnection } from '../../support/database.js';
import { createMagentoPair } from '../../support/magento.js';

export interface MagentoEnv {
  dir: string;
  configFile: string;
  m1: string;
  m2: string;
}

export async function createMagentoEnv(label: string, opts: { options?: string } = {}): Promise<MagentoEnv> {
  const pair = await createMagentoPair(label, {
    options: `<rejected_dir>rejected</rejected_dir>${opts.options ?? ''}`,
  });
  return { dir: pair.dir, configFile: pair.configFile, m1: pair.sourceSchema, m2: pair.destSchema };
}

/** Runs SQL on the test server (multiple statements allowed); returns the last result's rows. */
export async function sql<T = Record<string, unknown>>(text: string, bindings: unknown[] = []): Promise<T[]> {
  const conn = await adminConnection();
  try {
    const [result] = await conn.query(text, bindings);
    return result as T[];
  } finally {
    await conn.end();
  }
}

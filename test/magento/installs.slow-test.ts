import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { RowDataPacket } from 'mysql2/promise';
import { fixtureDir, sharedInstallsDir } from '../../src/magento/installs.js';
import { adminConnection } from '../support/database.js';
import { createMagentoPair } from '../support/magento.js';

async function scalar(sql: string, params: unknown[] = []): Promise<unknown> {
  const conn = await adminConnection();
  try {
    const [rows] = await conn.query<RowDataPacket[]>(sql, params);
    return Object.values(rows[0] ?? {})[0];
  } finally {
    await conn.end();
  }
}

async function tableCount(schema: string): Promise<number> {
  return Number(
    await scalar('SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?', [schema]),
  );
}

/** Foreign keys of `schema` whose referenced table is not in it. */
async function danglingForeignKeys(schema: string): Promise<number> {
  return Number(
    await scalar(
      `SELECT COUNT(*) FROM information_schema.REFERENTIAL_CONSTRAINTS r
       LEFT JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = r.UNIQUE_CONSTRAINT_SCHEMA AND t.TABLE_NAME = r.REFERENCED_TABLE_NAME
       WHERE r.CONSTRAINT_SCHEMA = ? AND t.TABLE_NAME IS NULL`,
      [schema],
    ),
  );
}

async function checkInstalls(origin: 'shared' | 'fixture') {
  const pair = await createMagentoPair(`inst_${origin}`, { origin });
  assert.equal(pair.origin, origin);
  // The installer's rows are there: 1.9's EAV attributes and admin/default stores, 2.4's stores and triggers.
  assert.ok(Number(await scalar(`SELECT COUNT(*) FROM \`${pair.sourceSchema}\`.eav_attribute`)) > 100);
  assert.equal(Number(await scalar(`SELECT COUNT(*) FROM \`${pair.sourceSchema}\`.core_store`)), 2);
  assert.equal(
    await scalar(`SELECT version FROM \`${pair.sourceSchema}\`.core_resource WHERE code = 'core_setup'`),
    '1.6.0.6',
  );
  assert.equal(Number(await scalar(`SELECT COUNT(*) FROM \`${pair.destSchema}\`.store`)), 2);
  assert.ok(Number(await scalar(`SELECT COUNT(*) FROM \`${pair.destSchema}\`.eav_attribute`)) > 100);
  const triggers = Number(
    await scalar('SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?', [
      pair.destSchema,
    ]),
  );
  assert.ok(triggers > 50, `2.4 indexer triggers loaded (${triggers})`);
  assert.equal(await danglingForeignKeys(pair.sourceSchema), 0);
  assert.equal(await danglingForeignKeys(pair.destSchema), 0);
  const config = await readFile(pair.configFile, 'utf8');
  assert.match(config, /<profile>magento-1\.9-to-2\.4<\/profile>/);
  return pair;
}

describe('Magento installs', () => {
  it('loads our schema fixture into a 1.9 and a 2.4 schema with the tables the list names', async () => {
    const pair = await checkInstalls('fixture');
    const lists = JSON.parse(await readFile(join(fixtureDir(), 'fixture-tables.json'), 'utf8')) as {
      '1.9': string[];
      '2.4': string[];
    };
    assert.ok((await tableCount(pair.sourceSchema)) >= lists['1.9'].length);
    assert.ok((await tableCount(pair.destSchema)) >= lists['2.4'].length);
  });

  it('loads the real installs from shared/ when they are there', { skip: !sharedInstallsDir() }, async () => {
    const pair = await checkInstalls('shared');
    assert.equal(await tableCount(pair.sourceSchema), 336);
    assert.equal(await tableCount(pair.destSchema), 361);
  });
});

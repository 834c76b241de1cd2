import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { test } from 'node:test';
import type { RowDataPacket } from 'mysql2';
import { configValues, editSettingsMap, insertConfig, sql } from '../steps/settings/helpers.js';
import { runCli } from '../support/cli.js';
import { adminConnection } from '../support/database.js';
import { createStoreEnv } from '../support/store-env.js';

/** The per-action lists a settings run prints (`insert (3):` then indented rows), by action. */
function printedLists(stdout: string): Record<string, string[]> {
  const lists: Record<string, string[]> = {};
  let current: string[] | undefined;
  for (const line of stdout.split('\n')) {
    const head = /^([a-z-]+) \((\d+)\):$/.exec(line);
    if (head) {
      current = [];
      lists[head[1] ?? ''] = current;
    } else if (current && line.startsWith('  ')) current.push(line.trim());
    else current = undefined;
  }
  return lists;
}

/** The counts table a settings run prints: action -> rows. */
function printedCounts(stdout: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const match of stdout.matchAll(/^([a-z-]+)\s+(\d+)$/gm)) counts[match[1] ?? ''] = Number(match[2]);
  return counts;
}

/** `scope:id path` of a printed row: the label without "(from ...)" and "[rule]". */
const keyOfLabel = (label: string) => label.split(' ').slice(0, 2).join(' ');

/** Every row of the destination's settings and store tables, whole (ids and timestamps too). */
async function snapshot(schema: string): Promise<string> {
  const conn = await adminConnection();
  try {
    const parts: unknown[] = [];
    for (const table of ['core_config_data', 'store_website', 'store_group', 'store']) {
      const [rows] = await conn.query<RowDataPacket[]>(`SELECT * FROM \`${schema}\`.\`${table}\` ORDER BY 1`);
      parts.push(rows);
    }
    return JSON.stringify(parts);
  } finally {
    await conn.end();
  }
}

async function seedDestination(schema: string): Promise<void> {
  await insertConfig(schema, {
    'default:0 only/in/destination': 'new platform',
    'default:0 general/locale/code': 'de_DE',
    'default:0 payment/checkmo/title': 'Mine',
    'default:0 currency/options/base': 'USD',
  });
  await sql(
    `SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_AUTO_VALUE_ON_ZERO');
     INSERT INTO \`${schema}\`.store_website VALUES (0, 'admin', 'Admin', 0, 0, 0), (1, 'base', 'Old Main', 0, 1, 1);
     INSERT INTO \`${schema}\`.store VALUES (0, 'admin', 0, 0, 'Admin', 0, 1);`,
  );
}

test('migrate settings --dry-run predicts exactly what the real run then does', async () => {
  const env = await createStoreEnv('cli_set_dry');
  await seedDestination(env.destSchema);
  const before = await configValues(env.destSchema);
  const beforeRows = await snapshot(env.destSchema);

  const dry = await runCli(['settings', env.configFile, '--dry-run', '-v']);
  assert.equal(dry.status, 0, dry.stderr);
  assert.equal(await snapshot(env.destSchema), beforeRows, 'a dry run writes nothing');
  assert.match(dry.stderr, /dry run: nothing was written/);
  const predicted = printedLists(dry.stdout);
  const predictedCounts = printedCounts(dry.stdout);
  assert.deepEqual(Object.keys(predicted), [
    'insert',
    'update',
    'unchanged',
    'keep-destination',
    'destination-only',
    'ignored',
    'encrypted-skipped',
  ]);
  for (const [kind, rows] of Object.entries(predicted))
    assert.equal(rows.length, predictedCounts[kind], kind);
  assert.deepEqual(predicted.update, ['default:0 general/locale/code']);
  assert.deepEqual(predicted['keep-destination'], [
    'default:0 payment/checkmo/title [keepDestination "payment/*"]',
  ]);
  assert.deepEqual(predicted['destination-only'], ['default:0 only/in/destination']);
  assert.ok(
    predicted.insert?.includes('default:0 design/header/welcome_text (from default:0 design/header/welcome)'),
  );
  assert.ok(predicted.ignored?.includes('default:0 dev/log/active [ignore "dev/*"]'));
  assert.match(dry.stdout, /store_website update: 1 \(name\)/);
  assert.match(dry.stdout, /store insert: 1, 2, 3/);

  const real = await runCli(['settings', env.configFile, '-v']);
  assert.equal(real.status, 0, real.stderr);
  assert.deepEqual(printedLists(real.stdout), predicted, 'the real run reports the plan the dry run printed');
  assert.deepEqual(printedCounts(real.stdout), predictedCounts);
  assert.match(real.stdout, /store_website update: 1 \(name\)/);
  assert.match(real.stdout, /volume check: every source row of the 3 store documents is in the destination/);

  // And the database agrees: exactly the predicted keys were added and changed, nothing removed.
  const after = await configValues(env.destSchema);
  const added = [...after.keys()].filter((k) => !before.has(k)).sort();
  const changed = [...after.keys()].filter((k) => before.has(k) && before.get(k) !== after.get(k)).sort();
  const removed = [...before.keys()].filter((k) => !after.has(k));
  assert.deepEqual(added, (predicted.insert ?? []).map(keyOfLabel).sort());
  assert.deepEqual(changed, (predicted.update ?? []).map(keyOfLabel).sort());
  assert.deepEqual(removed, []);
});

test('migrate settings is idempotent: a second run changes nothing', async () => {
  const env = await createStoreEnv('cli_set_twice');
  await seedDestination(env.destSchema);
  const first = await runCli(['settings', env.configFile]);
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stdout, /settings check: the destination holds every value the plan wrote/);
  assert.match(
    first.stderr,
    /payment\/paypal\/password \(default:0\): encrypted with the old platform's key, not copied/,
  );
  const afterFirst = await snapshot(env.destSchema);

  const second = await runCli(['settings', env.configFile]);
  assert.equal(second.status, 0, second.stderr);
  const counts = printedCounts(second.stdout);
  assert.deepEqual([counts.insert, counts.update], [0, 0]);
  assert.ok((counts.unchanged ?? 0) > 300);
  assert.match(second.stdout, /core_website\s+store_website\s+2\s+0\s+0\s+2\s+1/);
  assert.equal(await snapshot(env.destSchema), afterFirst, 'not a byte changed, ids and timestamps included');
  assert.match(await readFile(`${env.dir}/migration.log`, 'utf8'), /settings: merged and verified/);
});

test('a malformed settings map exits 2, naming the file and the place; nothing is written', async () => {
  const env = await createStoreEnv('cli_set_bad');
  const original = await readFile(env.settingsFile, 'utf8');

  await writeFile(env.settingsFile, original.replace('"dev/*", ', '"dev/*" '));
  const syntax = await runCli(['settings', env.configFile]);
  assert.equal(syntax.status, 2, syntax.stderr);
  assert.match(syntax.stderr, new RegExp(`error MAP_FILE_MALFORMED \\(${env.settingsFile}:\\d+:\\d+\\)`));

  await writeFile(env.settingsFile, original);
  await editSettingsMap(env, (map) => {
    map.ignore = 'dev/*';
    map.keepDestinaton = [];
  });
  const schema = await runCli(['settings', env.configFile]);
  assert.equal(schema.status, 2, schema.stderr);
  assert.match(schema.stderr, /MAP_FILE_INVALID/);
  assert.match(schema.stderr, /\/ignore: must be array/);
  assert.match(schema.stderr, /unknown key "keepDestinaton"/);

  await writeFile(env.settingsFile, original);
  await editSettingsMap(env, (map) => {
    map.transform = [{ path: 'web/*', handler: 'setValu', params: { value: '1' } }];
  });
  const handler = await runCli(['settings', env.configFile]);
  assert.equal(handler.status, 2, handler.stderr);
  assert.match(
    handler.stderr,
    /HANDLER_UNKNOWN.*\/transform\/0 \("web\/\*"\): unknown handler "setValu" \(did you mean "setValue"\?\)/,
  );

  assert.equal((await configValues(env.destSchema)).size, 0);
});

test('a settings table or column missing on a side exits 3 with what to fix', async () => {
  const env = await createStoreEnv('cli_set_integrity');
  await sql(
    `ALTER TABLE \`${env.destSchema}\`.core_config_data CHANGE scope_id scopeid int NOT NULL DEFAULT 0`,
  );
  const column = await runCli(['settings', env.configFile, '--dry-run']);
  assert.equal(column.status, 3, column.stderr);
  assert.match(
    column.stdout,
    /error\s+SETTINGS_COLUMN_MISSING: "columns": \{ "scopeId": "scope_id" \} in settings.json names a column the destination table core_config_data does not have/,
  );
  assert.match(
    column.stdout,
    /fix: did you mean "scopeid"\? set "columns": \{ "scopeId": "scopeid" \} in settings.json/,
  );
  assert.match(column.stderr, /integrity check failed/);
  assert.doesNotMatch(
    column.stdout,
    /ALTER TABLE/,
    'no advice to change the table around a name that does not match',
  );

  // A typo in settings.json: the column it names does not exist; nothing advises an ALTER TABLE to suit it.
  await sql(
    `ALTER TABLE \`${env.destSchema}\`.core_config_data CHANGE scopeid scope_id int NOT NULL DEFAULT 0`,
  );
  await editSettingsMap(env, (map) => {
    map.columns = { scope: 'scope', scopeId: 'scope_id', path: 'path', value: 'valeu' };
  });
  const typo = await runCli(['settings', env.configFile, '--dry-run']);
  assert.equal(typo.status, 3, typo.stderr);
  assert.match(
    typo.stdout,
    /"value": "valeu" \} in settings.json names a column the source table core_config_data does not have/,
  );
  assert.match(typo.stdout, /fix: did you mean "value"\?/);
  assert.doesNotMatch(typo.stdout, /ALTER TABLE|SETTINGS_COLUMN_UNFILLED|SETTINGS_NO_UNIQUE_KEY/);
  await editSettingsMap(env, (map) => {
    map.columns = { scope: 'scope', scopeId: 'scope_id', path: 'path', value: 'value' };
  });

  await editSettingsMap(env, (map) => {
    map.table = 'core_confg_data';
  });
  const table = await runCli(['settings', env.configFile]);
  assert.equal(table.status, 3, table.stderr);
  assert.match(
    table.stdout,
    /SETTINGS_TABLE_MISSING: the source database has no settings table core_confg_data/,
  );
  assert.match(table.stdout, /did you mean "core_config_data"\?/);
});

test('without <settings_map_file> the command says what to add (exit 2)', async () => {
  const env = await createStoreEnv('cli_set_nomap');
  const config = await readFile(env.configFile, 'utf8');
  await writeFile(env.configFile, config.replace(/\s*<settings_map_file>.*<\/settings_map_file>/, ''));
  const result = await runCli(['settings', env.configFile]);
  assert.equal(result.status, 2, result.stderr);
  assert.match(result.stderr, /SETTINGS_MAP_MISSING/);
  assert.match(result.stderr, /next: add <settings_map_file>settings.json<\/settings_map_file>/);
});

test('values that do not stay as written (another writer, a trigger) fail the check with exit 4', async () => {
  const env = await createStoreEnv('cli_set_verify');
  await sql(
    `CREATE TRIGGER \`${env.destSchema}\`.tamper BEFORE INSERT ON \`${env.destSchema}\`.core_config_data
     FOR EACH ROW BEGIN IF NEW.path = 'general/locale/code' THEN SET NEW.value = 'xx_XX'; END IF; END`,
  );
  const result = await runCli(['settings', env.configFile]);
  assert.equal(result.status, 4, result.stderr);
  assert.match(result.stdout, /settings check: 3 values differ from the source after the run/);
  assert.match(result.stdout, /update default:0 general\/locale\/code/);
  assert.match(result.stderr, /does not hold what the run wrote/);
});

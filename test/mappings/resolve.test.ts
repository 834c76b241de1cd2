import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { test } from 'node:test';
import type { MapFile } from '../../src/mappings/map-rules.js';
import type { Problem } from '../../src/mappings/problems.js';
import { runCli } from '../support/cli.js';
import { adminConnection } from '../support/database.js';
import { resolveConfigFile } from '../support/resolve-config.js';
import { createStoreEnv, type StoreEnv } from '../support/store-env.js';

const resolveEnv = (env: StoreEnv) => resolveConfigFile(env.configFile);

async function editMap(env: StoreEnv, edit: (map: MapFile) => void) {
  const map = JSON.parse(await readFile(env.mapFile, 'utf8')) as MapFile;
  edit(map);
  await writeFile(env.mapFile, JSON.stringify(map, null, 2));
}

const errors = (problems: Problem[]) => problems.filter((p) => p.severity === 'error');

test('the demo profile maps v1 to v2 completely', async () => {
  const env = await createStoreEnv('resolve_demo');
  const { plans, problems, ignored } = await resolveEnv(env);
  assert.deepEqual(errors(problems), []);
  assert.deepEqual(ignored.map((i) => i.document).sort(), ['log_url', 'log_visitor']);
  const byName = new Map(plans.map((p) => [p.document, p]));
  assert.equal(byName.get('sales_flat_order')?.destinationDocument, 'sales_order');
  assert.equal(byName.get('core_config_data')?.owner, 'settings');
  assert.equal(byName.get('core_store')?.owner, 'settings');
  assert.equal(byName.get('sales_flat_order')?.owner, 'data');

  const order = byName.get('sales_flat_order');
  assert.ok(order);
  assert.ok(!order.sourceColumns.includes('gift_message_id'));
  assert.deepEqual(order.key, ['entity_id']);
  assert.deepEqual(order.destinationKey, ['entity_id']);
  assert.equal(order.sqlExpressible, true);

  const customer = byName.get('customer_entity');
  assert.deepEqual(
    customer?.columns.find((c) => c.destination === 'vat_id'),
    { destination: 'vat_id', source: 'taxvat' },
  );
  assert.ok(!customer?.sourceColumns.includes('entity_type_id'));

  const items = byName.get('sales_flat_order_item');
  assert.deepEqual(
    items?.sourceHandlers.map((h) => [h.field, h.name]),
    [['product_options', 'serializedToJson']],
  );
  assert.equal(items?.sqlExpressible, false);

  const group = byName.get('core_store_group');
  assert.deepEqual(
    group?.columns.find((c) => c.destination === 'code'),
    { destination: 'code', source: null },
  );

  const narrowing = problems.filter((p) => p.code === 'TYPE_NARROWING');
  assert.deepEqual(
    narrowing.map((p) => `${p.document}.${p.field}`),
    ['customer_address_entity.telephone'],
  );
  assert.match(narrowing[0]?.message ?? '', /shorter string \(varchar\(255\) -> varchar\(64\)\)/);
  // The fix names a built-in handler that exists, with the length and what happens to longer values.
  assert.match(
    narrowing[0]?.fix ?? '',
    /add \{ "field": "customer_address_entity.telephone", "handler": "truncate", "params": \{ "length": 64 \} \} to source.fields.transform in map.json: values longer than 64 are cut to 64; with "reject": true .* rejected instead/,
  );
});

test('a removed rule is named with the exact rule to add', async () => {
  const env = await createStoreEnv('resolve_missing');
  await editMap(env, (map) => {
    map.source!.documents!.ignore = [];
    delete map.source!.fields!.rename;
    map.source!.fields!.ignore = ['*.entity_type_id'];
    map.destination!.fields!.transform = [];
  });
  const { problems } = await resolveEnv(env);
  const byCode = (code: string) =>
    errors(problems)
      .filter((p) => p.code === code)
      .map((p) => `${p.document}${p.field ? `.${p.field}` : ''} => ${p.fix}`);
  assert.deepEqual(byCode('SOURCE_DOCUMENT_UNMAPPED'), [
    'log_url => add "log_url" to source.documents.ignore in map.json, or map it with source.documents.rename: { "log_url": "<destination document>" }',
    'log_visitor => add "log_visitor" to source.documents.ignore in map.json, or map it with source.documents.rename: { "log_visitor": "<destination document>" }',
  ]);
  assert.deepEqual(byCode('SOURCE_FIELD_UNMAPPED'), [
    'customer_entity.taxvat => add "customer_entity.taxvat" to source.fields.ignore in map.json, or rename it with source.fields.rename: { "customer_entity.taxvat": "customer_entity.<field>" }',
    'sales_flat_order.gift_message_id => add "sales_flat_order.gift_message_id" to source.fields.ignore in map.json, or rename it with source.fields.rename: { "sales_flat_order.gift_message_id": "sales_order.<field>" }',
  ]);
  assert.deepEqual(byCode('DESTINATION_FIELD_UNFILLED'), [
    'core_store_group.code => add { "field": "store_group.code", "handler": "setValue", "params": { "value": "..." } } to destination.fields.transform in map.json',
  ]);
  assert.equal(errors(problems).length, 5);
});

test('an unfilled destination document and a near-named source document suggest the rename', async () => {
  const env = await createStoreEnv('resolve_rename');
  await editMap(env, (map) => {
    delete map.source!.documents!.rename!.sales_flat_invoice;
  });
  const { problems } = await resolveEnv(env);
  const found = errors(problems).map((p) => [p.code, p.document, p.fix]);
  assert.deepEqual(found, [
    [
      'SOURCE_DOCUMENT_UNMAPPED',
      'sales_flat_invoice',
      'add "sales_flat_invoice": "sales_invoice" to source.documents.rename in map.json, or add "sales_flat_invoice" to source.documents.ignore',
    ],
    [
      'DESTINATION_DOCUMENT_UNFILLED',
      'sales_invoice',
      'add "sales_flat_invoice": "sales_invoice" to source.documents.rename in map.json, or add "sales_invoice" to destination.documents.ignore',
    ],
  ]);
});

test('identifiers with backticks and quotes are planned, not injected', async () => {
  const env = await createStoreEnv('resolve_quote');
  const conn = await adminConnection();
  await conn.query(
    `CREATE TABLE \`${env.sourceSchema}\`.\`we\`\`ird'\` (id INT PRIMARY KEY, \`va\`\`l"\` INT)`,
  );
  await conn.query(
    `CREATE TABLE \`${env.destSchema}\`.\`we\`\`ird'\` (id INT PRIMARY KEY, \`va\`\`l"\` INT)`,
  );
  await conn.end();
  const { plans, problems } = await resolveEnv(env);
  assert.deepEqual(errors(problems), []);
  const weird = plans.find((p) => p.document === "we`ird'");
  assert.deepEqual(weird?.sourceColumns, ['id', 'va`l"']);

  const insert = await adminConnection();
  await insert.query(`INSERT INTO \`${env.sourceSchema}\`.\`we\`\`ird'\` VALUES (1, 42), (2, NULL)`);
  const copied = await runCli(['data', env.configFile, '--only', "we`ird'"]);
  assert.equal(copied.status, 0, copied.stderr);
  const [rows] = await insert.query(
    `SELECT id, \`va\`\`l"\` AS v FROM \`${env.destSchema}\`.\`we\`\`ird'\` ORDER BY id`,
  );
  await insert.end();
  assert.deepEqual(rows, [
    { id: 1, v: 42 },
    { id: 2, v: null },
  ]);
});

test('a handler module of the user, named by path in the map, runs in the copy', async () => {
  const env = await createStoreEnv('resolve_user_handler');
  await writeFile(
    `${env.dir}/upper.mjs`,
    'export default (value) => (value === null ? null : String(value).toUpperCase());\n',
  );
  await editMap(env, (map) => {
    map.source!.fields!.transform!.push({ field: 'customer_entity.email', handler: './upper.mjs' });
  });
  const copied = await runCli(['data', env.configFile, '--only', 'customer_entity']);
  assert.equal(copied.status, 0, copied.stderr);
  const conn = await adminConnection();
  const [rows] = await conn.query<import('mysql2').RowDataPacket[]>(
    `SELECT s.email AS before_, d.email AS after_ FROM \`${env.sourceSchema}\`.customer_entity s
       JOIN \`${env.destSchema}\`.customer_entity d USING (entity_id) LIMIT 3`,
  );
  await conn.end();
  assert.equal(rows.length, 3);
  for (const row of rows) assert.equal(row.after_, String(row.before_).toUpperCase());
});

test('the truncate rule TYPE_NARROWING suggests is accepted and silences the warning', async () => {
  const env = await createStoreEnv('resolve_truncate');
  await editMap(env, (map) => {
    map.source!.fields!.transform = [
      ...(map.source!.fields!.transform ?? []),
      { field: 'customer_address_entity.telephone', handler: 'truncate', params: { length: 64 } },
    ];
  });
  const { problems, plans } = await resolveEnv(env);
  assert.deepEqual(
    problems.filter((p) => p.code === 'TYPE_NARROWING'),
    [],
  );
  const address = plans.find((p) => p.document === 'customer_address_entity');
  assert.equal(
    address?.sqlExpressible,
    true,
    'truncate has an SQL form: the document can still be copied by SQL',
  );
});

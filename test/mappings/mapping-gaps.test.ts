import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/load-config.js';
import { loadMappingFiles } from '../../src/steps/plan-stage.js';
import { check } from '../steps/check/helpers.js';
import { runCli } from '../support/cli.js';
import { adminConnection } from '../support/database.js';
import { createSchemaPair } from '../support/schema-pair.js';

test('an ignored NOT NULL destination field without a default is an integrity error, not a failure of the run', async () => {
  // MariaDB refuses `INSERT INTO t (id, a) SELECT ...` without a value for `required`, even when
  // the SELECT returns no row (ER_NO_DEFAULT_FOR_FIELD): the dry run must say so first.
  const pair = await createSchemaPair('gap_notnull', {
    source: 'CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR(10))',
    destination: 'CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR(10), required INT NOT NULL)',
    map: { destination: { fields: { ignore: ['t.required'] } } },
  });
  const dry = await runCli(['data', pair.configFile, '--dry-run']);
  const out = dry.stdout + dry.stderr;
  assert.equal(dry.status, 3, out);
  assert.match(
    out,
    /error {3}DESTINATION_FIELD_UNFILLED: destination field t\.required is NOT NULL without a default/,
  );
  assert.match(out, /ignored by destination\.fields\.ignore "t\.required"/);
  assert.match(
    out,
    /fix: add \{ "field": "t\.required", "handler": "setValue", "params": \{ "value": "\.\.\." \} \} to destination\.fields\.transform/,
  );
});

test('fields.ignoreTypes leaves out fields by data type, on either side', async () => {
  const pair = await createSchemaPair('gap_types', {
    source: `CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR(10), shape GEOMETRY NULL, photo MEDIUMBLOB NULL);
      INSERT INTO t VALUES (1, 'x', ST_GeomFromText('POINT(1 1)'), 'img'), (2, 'y', NULL, NULL)`,
    destination: 'CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR(10), area POLYGON NULL)',
  });
  const without = await runCli(['data', pair.configFile, '--dry-run']);
  assert.equal(without.status, 3, 'without the rule the two fields have no destination');
  assert.match(without.stdout, /SOURCE_FIELD_UNMAPPED: source field t\.shape/);
  assert.match(without.stdout, /SOURCE_FIELD_UNMAPPED: source field t\.photo/);

  await writeFile(
    pair.mapFile,
    JSON.stringify({
      source: { fields: { ignoreTypes: ['GEOMETRY', '*blob'] } },
      destination: { fields: { ignoreTypes: ['polygon'] } },
    }),
  );
  const run = await runCli(['data', pair.configFile]);
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /integrity check: no problems/);
  const report = await check(pair.configFile, { mode: 'deep' });
  assert.equal(report.status, 'ok');
  assert.deepEqual(report.documents[0]?.destinationRows, 2);
  // What the type rules left out is listed for sign-off like any ignored field.
  const files = await loadMappingFiles(await loadConfig(pair.configFile));
  assert.deepEqual(files.rules.source.ignoreTypes.patterns, ['geometry', '*blob']);
  const cli = await runCli(['check', pair.configFile]);
  assert.match(cli.stdout, /source fields \(2\): t\.photo, t\.shape/);
  assert.match(cli.stdout, /destination fields \(1\): t\.area/);

  // A misspelt type ignores nothing: the dry run says so.
  await writeFile(pair.mapFile, JSON.stringify({ source: { fields: { ignoreTypes: ['geometery'] } } }));
  const typo = await runCli(['data', pair.configFile, '--dry-run']);
  assert.match(
    typo.stdout,
    /RULE_UNUSED: source\.fields\.ignoreTypes names geometery, a type no source field has/,
  );
});

test('a NOT NULL destination field ignored by its type is an integrity error too', async () => {
  const pair = await createSchemaPair('gap_types_notnull', {
    source: 'CREATE TABLE t (id INT PRIMARY KEY)',
    destination: 'CREATE TABLE t (id INT PRIMARY KEY, area POLYGON NOT NULL)',
    map: { destination: { fields: { ignoreTypes: ['polygon'] } } },
  });
  const dry = await runCli(['data', pair.configFile, '--dry-run']);
  assert.equal(dry.status, 3);
  assert.match(
    dry.stdout,
    /DESTINATION_FIELD_UNFILLED: destination field t\.area is NOT NULL without a default and is ignored by destination\.fields\.ignoreTypes "polygon"/,
  );
});

test('convert keepUnmapped and the relative setValue forms give the same rows by INSERT ... SELECT and by streaming', async () => {
  const map = {
    source: {
      fields: {
        transform: [
          {
            field: 'store_group.state',
            handler: 'convert',
            params: { map: { holded: 'holded_v2' }, keepUnmapped: true },
          },
        ],
      },
    },
    destination: {
      fields: {
        transform: [
          // A constant code would collide on the unique key as soon as there are two groups.
          { field: 'store_group.code', handler: 'setValue', params: { template: 'group_{group_id}' } },
          {
            field: 'store_group.name',
            handler: 'setValue',
            params: { value: 'Default', when: { field: 'group_id', in: ['0'] } },
          },
        ],
      },
    },
  };
  const expected = [
    ['0', 'Default', 'group_0', 'holded_v2'],
    ['1', 'Main', 'group_1', 'new'],
    ['2', 'Second', 'group_2', 'processing'],
  ];
  for (const [direct, method] of [
    ['1', 'insert-select'],
    ['0', 'load-data'],
  ] as const) {
    const pair = await createSchemaPair(`gap_handlers_${direct}`, {
      source: `CREATE TABLE store_group (group_id INT PRIMARY KEY, name VARCHAR(20) NOT NULL, state VARCHAR(20));
        INSERT INTO store_group VALUES (0, 'Admin', 'holded'), (1, 'Main', 'new'), (2, 'Second', 'processing')`,
      destination: `CREATE TABLE store_group (group_id INT PRIMARY KEY, name VARCHAR(20) NOT NULL,
        code VARCHAR(32) NOT NULL UNIQUE, state VARCHAR(20))`,
      map,
      options: `<direct_document_copy>${direct}</direct_document_copy>`,
    });
    const run = await runCli(['data', pair.configFile]);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, new RegExp(`store_group .*${method}`), `copied by ${method}`);
    const conn = await adminConnection();
    try {
      const [rows] = await conn.query({
        sql: `SELECT group_id, name, code, state FROM \`${pair.destSchema}\`.store_group ORDER BY group_id`,
        rowsAsArray: true,
      });
      assert.deepEqual(
        (rows as unknown[][]).map((r) => r.map(String)),
        expected,
      );
    } finally {
      await conn.end();
    }
    const report = await check(pair.configFile, { mode: 'deep' });
    assert.equal(report.status, 'ok', 'the deep check applies the same handlers');
  }
});

test('a handler that reads a field its row does not have is an integrity error, not every row rejected', async () => {
  const pair = await createSchemaPair('gap_reads', {
    source: 'CREATE TABLE g (id INT PRIMARY KEY, name VARCHAR(20)); INSERT INTO g VALUES (1, "a")',
    destination: 'CREATE TABLE g (id INT PRIMARY KEY, name VARCHAR(20), code VARCHAR(20) NOT NULL)',
    map: {
      source: {
        fields: { transform: [{ field: 'g.name', handler: 'copyField', params: { from: 'nmae' } }] },
      },
      destination: {
        fields: {
          transform: [{ field: 'g.code', handler: 'setValue', params: { template: 'g_{group_id}' } }],
        },
      },
    },
  });
  const dry = await runCli(['data', pair.configFile, '--dry-run']);
  assert.equal(dry.status, 3, dry.stdout + dry.stderr);
  assert.match(dry.stdout, /HANDLER_FIELD_MISSING: source handler copyField on g\.name reads field nmae/);
  assert.match(
    dry.stdout,
    /HANDLER_FIELD_MISSING: destination handler setValue on g\.code reads field group_id, which the destination row of g does not have/,
  );
  assert.match(dry.stdout, /fields there: id, name, code/);
});

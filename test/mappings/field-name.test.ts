/**
 * Names with dots, newlines, quotes or backticks get integrity fixes the map file's schema
 * accepts, and the fixes, pasted into map.json, resolve the problem they name.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { test } from 'node:test';
import { fieldName, splitFieldName } from '../../src/mappings/field-name.js';
import type { MapFile } from '../../src/mappings/map-rules.js';
import { runCli } from '../support/cli.js';
import { adminConnection } from '../support/database.js';
import { resolveConfigFile } from '../support/resolve-config.js';
import { configOverSchemas } from '../support/schema-pair-config.js';

test('field names quote a part with a dot in backticks and read back exactly', () => {
  assert.equal(fieldName('t', 'a'), 't.a');
  assert.equal(fieldName('t', 'a.b'), 't.`a.b`');
  assert.equal(fieldName('x.y', 'c'), '`x.y`.c');
  assert.equal(fieldName('t', '`q`.r'), 't.```q``.r`');
  assert.equal(fieldName('t', 'a`b'), 't.a`b');
  for (const [document, field] of [
    ['t', 'a.b'],
    ['x.y', 'c'],
    ['t', '`q`.r'],
    ['t', 'a`b'],
    ['t', 'new\nline'],
    ['t', '*'],
  ] as const) {
    assert.deepEqual(splitFieldName(fieldName(document, field)), { document, field });
  }
  assert.equal(splitFieldName('t'), null);
  assert.equal(splitFieldName('t.a.b'), null);
  assert.equal(splitFieldName('t.`a'), null);
});

test('integrity fixes for names with dots, newlines and quotes are accepted by the schema and resolve the problem', async (t) => {
  const { source, destination, config, mapFile } = await configOverSchemas({ label: 'fieldname' });
  const conn = await adminConnection();
  t.after(() => conn.end());
  await conn.query(
    `CREATE TABLE \`${source}\`.t (id INT PRIMARY KEY, \`a.b\` INT, \`c\nd\` INT, \`e"f\` INT, \`\`\`g\` INT)`,
  );
  await conn.query(`CREATE TABLE \`${destination}\`.t (id INT PRIMARY KEY)`);
  await conn.query(`CREATE TABLE \`${source}\`.\`x.y\` (id INT PRIMARY KEY)`);
  await conn.query(`CREATE TABLE \`${destination}\`.\`x.y\` (id INT PRIMARY KEY, \`n.m\` INT NOT NULL)`);
  await conn.query(`INSERT INTO \`${source}\`.t VALUES (1, 2, 3, 4, 5)`);
  await conn.query(`INSERT INTO \`${source}\`.\`x.y\` VALUES (1)`);

  const dry = await runCli(['data', config, '--dry-run']);
  assert.equal(dry.status, 3, dry.stderr + dry.stdout);

  const { problems } = await resolveConfigFile(config);
  const map: MapFile = { source: { fields: { ignore: [] } }, destination: { fields: { transform: [] } } };
  for (const problem of problems.filter((p) => p.severity === 'error')) {
    const ignore = /^add ("(?:[^"\\]|\\.)*") to source\.fields\.ignore/.exec(problem.fix);
    const transform = /^add \{ "field": ("(?:[^"\\]|\\.)*"), "handler": "setValue"/.exec(problem.fix);
    if (ignore?.[1]) map.source?.fields?.ignore?.push(JSON.parse(ignore[1]));
    else if (transform?.[1])
      map.destination?.fields?.transform?.push({
        field: JSON.parse(transform[1]),
        handler: 'setValue',
        params: { value: '7' },
      });
    else assert.fail(`a fix this test cannot apply: ${problem.fix}`);
  }
  assert.deepEqual(map.source?.fields?.ignore?.sort(), ['t.```g`', 't.`a.b`', 't.c\nd', 't.e"f']);
  assert.deepEqual(
    map.destination?.fields?.transform?.map((r) => r.field),
    ['`x.y`.`n.m`'],
  );
  await writeFile(mapFile, JSON.stringify(map));

  const fixed = await resolveConfigFile(config);
  assert.deepEqual(
    fixed.problems.filter((p) => p.severity === 'error'),
    [],
  );
  const copy = await runCli(['data', config]);
  assert.equal(copy.status, 0, copy.stderr + copy.stdout);
  const [rows] = await conn.query(`SELECT id, \`n.m\` AS nm FROM \`${destination}\`.\`x.y\``);
  assert.deepEqual(rows, [{ id: 1, nm: 7 }]);
  assert.ok((await readFile(mapFile, 'utf8')).includes('t.`a.b`'));
});

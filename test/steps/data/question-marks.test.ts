/**
 * A `?` is only a placeholder where the tool puts one: a `?` in a map value (setValue,
 * addPrefix, convert), in row values, or in a table or column name is copied, checked and
 * predicted like any other character, on the direct INSERT..SELECT and the streamed path.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../../support/cli.js';
import { adminConnection } from '../../support/database.js';
import { configOverSchemas } from '../../support/schema-pair-config.js';
import { check, documentOf } from '../check/helpers.js';

const MAP = {
  destination: {
    fields: {
      transform: [
        { field: 'q?t.v', handler: 'setValue', params: { value: 'set?value??' } },
        { field: 'q?t.p', handler: 'addPrefix', params: { prefix: '?pre?' } },
        { field: 'q?t.s', handler: 'convert', params: { map: { 'a?': 'b?' }, default: 'd?' } },
      ],
    },
  },
};

for (const [name, direct] of [
  ['direct INSERT..SELECT', '1'],
  ['streamed', '0'],
] as const) {
  test(`? in values, map values and names: ${name}`, async (t) => {
    const { source, destination, config, dir } = await configOverSchemas({
      label: 'qmark',
      map: MAP,
      options: `<deltalog_file>deltalog.json</deltalog_file><direct_document_copy>${direct}</direct_document_copy>`,
    });
    await writeFile(join(dir, 'deltalog.json'), JSON.stringify({ prefix: 'cl_', documents: { 'q?t': {} } }));
    const conn = await adminConnection();
    t.after(() => conn.end());
    for (const schema of [source, destination]) {
      await conn.query(
        `CREATE TABLE \`${schema}\`.\`q?t\` (id INT PRIMARY KEY, \`c?1\` VARCHAR(20), v VARCHAR(30), p VARCHAR(30), s VARCHAR(30))`,
      );
    }
    await conn.query(
      `INSERT INTO \`${source}\`.\`q?t\` VALUES (1, 'x?y', 'old', 'p?', 'a?'), (2, '??', NULL, NULL, 'zz'), (3, '?', 'v', '', NULL)`,
    );

    const dry = await runCli(['data', config, '--dry-run']);
    assert.equal(dry.status, 0, dry.stderr + dry.stdout);
    const copy = await runCli(['data', config]);
    assert.equal(copy.status, 0, copy.stderr + copy.stdout);
    const [rows] = await conn.query(`SELECT * FROM \`${destination}\`.\`q?t\` ORDER BY id`);
    assert.deepEqual(
      (rows as Record<string, unknown>[]).map((r) => ({ ...r })),
      [
        { id: 1, 'c?1': 'x?y', v: 'set?value??', p: '?pre?p?', s: 'b?' },
        { id: 2, 'c?1': '??', v: 'set?value??', p: null, s: 'd?' },
        { id: 3, 'c?1': '?', v: 'set?value??', p: '?pre?', s: null },
      ],
    );

    const clean = await check(config, { mode: 'deep', chunkRows: 2 });
    assert.equal(documentOf(clean, 'q?t').method, 'sql');
    assert.equal(clean.status, 'ok');
    await conn.query(`UPDATE \`${destination}\`.\`q?t\` SET \`c?1\` = '?x' WHERE id = 2`);
    const changed = await check(config, { mode: 'deep', chunkRows: 2 });
    assert.deepEqual(documentOf(changed, 'q?t').changed, [['2']]);

    // Delta: triggers, change log and the apply by key, on a table and column named with `?`.
    await conn.query(`UPDATE \`${source}\`.\`q?t\` SET \`c?1\` = 'after?' WHERE id = 1`);
    await conn.query(`DELETE FROM \`${source}\`.\`q?t\` WHERE id = 3`);
    const delta = await runCli(['delta', config, '--until-caught-up', '--quiet-period', '200']);
    assert.equal(delta.status, 0, delta.stderr + delta.stdout);
    const [after] = await conn.query(`SELECT id, \`c?1\` AS c FROM \`${destination}\`.\`q?t\` ORDER BY id`);
    assert.deepEqual(
      (after as Array<{ id: number; c: string }>).map((r) => [r.id, r.c]),
      [
        [1, 'after?'],
        [2, '?x'],
      ],
    );
  });
}

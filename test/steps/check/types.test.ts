import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../../support/cli.js';
import { adminConnection } from '../../support/database.js';
import { configOverSchemas } from '../../support/schema-pair-config.js';
import { check, documentOf } from './helpers.js';

// Widened on the way: INT -> DECIMAL(12,4), DECIMAL(10,2) -> DECIMAL(12,4), INT -> BIGINT (the key
// too), DATETIME -> DATETIME(6), VARCHAR -> CHAR, latin1 -> utf8mb4, FLOAT -> DOUBLE.
const WIDEN_SOURCE = `(id INT UNSIGNED NOT NULL PRIMARY KEY, qty INT, price DECIMAL(10,2), big INT,
  at DATETIME, code VARCHAR(10), note VARCHAR(20) CHARACTER SET latin1, ratio FLOAT, amount DOUBLE) CHARSET utf8mb4`;
const WIDEN_DESTINATION = `(id BIGINT UNSIGNED NOT NULL PRIMARY KEY, qty DECIMAL(12,4), price DECIMAL(12,4), big BIGINT,
  at DATETIME(6), code CHAR(10), note VARCHAR(20) CHARACTER SET utf8mb4, ratio DOUBLE, amount DOUBLE) CHARSET utf8mb4`;
const WIDEN_ROWS = `(1, 5, 12.34, -7, '2024-02-29 12:00:00', 'ab ', 'café', 0.1, 0.30000000000000004),
  (2, -3, 0.01, 2147483647, '0000-00-00 00:00:00', '', 'naïve', 16777217, 1e300),
  (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (4, 0, -99999999.99, 0, '1000-01-01 00:00:00', 'x', '', -1.5, -0.0)`;

for (const [name, options] of [
  ['copied by INSERT..SELECT', '<direct_document_copy>1</direct_document_copy>'],
  ['streamed', '<direct_document_copy>0</direct_document_copy>'],
] as const) {
  test(`types that print differently on each side compare equal, and a change is still found (${name})`, async (t) => {
    const env = await configOverSchemas({ label: 'check_types', options });
    const conn = await adminConnection();
    t.after(() => conn.end());
    await conn.query(`SET SESSION sql_mode = 'NO_ENGINE_SUBSTITUTION'`);
    const s = `\`${env.source}\``;
    const d = `\`${env.destination}\``;
    await conn.query(`CREATE TABLE ${s}.widen ${WIDEN_SOURCE}`);
    await conn.query(`CREATE TABLE ${d}.widen ${WIDEN_DESTINATION}`);
    await conn.query(`INSERT INTO ${s}.widen VALUES ${WIDEN_ROWS}`);
    // DOUBLE -> FLOAT: no SQL prints the stored FLOAT alike on both sides, so the tool hashes it.
    await conn.query(`CREATE TABLE ${s}.narrow (id INT PRIMARY KEY, v DOUBLE)`);
    await conn.query(`CREATE TABLE ${d}.narrow (id INT PRIMARY KEY, v FLOAT)`);
    await conn.query(`INSERT INTO ${s}.narrow VALUES (1, 0.1), (2, 0.5), (3, NULL), (4, 3.4e38)`);
    // No key at all: compared as a whole table.
    await conn.query(`CREATE TABLE ${s}.keyless (a INT, b VARCHAR(10))`);
    await conn.query(`CREATE TABLE ${d}.keyless (a BIGINT, b VARCHAR(20))`);
    await conn.query(`INSERT INTO ${s}.keyless VALUES (1, 'x'), (1, 'x'), (NULL, NULL), (2, '')`);

    const copy = await runCli(['data', env.config]);
    assert.equal(copy.status, 0, copy.stderr + copy.stdout);
    const clean = await check(env.config, { mode: 'deep', chunkRows: 2 });
    assert.equal(clean.status, 'ok', JSON.stringify(clean.documents, null, 1));
    const widen = documentOf(clean, 'widen');
    assert.equal(widen.method, 'sql', widen.notes.join('; '));
    assert.equal(widen.sourceRows, 4);
    const narrow = documentOf(clean, 'narrow');
    assert.equal(narrow.method, 'stream');
    assert.match(narrow.notes.join('; '), /v \(float\) from double/);
    const keyless = documentOf(clean, 'keyless');
    assert.equal(keyless.key, null);
    assert.match(keyless.notes.join('; '), /no usable key: compared as a whole table/);

    // 12.34 arrived as 12.3400; one ten-thousandth more is a change only the DECIMAL(12,4) holds.
    await conn.query(`UPDATE ${d}.widen SET price = price + 0.0001 WHERE id = 1`);
    await conn.query(`UPDATE ${d}.widen SET at = '0000-00-00 00:00:00.000001' WHERE id = 2`);
    await conn.query(`UPDATE ${d}.narrow SET v = 0.2 WHERE id = 1`);
    await conn.query(`UPDATE ${d}.keyless SET b = 'y' WHERE b = 'x' LIMIT 1`);
    const changed = await check(env.config, { mode: 'deep', chunkRows: 2 });
    assert.deepEqual(documentOf(changed, 'widen').changed, [['1'], ['2']]);
    assert.deepEqual(documentOf(changed, 'narrow').changed, [['1']]);
    const whole = documentOf(changed, 'keyless');
    assert.equal(whole.status, 'mismatch');
    assert.equal(whole.exact, false);
    assert.deepEqual(whole.counts, { missing: 0, extra: 0, changed: 1 });
  });
}

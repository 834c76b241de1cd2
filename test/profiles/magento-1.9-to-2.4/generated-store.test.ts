import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RowDataPacket } from 'mysql2';
import type { InstallOrigin } from '../../../src/magento/installs.js';
import { runCli } from '../../support/cli.js';
import { adminConnection } from '../../support/database.js';
import { createMagentoPair } from '../../support/magento.js';

/** Every step check line of a `migrate data` summary, and whether all of them match. */
function stepChecks(stdout: string): string[] {
  const at = stdout.indexOf('step checks:');
  return stdout
    .slice(at)
    .split('\n')
    .filter((l) => /\s(match|MISMATCH)\s/.test(l));
}

for (const origin of ['auto', 'fixture'] as const) {
  test(`a generated 1.9 store (m1gen's generator) migrates with every profile check matching and no orphan rows (installs: ${origin})`, async () => {
    const pair = await createMagentoPair(`mgen_${origin}`, {
      store: { orders: 100 },
      ...(origin === 'fixture' && { origin: 'fixture' as InstallOrigin }),
    });
    const run = await runCli(['data', pair.configFile]);
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
    const checks = stepChecks(run.stdout);
    assert.ok(checks.length >= 20, checks.join('\n'));
    assert.deepEqual(
      checks.filter((l) => l.includes('MISMATCH')),
      [],
    );
    assert.match(
      run.stdout,
      /^catalog_product_entity_varchar\s+([1-9]\d*)\s+\1\s+match\s+values equal by sku/m,
    );
    assert.match(run.stdout, /^url_rewrite \(by request path\)\s+([1-9]\d*)\s+\1\s+match/m);
    // The generator's tax rates and rules, sales and catalog rules, by code and name; the document grids.
    assert.match(run.stdout, /^tax_calculation_rate\s+5\s+5\s+match/m);
    assert.match(run.stdout, /^tax_calculation_rule\s+3\s+3\s+match/m);
    assert.match(
      run.stdout,
      /^salesrule\s+3\s+3\s+match\s+sales rules by name.*conditions as decoded trees/m,
    );
    assert.match(run.stdout, /^catalogrule\s+2\s+2\s+match/m);
    assert.match(run.stdout, /^sales_invoice_grid\s+([1-9]\d*)\s+\1\s+match/m);
    for (const kind of [
      'catalog_product_entity_media_gallery_value',
      'catalog_product_entity_tier_price',
      'catalog_product_option_type_title',
      'catalog_product_bundle_option_value',
    ]) {
      assert.match(
        run.stdout,
        new RegExp(`^${kind} \\(by natural key\\)\\s+([1-9]\\d*)\\s+\\1\\s+match`, 'm'),
      );
    }
    // What the database migration cannot do is said at the end, counted from the 1.9 store.
    const conn = await adminConnection();
    try {
      const [[gallery]] = await conn.query<RowDataPacket[]>(
        `SELECT COUNT(DISTINCT value) AS n FROM \`${pair.sourceSchema}\`.catalog_product_entity_media_gallery`,
      );
      assert.ok(Number(gallery?.n) > 0, 'the generated store has product images');
      assert.match(
        run.stdout,
        new RegExp(`copy 1\\.9's media/ folder into 2\\.4's pub/media/ \\(${gallery?.n} product images`),
      );
    } finally {
      await conn.end();
    }
    assert.match(
      run.stdout,
      /[1-9]\d* configurable option prices \(catalog_product_super_attribute_pricing\)/,
    );
    assert.match(run.stdout, /bin\/magento indexer:reindex/);
    assert.match(
      run.stdout,
      /[1-9]\d* 1\.9 tables hold rows this profile does not migrate yet .*: \w+ \(~\d+ rows\)/,
    );
    assert.doesNotMatch(
      run.stdout,
      /not migrate yet .*directory_country/,
      "installer-owned tables are not the shop's",
    );
    const check = await runCli(['check', pair.configFile]);
    assert.equal(check.status, 0, check.stdout);
    assert.match(check.stdout, /referential integrity: [1-9]\d* foreign keys verified, no orphan rows/);
    // Row by row: the map's documents equal their rules; the value tables whose option ids a step
    // rewrites after the copy are counted, and the catalog values check compares them by sku.
    const deep = await runCli(['check', pair.configFile, '--deep']);
    assert.equal(deep.status, 0, deep.stdout);
    assert.match(deep.stdout, /option values catalog_product_entity_int.*rewrites its values after the copy/);
  });
}

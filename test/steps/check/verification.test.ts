import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatCheck } from '../../../src/report/check-text.js';
import { type Verification, verificationResult } from '../../../src/steps/check/verification.js';
import { reportValidator } from '../../report/report-schema.js';
import { createSchemaPair } from '../../support/schema-pair.js';
import { check } from './helpers.js';

const SCHEMA = 'CREATE TABLE store (store_id INT PRIMARY KEY, code VARCHAR(20) NOT NULL)';

/** A profile-style verification by natural key: every source store code is in the destination. */
const storesByCode: Verification = async ({ connections, plans }) => {
  const plan = plans.find((p) => p.document === 'store');
  assert.ok(plan);
  const codes = async (db: typeof connections.source, table: string) =>
    new Set((await db.query<{ code: string }>(`SELECT code FROM \`${table}\``)).map((r) => r.code));
  const [source, destination] = await Promise.all([
    codes(connections.source, plan.sourceTable),
    codes(connections.destination, plan.destinationTable),
  ]);
  const missing = [...source].filter((code) => !destination.has(code)).sort();
  return verificationResult(
    'stores-by-code',
    'every source store code exists in the destination',
    missing.length
      ? [
          {
            document: 'store',
            message: 'store codes of the source are missing in the destination',
            rows: missing.length,
            examples: missing.map((code) => [code]),
            repair: 'migrate data config.xml --only store',
          },
        ]
      : [],
  );
};

test('a verification a step adds is run by the check, reported, and fails it when it finds something', async () => {
  const pair = await createSchemaPair('verification', {
    source: `${SCHEMA}; INSERT INTO store VALUES (0, 'admin'), (1, 'default')`,
    // Same row count, other codes: a count cannot see it, the verification by natural key does.
    destination: `${SCHEMA}; INSERT INTO store VALUES (0, 'admin'), (1, 'other')`,
  });
  const report = await check(pair.configFile, { mode: 'count', verifications: [storesByCode] });
  assert.deepEqual(reportValidator()(report), []);
  assert.equal(report.totals.mismatch, 0);
  assert.equal(report.status, 'mismatch');
  assert.deepEqual(report.verifications, [
    {
      name: 'stores-by-code',
      scope: 'every source store code exists in the destination',
      status: 'failed',
      findings: [
        {
          document: 'store',
          message: 'store codes of the source are missing in the destination',
          rows: 1,
          examples: [['default']],
          repair: 'migrate data config.xml --only store',
        },
      ],
    },
  ]);
  assert.match(
    formatCheck(report),
    /verification stores-by-code: failed .*\n {2}store: store codes .* \(1 rows\), e\.g\. default/,
  );

  assert.match(
    formatCheck(report),
    /^check \(row counts\): all 1 compared documents match, and a verification failed/,
  );

  const none = await check(pair.configFile, { mode: 'count' });
  assert.deepEqual(none.verifications, []);
  assert.equal(none.status, 'ok');
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { explainUnexpected } from '../../src/cli/unexpected-errors.js';
import { formatError, MigrateError } from '../../src/errors.js';

/** What mysql2 throws when a GRANT is missing (the shape, with the server's own text). */
function refusal(): Error {
  return Object.assign(new Error('SELECT command denied'), {
    code: 'ER_TABLEACCESS_DENIED_ERROR',
    sqlMessage: "SELECT command denied to user 'm2'@'localhost' for table `magento1`.`sales_flat_order`",
  });
}

test('a privilege refusal (say after --skip-preflight) is PRIVILEGES_MISSING with the next step, not UNEXPECTED', () => {
  const error = explainUnexpected(refusal());
  assert.ok(error instanceof MigrateError);
  assert.equal(error.code, 'PRIVILEGES_MISSING');
  assert.equal(error.exitCode, 2);
  const text = formatError(error);
  assert.match(
    text,
    /^error PRIVILEGES_MISSING: the database refused an operation: ER_TABLEACCESS_DENIED_ERROR: SELECT command denied/,
  );
  assert.match(
    text,
    /next: run `migrate preflight <config>`: it lists every missing privilege with the GRANT/,
  );
});

test('a refusal wrapped by a step keeps the step’s context; other errors pass unchanged', () => {
  const wrapped = new MigrateError('the copy failed', {
    code: 'COPY_FAILED',
    context: { step: 'data', document: 'sales_flat_order' },
    cause: refusal(),
  });
  const error = explainUnexpected(wrapped);
  assert.ok(error instanceof MigrateError);
  assert.equal(error.code, 'PRIVILEGES_MISSING');
  assert.equal(error.context.document, 'sales_flat_order');
  const other = new Error('boom');
  assert.equal(explainUnexpected(other), other);
  const copyFailed = new MigrateError('x', { code: 'COPY_FAILED', cause: other });
  assert.equal(explainUnexpected(copyFailed), copyFailed);
});

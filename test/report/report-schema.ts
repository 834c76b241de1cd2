/** Validates a check report against schemas/check-report.schema.json with Ajv in strict mode. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { packageRoot } from '../../src/util/package-root.js';

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export function reportValidator(): (report: unknown) => ErrorObject[] {
  const ajv = new Ajv({ allErrors: true, strict: true });
  ajv.addFormat('date-time', ISO_DATE_TIME);
  const schema = JSON.parse(readFileSync(join(packageRoot(), 'schemas', 'check-report.schema.json'), 'utf8'));
  const validate = ajv.compile(schema);
  return (report) => (validate(report) ? [] : [...(validate.errors ?? [])]);
}

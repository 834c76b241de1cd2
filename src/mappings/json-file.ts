/**
 * Reads a JSON mapping file (map, settings map, delta log list) and validates it against the
 * JSON Schema shipped in schemas/, reporting every problem at once with its JSON path.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { ConfigError } from '../errors.js';
import { packageRoot } from '../util/package-root.js';

export type SchemaName = 'map' | 'settings' | 'deltalog';

const ajv = new Ajv({ allErrors: true, strict: false });
const validators = new Map<SchemaName, ValidateFunction>();

async function validatorFor(name: SchemaName): Promise<ValidateFunction> {
  let validate = validators.get(name);
  if (!validate) {
    const schema = JSON.parse(await readFile(join(packageRoot(), 'schemas', `${name}.schema.json`), 'utf8'));
    validate = ajv.compile(schema);
    validators.set(name, validate);
  }
  return validate;
}

/** Parses and validates `file`; `element` is the config.xml element that named it, for messages. */
export async function loadJsonFile<T>(file: string, schema: SchemaName, element: string): Promise<T> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new ConfigError(`cannot read ${file} (named by <${element}> in config.xml)`, {
      code: 'MAP_FILE_UNREADABLE',
      hint: `check the path in <${element}>; relative paths are resolved against the config file's folder`,
      context: { file },
      cause,
    });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    const { line, column } = jsonErrorPosition(text, cause);
    throw new ConfigError(`${file} is not valid JSON: ${(cause as Error).message}`, {
      code: 'MAP_FILE_MALFORMED',
      hint: 'fix the JSON syntax at that position',
      context: { file, ...(line ? { line, column } : {}) },
      cause,
    });
  }
  const validate = await validatorFor(schema);
  if (!validate(data)) {
    const problems = (validate.errors ?? []).map(describeSchemaError);
    throw new ConfigError(
      `${file} does not match schemas/${schema}.schema.json:\n  - ${problems.join('\n  - ')}`,
      {
        code: 'MAP_FILE_INVALID',
        hint: `fix the listed entries; an editor that reads "$schema" autocompletes this file`,
        context: { file },
      },
    );
  }
  return data as T;
}

function describeSchemaError(error: ErrorObject): string {
  const where = error.instancePath === '' ? '(top level)' : error.instancePath;
  if (error.keyword === 'additionalProperties') {
    const extra = (error.params as { additionalProperty: string }).additionalProperty;
    return `${where}: unknown key "${extra}"`;
  }
  return `${where}: ${error.message ?? error.keyword}`;
}

/** Node's JSON errors name a character position; turn it into line and column. */
function jsonErrorPosition(text: string, error: unknown): { line?: number; column?: number } {
  const match = /position (\d+)/.exec(String((error as Error).message));
  if (!match) return {};
  const offset = Number(match[1]);
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

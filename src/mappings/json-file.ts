/**
 * Reads a JSON mapping file (map, settings map, delta log list) and validates it against the
 * JSON Schema shipped in schemas/, reporting every problem at once with its JSON path.
 */
import { readFile } from 'node:fs/promises';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { ConfigError } from '../errors.js';
import { nearest } from '../util/nearest.js';
// Compiled from schemas/ ahead of time (scripts/compile-schemas.ts), with `verbose` so an error
// carries its schema and an unknown key can be matched against the allowed ones: Ajv's compile
// at every start cost each command about 70 ms (BENCHMARKS.md, issue 16's fifth round).
import * as validators from './schema-validators.js';

export type SchemaName = 'map' | 'settings' | 'deltalog';

function validatorFor(name: SchemaName): ValidateFunction {
  return (validators as Record<SchemaName, ValidateFunction>)[name];
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
    const comma = trailingComma(text);
    const { line, column } = comma ?? jsonErrorPosition(text, cause);
    const reason = comma
      ? `a trailing comma at line ${comma.line}, column ${comma.column}`
      : firstLine(cause);
    throw new ConfigError(`${file} is not valid JSON: ${reason}`, {
      code: 'MAP_FILE_MALFORMED',
      hint: comma
        ? 'remove the comma after the last entry (JSON allows none)'
        : `fix the JSON syntax${line ? ` at line ${line}, column ${column}` : ''}`,
      context: { file, ...(line ? { line, column } : {}) },
      cause,
    });
  }
  const validate = validatorFor(schema);
  if (!validate(data)) {
    const problems = (validate.errors ?? []).map((error) => describeSchemaError(error, data));
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

function describeSchemaError(error: ErrorObject, data: unknown): string {
  const where = error.instancePath === '' ? '(top level)' : error.instancePath;
  if (error.keyword === 'additionalProperties') {
    const extra = (error.params as { additionalProperty: string }).additionalProperty;
    const allowed = Object.keys(
      (error.parentSchema as { properties?: object } | undefined)?.properties ?? {},
    );
    const guess = nearest(
      extra,
      allowed.filter((key) => !(key in (valueAt(data, error.instancePath) ?? {}))),
    );
    return `${where}: unknown key "${extra}"${guess ? ` (did you mean "${guess}"?)` : allowed.length ? ` (allowed: ${allowed.join(', ')})` : ''}`;
  }
  return `${where}: ${error.message ?? error.keyword}`;
}

/** The value at a JSON pointer such as /source/fields, for "did you mean" among the keys not yet used. */
function valueAt(data: unknown, pointer: string): object | undefined {
  let value: unknown = data;
  for (const part of pointer.split('/').slice(1)) {
    value = (value as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return typeof value === 'object' && value !== null ? value : undefined;
}

/**
 * The first comma followed only by whitespace and a closing bracket, outside strings: the most
 * common JSON mistake, for which Node's message gives no position.
 */
export function trailingComma(text: string): { line: number; column: number } | undefined {
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === ',' && /^\s*[}\]]/.test(text.slice(i + 1, i + 200))) {
      const before = text.slice(0, i).split('\n');
      return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
    }
  }
  return undefined;
}

/** Node quotes the whole text in some JSON errors; the first line is the reason. */
function firstLine(error: unknown): string {
  const message = String((error as Error).message);
  return message.split('\n')[0]?.replace(/, "[^"]*$/, '') ?? message;
}

/** Node's JSON errors name a character position; turn it into line and column. */
function jsonErrorPosition(text: string, error: unknown): { line?: number; column?: number } {
  const match = /position (\d+)/.exec(String((error as Error).message));
  if (!match) return {};
  const offset = Number(match[1]);
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

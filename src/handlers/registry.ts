/**
 * Where a handler name in a map file leads: one of the built-in handlers, or a module of the
 * user's, so a user adds a handler without forking the tool.
 */
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '../errors.js';
import { nearest } from '../util/nearest.js';
import { addPrefix } from './addPrefix.js';
import {
  type FieldHandler,
  type HandlerDefinition,
  type HandlerParams,
  HandlerParamsError,
  HandlerRejection,
  type IdLookups,
  type Row,
  type Value,
} from './contract.js';
import { convert } from './convert.js';
import { convertIp } from './convertIp.js';
import { copyField } from './copyField.js';
import { mapId } from './mapId.js';
import { serializedToJson } from './serializedToJson.js';
import { setValue } from './setValue.js';
import { timezoneShift } from './timezoneShift.js';
import { truncate } from './truncate.js';
import { truncateSuffix } from './truncateSuffix.js';

export const builtInHandlers: ReadonlyMap<string, HandlerDefinition> = new Map(
  [
    setValue,
    convert,
    addPrefix,
    copyField,
    timezoneShift,
    convertIp,
    truncate,
    truncateSuffix,
    serializedToJson,
    mapId,
  ].map((definition) => [definition.name, definition]),
);

/** Every handler module imported in this process: code of the user's that ran (dry runs too). */
const imported = new Set<string>();

/** The handler modules this process has imported, for the notice a dry run prints. */
export function importedHandlerModules(): string[] {
  return [...imported];
}

const MODULE_SHAPE =
  'a handler module must `export default` either a function (value, row, params) => string | Buffer | null, ' +
  'or an object { create(params) { return { transform(value, row) { ... } } } }';

/**
 * Resolves a handler name from a map file: a built-in name, or a path to a module of the user's
 * (relative paths resolve against `baseDir`, the map file's folder; a name starting with '.' or
 * '/' or ending in .js/.mjs/.ts is a path).
 */
export async function resolveHandler(
  nameOrPath: string,
  baseDir: string,
  profileHandlers: ReadonlyMap<string, HandlerDefinition> = new Map(),
): Promise<HandlerDefinition> {
  if (!isPath(nameOrPath)) {
    const found = builtInHandlers.get(nameOrPath) ?? profileHandlers.get(nameOrPath);
    if (found) return found;
    const suggestion = nearest(nameOrPath, [...builtInHandlers.keys(), ...profileHandlers.keys()]);
    throw new ConfigError(
      `unknown handler "${nameOrPath}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
      {
        code: 'HANDLER_UNKNOWN',
        hint:
          `use one of ${[...builtInHandlers.keys()].join(', ')}, ` +
          'or a path to a module of your own (e.g. "./handlers/myHandler.js", relative to the map file)',
      },
    );
  }
  const path = resolve(baseDir, nameOrPath);
  let loaded: { default?: unknown };
  try {
    imported.add(path);
    loaded = await import(pathToFileURL(path).href);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new ConfigError(`cannot load handler module ${path}: ${reason}`, {
      code: 'HANDLER_MODULE_INVALID',
      hint: `check the path (relative paths start from the map file's folder); ${MODULE_SHAPE}`,
      cause,
    });
  }
  const exported = loaded.default;
  if (typeof exported === 'function') return fromFunction(nameOrPath, path, exported as UserFunction);
  if (isDefinitionLike(exported)) return fromDefinition(nameOrPath, path, exported);
  throw new ConfigError(`handler module ${path} has no usable default export`, {
    code: 'HANDLER_MODULE_INVALID',
    hint: MODULE_SHAPE,
  });
}

function isPath(name: string): boolean {
  return name.startsWith('.') || name.startsWith('/') || isAbsolute(name) || /\.(?:m?js|ts)$/.test(name);
}

interface DefinitionLike {
  name?: unknown;
  description?: unknown;
  create(params: HandlerParams): unknown;
}

function isDefinitionLike(value: unknown): value is DefinitionLike {
  return (
    typeof value === 'object' && value !== null && typeof (value as DefinitionLike).create === 'function'
  );
}

/** The plain-function export style. */
type UserFunction = (value: Value, row: Readonly<Row>, params: HandlerParams) => unknown;
type UserTransform = (value: Value, row: Readonly<Row>, lookups?: IdLookups) => unknown;

function fromFunction(name: string, path: string, fn: UserFunction): HandlerDefinition {
  return {
    name,
    description: `user handler ${path}`,
    create: (params) => ({ transform: checked(path, (value, row) => fn(value, row, params)) }),
  };
}

function fromDefinition(name: string, path: string, definition: DefinitionLike): HandlerDefinition {
  return {
    name: typeof definition.name === 'string' ? definition.name : name,
    description: typeof definition.description === 'string' ? definition.description : `user handler ${path}`,
    create(params) {
      let handler: Partial<FieldHandler> | null;
      try {
        handler = definition.create(params) as Partial<FieldHandler> | null;
      } catch (error) {
        if (error instanceof HandlerParamsError) throw error;
        throw new HandlerParamsError(`handler module ${path}: create() failed: ${String(error)}`);
      }
      if (typeof handler?.transform !== 'function') {
        throw new HandlerParamsError(
          `handler module ${path}: create() must return an object with a transform(value, row) function`,
        );
      }
      const sql = typeof handler.sql === 'function' ? handler.sql.bind(handler) : undefined;
      const reads = Array.isArray(handler.reads) ? handler.reads : undefined;
      const needs = Array.isArray(handler.needs?.idMaps)
        ? {
            idMaps: handler.needs.idMaps,
            ...(handler.needs.idsFrom === 'value' && { idsFrom: 'value' as const }),
          }
        : undefined;
      return {
        transform: checked(path, handler.transform.bind(handler)),
        ...(sql && { sql }),
        ...(reads && { reads }),
        ...(needs && { needs }),
      };
    },
  };
}

/**
 * Guards a user's transform: a result that is not a Value rejects the row rather than corrupting
 * it, and an error named HandlerRejection (the user's module may not import ours) is one.
 */
function checked(path: string, transform: UserTransform): FieldHandler['transform'] {
  return (value, row, lookups) => {
    let result: unknown;
    try {
      result = transform(value, row, lookups);
    } catch (error) {
      if (
        error instanceof Error &&
        !(error instanceof HandlerRejection) &&
        error.name === 'HandlerRejection'
      ) {
        throw new HandlerRejection(error.message);
      }
      throw error;
    }
    if (result === null || typeof result === 'string' || Buffer.isBuffer(result)) return result;
    throw new HandlerRejection(
      `handler ${path} returned ${result === undefined ? 'undefined' : `a ${typeof result}`}; it must return a string, Buffer or null`,
    );
  };
}

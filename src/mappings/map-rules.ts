/**
 * The map file (map.json) as rules the resolver applies: document and field ignores, renames
 * and transforms on the source and destination sides. Handler names are resolved here, so a
 * misspelt handler fails before anything connects.
 */
import { basename, dirname } from 'node:path';
import { ConfigError } from '../errors.js';
import type { HandlerDefinition, HandlerParams } from '../handlers/contract.js';
import { HandlerParamsError } from '../handlers/contract.js';
import { resolveHandler } from '../handlers/registry.js';
import { loadJsonFile } from './json-file.js';
import { mergeMapFiles } from './merge-map-files.js';
import { PatternList } from './pattern.js';

/** map.json as written (see schemas/map.schema.json). */
export interface MapFile {
  source?: {
    documents?: { ignore?: string[]; rename?: Record<string, string> };
    fields?: {
      ignore?: string[];
      ignoreTypes?: string[];
      rename?: Record<string, string>;
      transform?: TransformEntry[];
    };
  };
  destination?: {
    /** `merge`: destination document -> its natural key columns (see src/engine/merge-step.ts). */
    /** `keepIds`: merged documents whose rows keep their (mapped) id, the natural key being that id. */
    documents?: { ignore?: string[]; merge?: Record<string, string[]>; keepIds?: string[] };
    fields?: { ignore?: string[]; ignoreTypes?: string[]; transform?: TransformEntry[] };
  };
  /** Destination documents filled from one SQL select over the source (src/engine/computed-step.ts). */
  computed?: Record<string, ComputedEntry>;
}

/** A computed document as written: the select run on the source, and the column it is paged by. */
export interface ComputedEntry {
  select: string;
  key: string;
}

export interface TransformEntry {
  field: string;
  handler: string;
  params?: Record<string, unknown>;
}

/** A transform rule with its handler resolved and bound to its params. */
export interface TransformRule {
  /** `document.field`, `*` allowed. */
  field: string;
  fieldPattern: PatternList;
  name: string;
  definition: HandlerDefinition;
  params: HandlerParams;
}

export interface SideRules {
  ignoreDocuments: PatternList;
  ignoreFields: PatternList;
  /** Data types (information_schema DATA_TYPE, lower case, `*` allowed) whose fields are ignored. */
  ignoreTypes: PatternList;
  transforms: TransformRule[];
}

/**
 * The rule that leaves a field of this side out, in the words of the map file, or undefined:
 * `fields.ignore "x.y"` by name, `fields.ignoreTypes "geometry"` by data type.
 */
export function fieldIgnoreRule(
  rules: SideRules,
  side: 'source' | 'destination',
  qualified: string,
  dataType: string,
): string | undefined {
  const byName = rules.ignoreFields.matching(qualified);
  if (byName !== undefined) return `${side}.fields.ignore ${JSON.stringify(byName)}`;
  const byType = rules.ignoreTypes.matching(dataType.toLowerCase());
  if (byType !== undefined) return `${side}.fields.ignoreTypes ${JSON.stringify(byType)}`;
  return undefined;
}

export interface MapRules {
  file: string;
  /** The file's name, as problems mention it. */
  fileName: string;
  source: SideRules & {
    renameDocuments: ReadonlyMap<string, string>;
    /** `document.field` -> `destinationDocument.field` */
    renameFields: ReadonlyMap<string, string>;
  };
  destination: SideRules & {
    /** Destination documents merged by natural key into a seeded destination: document -> key columns. */
    merge: ReadonlyMap<string, readonly string[]>;
    /** Merged documents whose rows keep their id (see src/engine/merge-step.ts). */
    keepIds: ReadonlySet<string>;
  };
  /** Destination document -> the select that fills it. */
  computed: ReadonlyMap<string, ComputedEntry>;
}

/** `profileHandlers`: handlers a profile brings, named in map files like built-in ones. */
export async function loadMapRules(
  file: string | readonly string[],
  profileHandlers?: ReadonlyMap<string, HandlerDefinition>,
): Promise<MapRules> {
  if (typeof file === 'string') {
    return mapRulesFrom(await loadJsonFile<MapFile>(file, 'map', 'map_file'), file, profileHandlers);
  }
  // A profile's map files: merged into one; messages name the first (handler paths resolve from its folder).
  const files = await Promise.all(
    file.map(async (f) => ({ file: f, map: await loadJsonFile<MapFile>(f, 'map', 'map_file') })),
  );
  const first = file[0];
  if (first === undefined) throw new Error('loadMapRules: no map file');
  return mapRulesFrom(mergeMapFiles(files), first, profileHandlers);
}

/** Builds rules from an already parsed map (used by tests and by settings mode). */
export async function mapRulesFrom(
  map: MapFile,
  file: string,
  profileHandlers?: ReadonlyMap<string, HandlerDefinition>,
): Promise<MapRules> {
  const baseDir = dirname(file);
  const transforms = async (entries: TransformEntry[] = [], side: string) =>
    Promise.all(
      entries.map((entry, index) =>
        bindTransform(entry, `${side}.fields.transform[${index}]`, baseDir, file, profileHandlers),
      ),
    );
  return {
    file,
    fileName: basename(file),
    source: {
      ignoreDocuments: new PatternList(map.source?.documents?.ignore ?? []),
      renameDocuments: new Map(Object.entries(map.source?.documents?.rename ?? {})),
      ignoreFields: new PatternList(map.source?.fields?.ignore ?? []),
      ignoreTypes: typePatterns(map.source?.fields?.ignoreTypes),
      renameFields: new Map(Object.entries(map.source?.fields?.rename ?? {})),
      transforms: await transforms(map.source?.fields?.transform, 'source'),
    },
    destination: {
      ignoreDocuments: new PatternList(map.destination?.documents?.ignore ?? []),
      ignoreFields: new PatternList(map.destination?.fields?.ignore ?? []),
      ignoreTypes: typePatterns(map.destination?.fields?.ignoreTypes),
      transforms: await transforms(map.destination?.fields?.transform, 'destination'),
      merge: new Map(Object.entries(map.destination?.documents?.merge ?? {})),
      keepIds: new Set(map.destination?.documents?.keepIds ?? []),
    },
    computed: new Map(Object.entries(map.computed ?? {})),
  };
}

/** Type names compare case-insensitively: `GEOMETRY` in a map means geometry. */
function typePatterns(types: readonly string[] = []): PatternList {
  return new PatternList(types.map((t) => t.toLowerCase()));
}

async function bindTransform(
  entry: TransformEntry,
  where: string,
  baseDir: string,
  file: string,
  profileHandlers?: ReadonlyMap<string, HandlerDefinition>,
): Promise<TransformRule> {
  const definition = await resolveHandler(entry.handler, baseDir, profileHandlers);
  const params = entry.params ?? {};
  try {
    definition.create(params); // validate params now, not at the first row
  } catch (error) {
    if (!(error instanceof HandlerParamsError)) throw error;
    throw new ConfigError(`${where} (${entry.field}): ${error.message}`, {
      code: 'HANDLER_PARAMS_INVALID',
      hint: `fix "params" of that transform in ${basename(file)}: ${definition.description}`,
      context: { file },
      cause: error,
    });
  }
  return {
    field: entry.field,
    fieldPattern: new PatternList([entry.field]),
    name: entry.handler,
    definition,
    params,
  };
}
